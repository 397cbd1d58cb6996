// ListObjectVersions: one page of the store's versions and delete markers, in the one order S3
// gives them (by key, then newest first), as <Version> and <DeleteMarker> elements interleaved in
// that order. Spec: ListObjectVersions in the S3 API Reference (element order as in its example).
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/list_objects.h"
#include "s3/list_params.h"
#include "s3/owners.h"
#include "s3/object_headers.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"

namespace kura::s3 {
namespace {

// key-marker is where the page starts; version-id-marker, the last version listed under it (""
// or absent: after every version of key-marker). S3 refuses a version-id-marker alone.
Result<store::VersionListQuery> ReadQuery(const S3Request& request, const ListingParams& p) {
  store::VersionListQuery query{request.bucket, p.prefix, p.delimiter, request.Query("key-marker"),
                                request.Query("version-id-marker"), p.max_keys};
  if (query.key_marker.empty() && !query.version_id_marker.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "A version-id marker cannot be specified without a key marker.");
  }
  return query;
}

void WriteVersion(xml::Writer& w, const ListingParams& p, const store::ObjectRecord& o,
                  const std::string& owner_id, std::string_view display_name) {
  std::string_view element = o.is_delete_marker ? "DeleteMarker" : "Version";
  w.Open(element)
      .Element("Key", EncodeListed(p, o.key))
      .Element("VersionId", o.version_id)
      .Bool("IsLatest", o.is_latest)
      .Element("LastModified", FormatIso8601(o.last_modified));
  if (!o.is_delete_marker) {
    w.Element("ETag", QuotedEtag(o.etag)).Element("Size", o.size);
    if (!o.checksum_algorithm.empty()) w.Element("ChecksumAlgorithm", o.checksum_algorithm);
    if (!o.checksum_type.empty()) w.Element("ChecksumType", o.checksum_type);
    w.Element("StorageClass", StorageClassOf(o));
  }
  WriteOwner(w, owner_id, display_name);
  w.Close(element);
}

}  // namespace

net::awaitable<Result<void>> ListObjectVersions(S3Env& env, S3Call& call) {
  auto params = ReadListingParams(call.request);
  if (!params) co_return params.error();
  const ListingParams& p = *params;
  auto query = ReadQuery(call.request, p);
  if (!query) co_return query.error();
  auto page = co_await ReadStep(env, [&] { return env.metadata.ListObjectVersions(*query); });
  if (!page) co_return page.error();

  xml::Writer w("ListVersionsResult", xml::kS3Namespace);
  w.Element("Name", call.request.bucket).Element("Prefix", EncodeListed(p, p.prefix));
  w.Element("KeyMarker", EncodeListed(p, query->key_marker));
  w.Element("VersionIdMarker", query->version_id_marker);
  w.Element("MaxKeys", static_cast<uint64_t>(p.max_keys));
  if (!p.delimiter.empty()) w.Element("Delimiter", EncodeListed(p, p.delimiter));
  if (p.url_encode) w.Element("EncodingType", "url");
  w.Bool("IsTruncated", page->is_truncated);
  if (page->is_truncated) {
    w.Element("NextKeyMarker", EncodeListed(p, page->next_key_marker));
    // After a common prefix there is no version to name: the next page starts past the prefix.
    if (!page->next_version_id_marker.empty()) {
      w.Element("NextVersionIdMarker", page->next_version_id_marker);
    }
  }
  S3Account owner = BucketOwnerView(env, call.request.bucket);
  for (const auto& version : page->versions) {
    WriteVersion(w, p, version, owner.canonical_id, owner.display_name);
  }
  WriteCommonPrefixes(w, p, page->common_prefixes);
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
