// The audit trail's file: appended to with one write(2) per batch, rotated by size as logrotate
// would (audit.log → audit.log.1 → … → audit.log.N, the oldest removed), every file 0600 (its
// records name principals, key ids and source addresses). Or standard error, never rotated.
// Thread-safety: used by one thread (AuditLog's writer).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"

namespace kura::api {

struct AuditFileOptions {
  std::string path;       // "-" = standard error
  uint64_t max_size = 0;  // rotate before a write would pass it; 0 = never rotate
  int max_files = 5;      // rotated files kept (audit.log.1 … .N); 0 = the full file is removed
};

class AuditFile {
 public:
  // Opens (creating 0600, or setting an existing file to 0600) the file for appending.
  // Errors: kInternalError naming the path and errno's text.
  static Result<std::unique_ptr<AuditFile>> Open(AuditFileOptions options);
  ~AuditFile();
  AuditFile(const AuditFile&) = delete;
  AuditFile& operator=(const AuditFile&) = delete;

  // Appends `bytes` (whole lines) with one write(2). With max_size, lines that would take the
  // file past it go to a new file after a rotation (a batch is split at line boundaries; a line
  // longer than max_size goes alone). To standard error, in whole-line chunks of at most PIPE_BUF
  // bytes, which a pipe never interleaves with other writers'. Errors: the write's (a failed
  // rotation is logged and the current file written on), with what was not written lost.
  Result<void> Append(std::string_view bytes);

  uint64_t size() const { return size_; }

 private:
  explicit AuditFile(AuditFileOptions options) : options_(std::move(options)) {}
  Result<void> OpenCurrent();
  Result<void> Rotate();
  Result<void> AppendToPipe(std::string_view bytes);
  Result<void> WriteAll(std::string_view bytes);

  AuditFileOptions options_;
  int fd_ = -1;
  bool owns_fd_ = false;
  uint64_t size_ = 0;
};

}  // namespace kura::api
