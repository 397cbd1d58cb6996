#include "store/fs/write_pool.h"

namespace kura::store {

WritePool::WritePool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WritePool::~WritePool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WritePool::Post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void WritePool::Run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

WritePool::Buffer WritePool::TakeBuffer() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      Buffer buffer = std::move(idle_.back());
      idle_.pop_back();
      return buffer;
    }
  }
  return Buffer(static_cast<char*>(std::aligned_alloc(kAlignment, kBufferBytes)));
}

void WritePool::ReturnBuffer(Buffer buffer) {
  if (!buffer) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdleBuffers) idle_.push_back(std::move(buffer));
}

}  // namespace kura::store
