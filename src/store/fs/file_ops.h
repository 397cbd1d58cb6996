// Small POSIX file helpers for durable writes: errors as values (kInternalError with the path
// and errno text), EINTR retried. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace kura::store {

Error ErrnoError(std::string_view what, const std::filesystem::path& path, int err);
Result<void> WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path);
Result<void> FsyncFd(int fd, const std::filesystem::path& path);
Result<void> FsyncDir(const std::filesystem::path& dir);
// mkdir (mode 0700) unless it exists; when it was created, fsyncs its parent so the new
// directory entry is durable.
Result<void> EnsureDir(const std::filesystem::path& dir);

}  // namespace kura::store
