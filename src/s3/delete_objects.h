// DeleteObjects (multi-object delete): up to 1000 keys in one <Delete> document, Quiet mode,
// per-key errors (each key authorized as s3:DeleteObject on its own ARN), Content-MD5 or a
// flexible checksum required as S3 requires it. All deletions are queued at once, so they share
// the store's group commits. Spec: DeleteObjects in the S3 API Reference.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3/s3_call.h"

namespace kura::s3 {

struct DeleteTarget {
  std::string key;
  std::optional<std::string> version_id;  // <VersionId>, if given
  bool operator==(const DeleteTarget&) const = default;
};

struct DeleteRequest {
  bool quiet = false;
  std::vector<DeleteTarget> objects;
};

// The <Delete> document: 1–1000 <Object><Key>[<VersionId>], optional <Quiet>true</Quiet>. Keys
// and version ids are not validated here (each gets its own error in the answer; buckets are
// unversioned, so a version id other than "null" is refused per key). Errors: kMalformedXML.
Result<DeleteRequest> ParseDelete(std::string_view body);

net::awaitable<Result<void>> DeleteObjects(S3Env& env, S3Call& call);

}  // namespace kura::s3
