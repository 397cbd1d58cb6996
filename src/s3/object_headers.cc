#include "s3/object_headers.h"

#include <algorithm>
#include <set>

#include "common/form_encoding.h"
#include "common/limits.h"
#include "common/text.h"
#include "common/time_format.h"
#include "s3/object_lock_headers.h"

namespace kura::s3 {
namespace {
namespace bhttp = boost::beast::http;

// Headers S3 stores with an object and returns on GET/HEAD, verbatim.
constexpr std::string_view kStoredHeaders[] = {
    "Content-Disposition", "Content-Language", "Cache-Control", "Expires",
    "x-amz-website-redirect-location"};

constexpr std::string_view kStorageClasses[] = {
    "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
    "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE"};

// Content-Encoding without the "aws-chunked" transport coding, which is not the object's.
std::string StoredContentEncoding(std::string_view value) {
  std::string out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string_view token = value.substr(start, comma == std::string_view::npos ? value.npos : comma - start);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (!token.empty() && AsciiLower(token) != "aws-chunked") {
      if (!out.empty()) out += ",";
      out += token;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}
}  // namespace

std::string QuotedEtag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

Result<store::Pairs> ParseTaggingQuery(std::string_view text) {
  auto invalid_key = [] { return MakeError(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid"); };
  UrlEncodedPairs parsed = ParseUrlEncodedPairs(text, /*plus_is_space=*/true);
  store::Pairs tags;
  std::set<std::string> seen;
  // Pairs before a malformed escape are checked first, as when each pair was decoded in turn.
  for (UrlEncodedPair& pair : parsed.pairs) {
    if (pair.name.empty() || pair.name.size() > 128 || pair.value.size() > 256) return invalid_key();
    if (!seen.insert(pair.name).second) {
      return MakeError(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
    tags.emplace_back(std::move(pair.name), std::move(pair.value));
  }
  if (parsed.malformed) return invalid_key();
  if (tags.size() > static_cast<size_t>(limits::kMaxObjectTags)) {
    return MakeError(ErrorCode::kBadRequest, "Object tags cannot be greater than 10");
  }
  return tags;
}

Result<void> ReadObjectHeaders(const RequestHead& request, store::ObjectRecord& record) {
  const auto& fields = request.fields;
  auto content_type = fields[bhttp::field::content_type];
  record.content_type = content_type.empty() ? "binary/octet-stream" : std::string(content_type);
  std::string encoding = StoredContentEncoding(fields[bhttp::field::content_encoding]);
  if (!encoding.empty()) record.headers.emplace_back("Content-Encoding", encoding);
  for (auto name : kStoredHeaders) {
    auto it = fields.find(name);
    if (it != fields.end()) record.headers.emplace_back(std::string(name), std::string(it->value()));
  }
  size_t metadata_bytes = 0;
  for (const auto& field : fields) {
    std::string name = AsciiLower(field.name_string());
    if (!name.starts_with("x-amz-meta-")) continue;
    std::string short_name = name.substr(11);
    metadata_bytes += short_name.size() + field.value().size();
    record.user_metadata.emplace_back(std::move(short_name), std::string(field.value()));
  }
  if (metadata_bytes > limits::kMaxUserMetadataBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Your metadata headers exceed the maximum allowed metadata size.");
  }
  auto storage_class = fields["x-amz-storage-class"];
  if (!storage_class.empty()) {
    if (std::find(std::begin(kStorageClasses), std::end(kStorageClasses), storage_class) ==
        std::end(kStorageClasses)) {
      return MakeError(ErrorCode::kInvalidStorageClass);
    }
    if (storage_class != "STANDARD") record.storage_class = std::string(storage_class);
  }
  auto tagging = fields["x-amz-tagging"];
  if (!tagging.empty()) {
    auto tags = ParseTaggingQuery(tagging);
    if (!tags) return tags.error();
    record.tags = std::move(*tags);
  }
  return ReadObjectLockHeaders(request, record);
}

void WriteObjectHeaders(const store::ObjectRecord& record, bool include_checksum,
                        ResponseHead& head) {
  auto& f = head.fields;
  f.set(bhttp::field::etag, QuotedEtag(record.etag));
  f.set(bhttp::field::last_modified, FormatHttpDate(record.last_modified));
  f.set(bhttp::field::content_type, record.content_type);
  f.set(bhttp::field::accept_ranges, "bytes");
  for (const auto& [name, value] : record.headers) f.set(name, value);
  for (const auto& [name, value] : record.user_metadata) f.set("x-amz-meta-" + name, value);
  if (!record.storage_class.empty()) f.set("x-amz-storage-class", record.storage_class);
  if (!record.tags.empty()) f.set("x-amz-tagging-count", std::to_string(record.tags.size()));
  if (include_checksum && !record.checksum_algorithm.empty()) {
    f.set("x-amz-checksum-" + AsciiLower(record.checksum_algorithm), record.checksum_value);
    if (!record.checksum_type.empty()) f.set("x-amz-checksum-type", record.checksum_type);
  }
}

}  // namespace kura::s3
