#include "s3/copy_source.h"

#include "common/encoding.h"
#include "common/time_format.h"
#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/version_id.h"

namespace kura::s3 {
namespace {

bool EtagListMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*" || UnquoteEtag(item) == etag) return true;
  }
  return false;
}

// S3: if-match decides over if-unmodified-since, if-none-match over if-modified-since; any
// failing condition is 412 (a copy never answers 304).
Result<void> CheckCopyConditions(const S3Call& call, const store::ObjectRecord& object) {
  auto modified = std::chrono::time_point_cast<std::chrono::seconds>(object.last_modified);
  auto failed = [] { return MakeError(ErrorCode::kPreconditionFailed); };
  auto if_match = call.Header("x-amz-copy-source-if-match");
  if (!if_match.empty()) {
    if (!EtagListMatches(if_match, object.etag)) return failed();
  } else if (auto since = ParseHttpDate(call.Header("x-amz-copy-source-if-unmodified-since"))) {
    if (modified > *since) return failed();
  }
  auto if_none_match = call.Header("x-amz-copy-source-if-none-match");
  if (!if_none_match.empty()) {
    if (EtagListMatches(if_none_match, object.etag)) return failed();
  } else if (auto since = ParseHttpDate(call.Header("x-amz-copy-source-if-modified-since"))) {
    if (modified <= *since) return failed();
  }
  return Ok();
}

}  // namespace

Result<CopySourceName> ParseCopySource(std::string_view header) {
  auto malformed = [] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  };
  size_t q = header.find('?');
  std::string_view path = header.substr(0, q);
  std::optional<std::string> version_id;
  if (q != std::string_view::npos) {
    std::string_view query = header.substr(q + 1);
    if (!query.starts_with("versionId=")) return malformed();
    version_id = std::string(query.substr(10));
    if (!IsWellFormedVersionId(*version_id)) {
      return MakeError(ErrorCode::kInvalidArgument, "Invalid version id specified");
    }
  }
  auto decoded = PercentDecode(path);
  if (!decoded) return malformed();
  std::string_view full = *decoded;
  if (full.starts_with('/')) full.remove_prefix(1);
  size_t slash = full.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == full.size()) return malformed();
  return CopySourceName{std::string(full.substr(0, slash)), std::string(full.substr(slash + 1)),
                        std::move(version_id)};
}

Result<CopySource> ResolveCopySource(S3Env& env, const S3Call& call) {
  auto name = ParseCopySource(call.Header("x-amz-copy-source"));
  if (!name) return name.error();
  KURA_TRY(ValidateObjectKey(name->key));
  // Copying a version is reading that version (s3:GetObjectVersion), as a GET ?versionId= is.
  KURA_TRY(call.authorize(name->version_id ? "s3:GetObjectVersion" : "s3:GetObject",
                          "arn:aws:s3:::" + name->bucket + "/" + name->key));
  auto object = env.metadata.GetObject(name->bucket, name->key, name->version_id);
  if (!object) return object.error();
  if (object->is_delete_marker) {
    if (!name->version_id) return MakeError(ErrorCode::kNoSuchKey);
    return MakeError(ErrorCode::kInvalidRequest,
                     "The source of a copy request may not specifically refer to a delete marker "
                     "by version id.");
  }
  KURA_TRY(CheckCopyConditions(call, *object));
  return CopySource{std::move(*name), std::move(*object)};
}

void SetCopySourceVersionId(ResponseHead& head, const CopySource& source) {
  if (source.name.version_id || source.object.version_id != store::kNullVersionId) {
    head.fields.set("x-amz-copy-source-version-id", source.object.version_id);
  }
}

}  // namespace kura::s3
