#include "store/space/ballast.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kura::store::space {
namespace {

Error FileError(std::string_view what, const std::filesystem::path& file, int err) {
  return MakeError(ErrorCode::kInternalError,
                   std::string(what) + " " + file.string() + ": " + std::strerror(err));
}

Result<void> SyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileError("open", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return FileError("fsync", dir, err);
  return Ok();
}

}  // namespace

Result<void> Ballast::Make() {
  std::lock_guard lock(mu_);
  return MakeLocked();
}

Result<void> Ballast::MakeLocked() {
  struct stat info {};
  if (::stat(file_.c_str(), &info) == 0 && static_cast<uint64_t>(info.st_blocks) * 512 >= bytes_) {
    return Ok();
  }
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("create", file_, errno);
  // posix_fallocate returns the error instead of setting errno.
  int err = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_));
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  ::close(fd);
  if (err != 0) {
    ::unlink(file_.c_str());
    return FileError("allocate", file_, err);
  }
  return SyncDir(file_.parent_path());
}

bool Ballast::Release() {
  std::lock_guard lock(mu_);
  return ::unlink(file_.c_str()) == 0;
}

bool Ballast::present() {
  std::lock_guard lock(mu_);
  struct stat info {};
  return ::stat(file_.c_str(), &info) == 0;
}

}  // namespace kura::store::space
