// A secret value (secret access key, token key) that cannot be printed or logged by accident:
// no operator<<, no implicit conversion; Reveal() is the one door, greppable.
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <openssl/crypto.h>

namespace kura {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(Secret&&) noexcept = default;
  ~Secret() { OPENSSL_cleanse(value_.data(), value_.size()); }

  std::string_view Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace kura
