// Version ids of objects in versioning-enabled buckets, and of delete markers. AWS's are opaque,
// URL-safe, 32 characters; kura's are drawn from the CSPRNG so that no client can guess another
// version's id from its own (a counter would leak the write order and invite enumeration).
// The store orders versions by its own sequence, never by these ids.
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"

namespace kura::s3 {

inline constexpr size_t kVersionIdLength = 32;

std::string NewVersionId(Random& random);

// Whether `id` is one kura could have issued: "null", or kVersionIdLength characters of
// NewVersionId's alphabet. S3 refuses any other id with 400 InvalidArgument "Invalid version id
// specified" before looking for it.
bool IsWellFormedVersionId(std::string_view id);

}  // namespace kura::s3
