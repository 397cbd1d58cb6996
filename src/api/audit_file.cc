#include "api/audit_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "common/logging.h"

namespace kura::api {
namespace {
Error FileError(std::string_view what, const std::string& path) {
  return MakeError(ErrorCode::kInternalError,
                   std::string(what) + " " + path + ": " + std::strerror(errno));
}

// The longest prefix of `bytes` made of whole lines and at most `limit` bytes long; 0 when even
// its first line is longer.
size_t LinesWithin(std::string_view bytes, uint64_t limit) {
  if (bytes.size() <= limit) return bytes.size();
  size_t last = bytes.substr(0, static_cast<size_t>(limit)).rfind('\n');
  return last == std::string_view::npos ? 0 : last + 1;
}

size_t FirstLine(std::string_view bytes) {
  size_t end = bytes.find('\n');
  return end == std::string_view::npos ? bytes.size() : end + 1;
}
}  // namespace

Result<std::unique_ptr<AuditFile>> AuditFile::Open(AuditFileOptions options) {
  std::unique_ptr<AuditFile> file(new AuditFile(std::move(options)));
  if (file->options_.path == "-") {
    file->fd_ = STDERR_FILENO;
    return file;
  }
  KURA_TRY(file->OpenCurrent());
  return file;
}

AuditFile::~AuditFile() {
  if (owns_fd_) ::close(fd_);
}

Result<void> AuditFile::OpenCurrent() {
  const std::string& path = options_.path;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("cannot open the audit log", path);
  struct stat st {};
  // A file made by an earlier version or by hand may be readable by others: not any more.
  if (::fstat(fd, &st) != 0 || ::fchmod(fd, 0600) != 0) {
    Error error = FileError("cannot set the mode of the audit log", path);
    ::close(fd);
    return error;
  }
  fd_ = fd;
  owns_fd_ = true;
  size_ = static_cast<uint64_t>(st.st_size);
  return Ok();
}

Result<void> AuditFile::Rotate() {
  const std::string& path = options_.path;
  ::close(fd_);
  fd_ = -1;
  owns_fd_ = false;
  if (options_.max_files <= 0) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return FileError("cannot remove", path);
    return OpenCurrent();
  }
  // The oldest goes (renamed over), each other moves up one, the current one becomes .1.
  for (int n = options_.max_files - 1; n >= 1; --n) {
    std::string from = path + "." + std::to_string(n);
    std::string to = path + "." + std::to_string(n + 1);
    if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT)
      return FileError("cannot rotate", from);
  }
  if (::rename(path.c_str(), (path + ".1").c_str()) != 0) return FileError("cannot rotate", path);
  return OpenCurrent();
}

Result<void> AuditFile::Append(std::string_view bytes) {
  if (fd_ < 0) return MakeError(ErrorCode::kInternalError, "the audit log is not open");
  if (!owns_fd_) return AppendToPipe(bytes);
  if (options_.max_size == 0) return WriteAll(bytes);  // O_APPEND: one write lands whole
  while (!bytes.empty()) {
    uint64_t room = size_ < options_.max_size ? options_.max_size - size_ : 0;
    size_t take = LinesWithin(bytes, room);
    if (take == 0 && size_ > 0) {
      auto rotated = Rotate();
      if (rotated) continue;
      // A rotation that fails (a full disk, a removed directory) must not cost the records:
      // they go on into the current file, reopened if need be.
      LogLine(LogLevel::kError, "audit: " + rotated.error().message);
      if (fd_ < 0) KURA_TRY(OpenCurrent());
      return WriteAll(bytes);
    }
    if (take == 0) take = FirstLine(bytes);  // a record longer than max_size goes alone
    KURA_TRY(WriteAll(bytes.substr(0, take)));
    bytes.remove_prefix(take);
  }
  return Ok();
}

// Standard error is often a pipe (the journal) shared with the log lines of other threads: a
// write of at most PIPE_BUF bytes is atomic there, so whole lines go in chunks that size (a
// single longer line goes alone) and no record is cut by another thread's line.
Result<void> AuditFile::AppendToPipe(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t take = LinesWithin(bytes, PIPE_BUF);
    if (take == 0) take = FirstLine(bytes);
    KURA_TRY(WriteAll(bytes.substr(0, take)));
    bytes.remove_prefix(take);
  }
  return Ok();
}

Result<void> AuditFile::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {  // one write(2) unless the kernel takes less than all
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FileError("cannot write the audit log", options_.path);
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
  return Ok();
}

}  // namespace kura::api
