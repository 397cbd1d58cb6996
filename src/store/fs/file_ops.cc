#include "store/fs/file_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kura::store {

Error ErrnoError(std::string_view what, const std::filesystem::path& path, int err) {
  // A full file system (or quota) is the client's 507, not a server fault: the request pipeline
  // answers it as such and refreshes its view of free space.
  ErrorCode code = err == ENOSPC || err == EDQUOT ? ErrorCode::kInsufficientStorage
                                                  : ErrorCode::kInternalError;
  return MakeError(code, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

Result<void> WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write", path, errno);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

Result<void> FsyncFd(int fd, const std::filesystem::path& path) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return ErrnoError("fsync", path, errno);
  }
  return Ok();
}

Result<void> FsyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open dir", dir, errno);
  Result<void> synced = FsyncFd(fd, dir);
  ::close(fd);
  return synced;
}

Result<void> EnsureDir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return FsyncDir(dir.parent_path());
  if (errno == EEXIST) return Ok();
  return ErrnoError("mkdir", dir, errno);
}

}  // namespace kura::store
