// Identifier formats as AWS makes them: access key ids (AKIA… long-term, ASIA… temporary),
// 40-character secret keys, unique ids for users (AIDA…), roles (AROA…), policies (ANPA…),
// groups (AGPA…), request ids, S3 upload ids, account ids. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
// Thread-safety: as the Random passed in.
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"

namespace kura {

enum class IdPrefix { kAccessKey, kTemporaryAccessKey, kUser, kRole, kPolicy, kGroup, kOidcProvider };

std::string_view PrefixString(IdPrefix prefix);

// PREFIX + 16 characters of [A-Z2-7], 20 characters in all, as AWS's ids look.
std::string NewId(Random& random, IdPrefix prefix);
// 40 characters of [A-Za-z0-9+/], as AWS secret access keys look.
std::string NewSecretKey(Random& random);
// 16 upper-case hex characters, as S3's x-amz-request-id.
std::string NewRequestId(Random& random);
// 12 decimal digits, not starting with 0.
std::string NewAccountId(Random& random);
// A URL-safe opaque id (S3 upload ids, object blob ids): n random bytes as base64url.
std::string NewOpaqueId(Random& random, size_t bytes = 24);

}  // namespace kura
