// S3's naming rules: bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
// and object keys (at most 1024 bytes of UTF-8). Keys are otherwise opaque bytes: they never
// touch the filesystem, so "..", "%2F" or NUL in a key is just part of its name.
// Thread-safety: pure.
#pragma once

#include <string_view>

#include "common/error.h"

namespace kura::s3 {

// kInvalidBucketName unless the name follows the general-purpose bucket rules.
Result<void> ValidateBucketName(std::string_view name);
// kKeyTooLongError beyond 1024 bytes; kInvalidArgument for an empty key or invalid UTF-8.
Result<void> ValidateObjectKey(std::string_view key);

}  // namespace kura::s3
