#include "s3/list_objects.h"

#include "common/encoding.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace kura::s3 {
namespace {

constexpr std::string_view kNullVersionId = "null";

struct ListParams {
  bool v2 = false;
  bool url_encode = false;
  bool fetch_owner = false;
  std::string prefix, delimiter, marker, start_after, continuation_token;
  int max_keys = 1000;
};

Result<ListParams> ReadParams(const S3Request& request) {
  ListParams p;
  p.v2 = request.operation == S3Operation::kListObjectsV2;
  p.prefix = request.Query("prefix");
  p.delimiter = request.Query("delimiter");
  p.marker = request.Query("marker");
  p.start_after = request.Query("start-after");
  p.continuation_token = request.Query("continuation-token");
  p.fetch_owner = request.Query("fetch-owner") == "true";
  if (request.HasQuery("encoding-type")) {
    if (request.Query("encoding-type") != "url") {
      return MakeError(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    }
    p.url_encode = true;
  }
  if (request.HasQuery("max-keys")) {
    const std::string value = request.Query("max-keys");
    char* end = nullptr;
    long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || n < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "Provided max-keys not an integer or within integer range");
    }
    p.max_keys = static_cast<int>(std::min<long>(n, 1000));
  }
  return p;
}

// Where this page starts: the continuation token (an opaque encoding of the last key or common
// prefix of the previous page) wins over start-after, as in S3.
Result<std::string> StartAfter(const ListParams& p) {
  if (!p.v2) return p.marker;
  if (!p.continuation_token.empty()) {
    auto decoded = Base64UrlDecode(p.continuation_token);
    if (!decoded) return MakeError(ErrorCode::kInvalidArgument, "The continuation token provided is incorrect");
    return *decoded;
  }
  return p.start_after;
}

std::string Encode(const ListParams& p, std::string_view s) {
  return p.url_encode ? UriEncode(s, false) : std::string(s);
}

void WriteOwner(xml::Writer& w, const std::string& owner_id) {
  w.Open("Owner").Element("ID", owner_id).Element("DisplayName", "kura").Close("Owner");
}

void WriteContents(xml::Writer& w, const ListParams& p, const store::ObjectRecord& o,
                   const std::string& owner_id) {
  w.Open("Contents")
      .Element("Key", Encode(p, o.key))
      .Element("LastModified", FormatIso8601(o.last_modified))
      .Element("ETag", QuotedEtag(o.etag))
      .Element("Size", o.size);
  if (!o.checksum_algorithm.empty()) w.Element("ChecksumAlgorithm", o.checksum_algorithm);
  w.Element("StorageClass", o.storage_class.empty() ? "STANDARD" : o.storage_class);
  if (!p.v2 || p.fetch_owner) WriteOwner(w, owner_id);
  w.Close("Contents");
}

// An object as its only version (element order as in S3's ListVersionsResult).
void WriteVersion(xml::Writer& w, const ListParams& p, const store::ObjectRecord& o,
                  const std::string& owner_id) {
  w.Open("Version")
      .Element("Key", Encode(p, o.key))
      .Element("VersionId", kNullVersionId)
      .Bool("IsLatest", true)
      .Element("LastModified", FormatIso8601(o.last_modified))
      .Element("ETag", QuotedEtag(o.etag))
      .Element("Size", o.size);
  if (!o.checksum_algorithm.empty()) w.Element("ChecksumAlgorithm", o.checksum_algorithm);
  w.Element("StorageClass", o.storage_class.empty() ? "STANDARD" : o.storage_class);
  WriteOwner(w, owner_id);
  w.Close("Version");
}

// ListObjectVersions' markers: key-marker is where the page starts (after it); each key has one
// version, "null", so a version-id-marker can only be "null" (after that key) or absent.
// One page of the bucket after `start`; max-keys=0 lists nothing but still needs the bucket.
Result<store::ListPage> ReadPage(S3Env& env, const std::string& bucket, const ListParams& p,
                                 const std::string& start) {
  if (p.max_keys > 0) {
    return env.metadata.ListObjects(store::ListQuery{bucket, p.prefix, p.delimiter, start, p.max_keys});
  }
  auto exists = env.metadata.GetBucket(bucket);
  if (!exists) return exists.error();
  return store::ListPage{};
}

Result<std::string> VersionsStartAfter(const S3Request& request) {
  if (!request.HasQuery("version-id-marker")) return request.Query("key-marker");
  if (request.Query("key-marker").empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "A version-id marker cannot be specified without a key marker.");
  }
  if (request.Query("version-id-marker") != kNullVersionId) {
    return MakeError(ErrorCode::kInvalidArgument, "Invalid version id specified");
  }
  return request.Query("key-marker");
}
}  // namespace

net::awaitable<Result<void>> ListObjects(S3Env& env, S3Call& call) {
  auto params = ReadParams(call.request);
  if (!params) co_return params.error();
  const ListParams& p = *params;
  auto start = StartAfter(p);
  if (!start) co_return start.error();

  auto page = ReadPage(env, call.request.bucket, p, *start);
  if (!page) co_return page.error();

  xml::Writer w("ListBucketResult", xml::kS3Namespace);
  w.Element("Name", call.request.bucket).Element("Prefix", Encode(p, p.prefix));
  if (p.v2) {
    if (!p.continuation_token.empty()) w.Element("ContinuationToken", p.continuation_token);
    if (!p.start_after.empty()) w.Element("StartAfter", Encode(p, p.start_after));
    w.Element("KeyCount", page->objects.size() + page->common_prefixes.size());
  } else {
    w.Element("Marker", Encode(p, p.marker));
  }
  w.Element("MaxKeys", static_cast<uint64_t>(p.max_keys));
  if (!p.delimiter.empty()) w.Element("Delimiter", Encode(p, p.delimiter));
  if (p.url_encode) w.Element("EncodingType", "url");
  w.Bool("IsTruncated", page->is_truncated);
  if (page->is_truncated) {
    if (p.v2) {
      w.Element("NextContinuationToken", Base64UrlEncode(page->next_marker));
    } else if (!p.delimiter.empty()) {
      w.Element("NextMarker", Encode(p, page->next_marker));
    }
  }
  std::string owner_id = CanonicalUserId(env.account_id);
  for (const auto& object : page->objects) WriteContents(w, p, object, owner_id);
  for (const auto& prefix : page->common_prefixes) {
    w.Open("CommonPrefixes").Element("Prefix", Encode(p, prefix)).Close("CommonPrefixes");
  }
  co_return co_await RespondXml(call, w.Finish());
}

net::awaitable<Result<void>> ListObjectVersions(S3Env& env, S3Call& call) {
  auto params = ReadParams(call.request);
  if (!params) co_return params.error();
  const ListParams& p = *params;
  auto start = VersionsStartAfter(call.request);
  if (!start) co_return start.error();

  auto page = ReadPage(env, call.request.bucket, p, *start);
  if (!page) co_return page.error();

  xml::Writer w("ListVersionsResult", xml::kS3Namespace);
  w.Element("Name", call.request.bucket).Element("Prefix", Encode(p, p.prefix));
  w.Element("KeyMarker", Encode(p, call.request.Query("key-marker")));
  w.Element("VersionIdMarker", call.request.Query("version-id-marker"));
  w.Element("MaxKeys", static_cast<uint64_t>(p.max_keys));
  if (!p.delimiter.empty()) w.Element("Delimiter", Encode(p, p.delimiter));
  if (p.url_encode) w.Element("EncodingType", "url");
  w.Bool("IsTruncated", page->is_truncated);
  if (page->is_truncated) {
    w.Element("NextKeyMarker", Encode(p, page->next_marker));
    w.Element("NextVersionIdMarker", kNullVersionId);
  }
  std::string owner_id = CanonicalUserId(env.account_id);
  for (const auto& object : page->objects) WriteVersion(w, p, object, owner_id);
  for (const auto& prefix : page->common_prefixes) {
    w.Open("CommonPrefixes").Element("Prefix", Encode(p, prefix)).Close("CommonPrefixes");
  }
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
