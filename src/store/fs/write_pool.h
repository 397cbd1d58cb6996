// Background file writes for the filesystem blob writers. A few threads run write jobs, so the
// I/O thread receiving a large body overlaps the disk write of one buffer with receiving and
// hashing the next; and a free list of page-aligned staging buffers (as O_DIRECT needs), reused
// so their pages stay mapped instead of being faulted in afresh for every object.
// Thread-safety: thread-safe. The destructor runs the jobs already queued, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kura::store {

class WritePool {
 public:
  static constexpr size_t kBufferBytes = 1 << 20;  // one staging buffer = one write(2)
  static constexpr size_t kAlignment = 4096;       // O_DIRECT: buffer, offset and length

  struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
  };
  using Buffer = std::unique_ptr<char, FreeDeleter>;  // kBufferBytes, kAlignment-aligned

  explicit WritePool(int threads);
  ~WritePool();
  WritePool(const WritePool&) = delete;
  WritePool& operator=(const WritePool&) = delete;

  void Post(std::function<void()> job);

  // A staging buffer (from the free list, else newly allocated); nullptr if out of memory.
  Buffer TakeBuffer();
  // Keeps up to kMaxIdleBuffers for reuse, frees the rest.
  void ReturnBuffer(Buffer buffer);

 private:
  static constexpr size_t kMaxIdleBuffers = 8;
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::vector<Buffer> idle_;                // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace kura::store
