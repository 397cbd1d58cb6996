#include "s3/list_objects.h"

#include "common/encoding.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/list_params.h"
#include "s3/metadata_reads.h"
#include "s3/owners.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace kura::s3 {
namespace {

struct ListParams {
  ListingParams listing;
  bool v2 = false;
  bool fetch_owner = false;
  std::string marker, start_after, continuation_token;
};

Result<ListParams> ReadParams(const S3Request& request) {
  auto listing = ReadListingParams(request);
  if (!listing) return listing.error();
  ListParams p;
  p.listing = std::move(*listing);
  p.v2 = request.operation == S3Operation::kListObjectsV2;
  p.marker = request.Query("marker");
  p.start_after = request.Query("start-after");
  p.continuation_token = request.Query("continuation-token");
  p.fetch_owner = request.Query("fetch-owner") == "true";
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

void WriteContents(xml::Writer& w, const ListParams& p, const store::ObjectRecord& o,
                   const std::string& owner_id, std::string_view display_name) {
  w.Open("Contents")
      .Element("Key", EncodeListed(p.listing, o.key))
      .Element("LastModified", FormatIso8601(o.last_modified))
      .Element("ETag", QuotedEtag(o.etag))
      .Element("Size", o.size);
  if (!o.checksum_algorithm.empty()) w.Element("ChecksumAlgorithm", o.checksum_algorithm);
  w.Element("StorageClass", StorageClassOf(o));
  if (!p.v2 || p.fetch_owner) WriteOwner(w, owner_id, display_name);
  w.Close("Contents");
}

// One page of the bucket after `start`; max-keys=0 lists nothing but still needs the bucket.
Result<store::ListPage> ReadPage(S3Env& env, const std::string& bucket, const ListingParams& p,
                                 const std::string& start) {
  if (p.max_keys > 0) {
    return env.metadata.ListObjects(store::ListQuery{bucket, p.prefix, p.delimiter, start, p.max_keys});
  }
  auto exists = env.metadata.GetBucket(bucket);
  if (!exists) return exists.error();
  return store::ListPage{};
}
}  // namespace

net::awaitable<Result<void>> ListObjects(S3Env& env, S3Call& call) {
  auto params = ReadParams(call.request);
  if (!params) co_return params.error();
  const ListParams& p = *params;
  const ListingParams& l = p.listing;
  auto start = StartAfter(p);
  if (!start) co_return start.error();

  auto page = co_await ReadStep(env, [&] { return ReadPage(env, call.request.bucket, l, *start); });
  if (!page) co_return page.error();

  xml::Writer w("ListBucketResult", xml::kS3Namespace);
  w.Element("Name", call.request.bucket).Element("Prefix", EncodeListed(l, l.prefix));
  if (p.v2) {
    if (!p.continuation_token.empty()) w.Element("ContinuationToken", p.continuation_token);
    if (!p.start_after.empty()) w.Element("StartAfter", EncodeListed(l, p.start_after));
    w.Element("KeyCount", page->objects.size() + page->common_prefixes.size());
  } else {
    w.Element("Marker", EncodeListed(l, p.marker));
  }
  w.Element("MaxKeys", static_cast<uint64_t>(l.max_keys));
  if (!l.delimiter.empty()) w.Element("Delimiter", EncodeListed(l, l.delimiter));
  if (l.url_encode) w.Element("EncodingType", "url");
  w.Bool("IsTruncated", page->is_truncated);
  if (page->is_truncated) {
    if (p.v2) {
      w.Element("NextContinuationToken", Base64UrlEncode(page->next_marker));
    } else if (!l.delimiter.empty()) {
      w.Element("NextMarker", EncodeListed(l, page->next_marker));
    }
  }
  S3Account owner = BucketOwnerView(env, call.request.bucket);
  for (const auto& object : page->objects) {
    WriteContents(w, p, object, owner.canonical_id, owner.display_name);
  }
  WriteCommonPrefixes(w, l, page->common_prefixes);
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
