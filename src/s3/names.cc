#include "s3/names.h"

#include "common/encoding.h"
#include "common/limits.h"

namespace kura::s3 {
namespace {
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool LooksLikeIpAddress(std::string_view name) {
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}
}  // namespace

Result<void> ValidateBucketName(std::string_view name) {
  auto invalid = [&] {
    return MakeError(ErrorCode::kInvalidBucketName, "The specified bucket is not valid.");
  };
  if (name.size() < 3 || name.size() > 63) return invalid();
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) return invalid();
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!IsLowerAlnum(c) && c != '.' && c != '-') return invalid();
    if (c == '.' && i > 0 && (name[i - 1] == '.' || name[i - 1] == '-')) return invalid();
    if (c == '-' && i > 0 && name[i - 1] == '.') return invalid();
  }
  if (LooksLikeIpAddress(name)) return invalid();
  if (name.starts_with("xn--") || name.starts_with("sthree-") || name.ends_with("-s3alias") ||
      name.ends_with("--ol-s3")) {
    return invalid();
  }
  return Ok();
}

Result<void> ValidateObjectKey(std::string_view key) {
  if (key.size() > limits::kMaxKeyBytes) {
    return MakeError(ErrorCode::kKeyTooLongError, "Your key is too long");
  }
  if (key.empty()) return MakeError(ErrorCode::kInvalidArgument, "Object key must not be empty.");
  if (!IsValidUtf8(key)) {
    return MakeError(ErrorCode::kInvalidArgument, "Object key is not valid UTF-8.");
  }
  return Ok();
}

}  // namespace kura::s3
