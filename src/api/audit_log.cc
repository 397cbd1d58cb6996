#include "api/audit_log.h"

#include "common/logging.h"

namespace kura::api {

Result<std::unique_ptr<AuditLog>> AuditLog::Open(AuditLogOptions options) {
  auto file = AuditFile::Open(std::move(options.file));
  if (!file) return file.error();
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(*file), options.queue_bytes));
}

AuditLog::AuditLog(std::unique_ptr<AuditFile> file, size_t queue_bytes)
    : file_(std::move(file)), queue_bytes_(queue_bytes) {
  writer_ = std::thread([this] { WriterLoop(); });
}

AuditLog::~AuditLog() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();  // the writer empties the queue before it ends
}

void AuditLog::Submit(std::string record) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queued_bytes_ + record.size() > queue_bytes_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    // Wake the writer for the first record of a batch, and to cut its linger short once a
    // batch's worth is queued; otherwise it finds the records when its linger ends.
    const bool crosses = queued_bytes_ < kAuditBatchBytes && queued_bytes_ + record.size() >= kAuditBatchBytes;
    wake = (writer_idle_ && queue_.empty()) || crosses;
    queued_bytes_ += record.size();
    queue_.push_back(std::move(record));
  }
  if (wake) wake_.notify_one();
}

void AuditLog::WriterLoop() {
  std::vector<std::string> batch;
  std::string buffer;
  std::unique_lock lock(mu_);
  for (;;) {
    writer_idle_ = true;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    writer_idle_ = false;
    wake_.wait_for(lock, kAuditLinger, [this] { return stopping_ || queued_bytes_ >= kAuditBatchBytes; });
    if (queue_.empty()) return;  // stopping, and everything written
    batch.swap(queue_);
    queued_bytes_ = 0;
    lock.unlock();
    WriteBatch(batch, buffer);
    batch.clear();
    lock.lock();
  }
}

void AuditLog::WriteBatch(std::vector<std::string>& batch, std::string& buffer) {
  buffer.clear();
  for (const std::string& record : batch) buffer += record;
  writes_.fetch_add(1, std::memory_order_relaxed);
  if (auto written = file_->Append(buffer); !written) {
    dropped_.fetch_add(batch.size(), std::memory_order_relaxed);
    LogLine(LogLevel::kError, "audit: " + written.error().message + " (" +
                                  std::to_string(batch.size()) + " records lost)");
    return;
  }
  written_.fetch_add(batch.size(), std::memory_order_relaxed);
  // A burst leaves a large buffer behind: give it back rather than hold it for good.
  if (buffer.capacity() > (4u << 20)) std::string().swap(buffer);
}

}  // namespace kura::api
