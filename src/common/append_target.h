// Somewhere a verified body can be appended to, with or without a copy: store::BlobWriter
// implements it, so sigv4::VerifiedBody can receive a body into a blob without knowing the store.
// Thread-safety: one writer per target.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/error.h"

namespace kura {

class AppendTarget {
 public:
  virtual ~AppendTarget() = default;
  virtual Result<void> Append(std::string_view bytes) = 0;
  // Appending without a copy: PrepareAppend() is memory for the next bytes (valid until the next
  // call on the target), then CommitAppend(n) appends its first n bytes.
  virtual Result<std::span<char>> PrepareAppend() = 0;
  virtual Result<void> CommitAppend(size_t n) = 0;
  virtual uint64_t size() const = 0;  // bytes appended so far
};

}  // namespace kura
