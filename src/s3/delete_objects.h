// DeleteObjects (multi-object delete): up to 1000 keys in one <Delete> document, Quiet mode,
// per-key errors, Content-MD5 or a flexible checksum required as S3 requires it. Each key is
// authorized on its own ARN: s3:DeleteObject, or s3:DeleteObjectVersion when it names a
// <VersionId>, which deletes that version for good; without one, an Enabled bucket gets a delete
// marker (<DeleteMarker>, <DeleteMarkerVersionId>). A version Object Lock protects is that key's
// AccessDenied. All deletions are queued at once, so they share the store's group commits.
// Spec: DeleteObjects in the S3 API Reference.
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
// and version ids are not validated here (each key gets its own error in the answer; a version
// that does not exist is not an error, as in S3). Errors: kMalformedXML.
Result<DeleteRequest> ParseDelete(std::string_view body);

net::awaitable<Result<void>> DeleteObjects(S3Env& env, S3Call& call);

}  // namespace kura::s3
