// ListParts and ListMultipartUploads (with prefix, delimiter/CommonPrefixes, key-marker and
// upload-id-marker, max-uploads, encoding-type=url).
#include "common/encoding.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/multipart_handlers.h"
#include "s3/object_headers.h"
#include "s3/owners.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"

namespace kura::s3 {
namespace {

// A non-negative integer query parameter, capped at 1000 (S3's page size).
Result<int> PageSize(const S3Request& request, std::string_view name) {
  if (!request.HasQuery(name)) return limits::kMaxKeysPerPage;
  std::string value = request.Query(name);
  char* end = nullptr;
  long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < 0 || n > 2147483647L) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Provided " + std::string(name) + " not an integer or within integer range");
  }
  return static_cast<int>(std::min<long>(n, limits::kMaxKeysPerPage));
}

void WriteOwner(xml::Writer& w, std::string_view element, const std::string& owner_id,
                std::string_view display_name) {
  w.Open(element).Element("ID", owner_id).Element("DisplayName", display_name).Close(element);
}

struct UploadListing {
  std::vector<store::UploadRecord> uploads;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
};

// Groups uploads under the delimiter and stops after max_uploads entries (uploads + prefixes).
Result<UploadListing> CollectUploads(S3Env& env, store::UploadQuery query, const std::string& delimiter,
                                     int max_uploads) {
  UploadListing out;
  // A key marker that is itself a common prefix skips every upload under it.
  std::string skip_under = !delimiter.empty() && query.key_marker.ends_with(delimiter) ? query.key_marker : "";
  query.limit = 1000;
  for (;;) {
    auto batch = env.metadata.ListUploads(query);
    if (!batch) return batch.error();
    for (auto& upload : *batch) {
      const std::string& key = upload.object.key;
      if (!skip_under.empty() && key.starts_with(skip_under)) continue;
      size_t at = delimiter.empty() ? std::string::npos : key.find(delimiter, query.prefix.size());
      bool grouped = at != std::string::npos;
      std::string prefix = grouped ? key.substr(0, at + delimiter.size()) : "";
      if (grouped && !out.common_prefixes.empty() && out.common_prefixes.back() == prefix) continue;
      if (static_cast<int>(out.uploads.size() + out.common_prefixes.size()) >= max_uploads) {
        out.truncated = true;
        return out;
      }
      if (grouped) {
        out.common_prefixes.push_back(std::move(prefix));
      } else {
        out.uploads.push_back(std::move(upload));
      }
    }
    if (batch->size() < static_cast<size_t>(query.limit)) return out;
    query.key_marker = batch->back().object.key;
    query.upload_id_marker = batch->back().upload_id;
  }
}

}  // namespace

net::awaitable<Result<void>> ListParts(S3Env& env, S3Call& call) {
  std::string upload_id = call.request.Query("uploadId");
  auto upload = co_await ReadUpload(env, call.request.bucket, call.request.key, upload_id);
  if (!upload) co_return upload.error();
  auto max_parts = PageSize(call.request, "max-parts");
  if (!max_parts) co_return max_parts.error();
  int marker = 0;
  if (call.request.HasQuery("part-number-marker")) {
    std::string text = call.request.Query("part-number-marker");
    char* end = nullptr;
    long n = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || n < 0) {
      co_return MakeError(ErrorCode::kInvalidArgument, "Provided part-number-marker not an integer or within integer range");
    }
    marker = static_cast<int>(std::min<long>(n, limits::kMaxPartNumber));
  }
  auto parts = co_await ReadParts(env, upload_id, marker, *max_parts + 1);
  if (!parts) co_return parts.error();
  bool truncated = parts->size() > static_cast<size_t>(*max_parts);
  if (truncated) parts->resize(*max_parts);

  const S3Account owner = BucketOwnerView(env, call.request.bucket);
  const auto& object = upload->object;
  xml::Writer w("ListPartsResult", xml::kS3Namespace);
  w.Element("Bucket", call.request.bucket).Element("Key", call.request.key).Element("UploadId", upload_id);
  WriteOwner(w, "Initiator", owner.canonical_id, owner.display_name);
  WriteOwner(w, "Owner", owner.canonical_id, owner.display_name);
  w.Element("StorageClass", object.storage_class.empty() ? "STANDARD" : object.storage_class);
  w.Element("PartNumberMarker", static_cast<uint64_t>(marker));
  if (!parts->empty()) w.Element("NextPartNumberMarker", static_cast<uint64_t>(parts->back().part_number));
  w.Element("MaxParts", static_cast<uint64_t>(*max_parts)).Bool("IsTruncated", truncated);
  if (!object.checksum_algorithm.empty()) {
    w.Element("ChecksumAlgorithm", object.checksum_algorithm).Element("ChecksumType", object.checksum_type);
  }
  for (const auto& part : *parts) {
    w.Open("Part")
        .Element("PartNumber", static_cast<uint64_t>(part.part_number))
        .Element("LastModified", FormatIso8601(part.last_modified))
        .Element("ETag", QuotedEtag(part.etag))
        .Element("Size", part.size);
    if (!part.checksum_value.empty()) w.Element("Checksum" + object.checksum_algorithm, part.checksum_value);
    w.Close("Part");
  }
  co_return co_await RespondXml(call, w.Finish());
}

net::awaitable<Result<void>> ListMultipartUploads(S3Env& env, S3Call& call) {
  const S3Request& r = call.request;
  auto max_uploads = PageSize(r, "max-uploads");
  if (!max_uploads) co_return max_uploads.error();
  bool url = r.HasQuery("encoding-type");
  if (url && r.Query("encoding-type") != "url") {
    co_return MakeError(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
  }
  auto encode = [url](std::string_view s) { return url ? UriEncode(s, false) : std::string(s); };
  std::string delimiter = r.Query("delimiter");
  store::UploadQuery query{r.bucket, r.Query("prefix"), r.Query("key-marker"),
                           r.Query("key-marker").empty() ? "" : r.Query("upload-id-marker"), 1000};
  auto listing =
      co_await ReadStep(env, [&] { return CollectUploads(env, query, delimiter, *max_uploads); });
  if (!listing) co_return listing.error();

  const S3Account owner = BucketOwnerView(env, r.bucket);
  xml::Writer w("ListMultipartUploadsResult", xml::kS3Namespace);
  w.Element("Bucket", r.bucket).Element("KeyMarker", encode(query.key_marker));
  w.Element("UploadIdMarker", query.upload_id_marker);
  if (listing->truncated) {
    bool prefix_last = !listing->common_prefixes.empty() &&
                       (listing->uploads.empty() || listing->common_prefixes.back() > listing->uploads.back().object.key);
    w.Element("NextKeyMarker", encode(prefix_last ? listing->common_prefixes.back() : listing->uploads.back().object.key));
    w.Element("NextUploadIdMarker", prefix_last ? "" : listing->uploads.back().upload_id);
  }
  if (!delimiter.empty()) w.Element("Delimiter", encode(delimiter));
  w.Element("Prefix", encode(query.prefix));
  w.Element("MaxUploads", static_cast<uint64_t>(*max_uploads)).Bool("IsTruncated", listing->truncated);
  if (url) w.Element("EncodingType", "url");
  for (const auto& upload : listing->uploads) {
    w.Open("Upload").Element("Key", encode(upload.object.key)).Element("UploadId", upload.upload_id);
    WriteOwner(w, "Initiator", owner.canonical_id, owner.display_name);
    WriteOwner(w, "Owner", owner.canonical_id, owner.display_name);
    w.Element("StorageClass", upload.object.storage_class.empty() ? "STANDARD" : upload.object.storage_class);
    w.Element("Initiated", FormatIso8601(upload.initiated));
    if (!upload.object.checksum_algorithm.empty()) {
      w.Element("ChecksumAlgorithm", upload.object.checksum_algorithm);
      w.Element("ChecksumType", upload.object.checksum_type);
    }
    w.Close("Upload");
  }
  for (const auto& prefix : listing->common_prefixes) {
    w.Open("CommonPrefixes").Element("Prefix", encode(prefix)).Close("CommonPrefixes");
  }
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
