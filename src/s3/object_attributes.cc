#include "s3/object_attributes.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/limits.h"
#include "common/text.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/list_params.h"
#include "s3/names.h"
#include "s3/object_crypto.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"

namespace kura::s3 {

Result<unsigned> ParseObjectAttributes(std::string_view header) {
  static constexpr std::pair<std::string_view, ObjectAttribute> kNames[] = {
      {"ETag", kAttributeETag},
      {"Checksum", kAttributeChecksum},
      {"ObjectParts", kAttributeObjectParts},
      {"StorageClass", kAttributeStorageClass},
      {"ObjectSize", kAttributeObjectSize},
  };
  unsigned attributes = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view name = TrimAsciiWhitespace(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    auto known = std::find_if(std::begin(kNames), std::end(kNames),
                              [name](const auto& entry) { return entry.first == name; });
    if (known == std::end(kNames)) {
      return MakeError(ErrorCode::kInvalidArgument, "Invalid attribute name specified.");
    }
    attributes |= known->second;
  }
  if (attributes == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The x-amz-object-attributes header specifying the attributes to be retrieved "
                     "is either missing or empty");
  }
  return attributes;
}

namespace {

struct PartsPage {
  int max_parts = limits::kMaxKeysPerPage;
  int part_number_marker = 0;
};

Result<PartsPage> ReadPartsPage(const S3Call& call) {
  PartsPage page;
  if (call.HasHeader("x-amz-max-parts")) {
    auto max_parts = ParsePageSize("max-parts", call.Header("x-amz-max-parts"));
    if (!max_parts) return max_parts.error();
    page.max_parts = *max_parts;
  }
  if (call.HasHeader("x-amz-part-number-marker")) {
    auto marker = ParsePageSize("part-number-marker", call.Header("x-amz-part-number-marker"));
    if (!marker) return marker.error();
    page.part_number_marker = *marker;
  }
  return page;
}

// The version's headers; x-amz-version-id when versioning gave it an id or one was asked for
// (an object written before versioning is "null", which S3 names only when asked).
void SetVersionHeaders(const S3Call& call, const store::ObjectRecord& o, ResponseHead& head) {
  head.fields.set(bhttp::field::last_modified, FormatHttpDate(o.last_modified));
  if (o.version_id != store::kNullVersionId || call.request.HasQuery("versionId")) {
    head.fields.set("x-amz-version-id", o.version_id);
  }
}

// A delete marker: 404 NoSuchKey as the latest version, 405 MethodNotAllowed by version id, with
// x-amz-delete-marker, which the pipeline's error rendering cannot add.
net::awaitable<Result<void>> RespondDeleteMarker(S3Call& call, const store::ObjectRecord& marker) {
  bool by_version = call.request.HasQuery("versionId");
  Error error = by_version ? MakeError(ErrorCode::kMethodNotAllowed,
                                       "The specified method is not allowed against this resource.")
                           : MakeError(ErrorCode::kNoSuchKey);
  auto head = NewHead(call, static_cast<bhttp::status>(error.http_status()));
  head.fields.set("x-amz-delete-marker", "true");
  SetVersionHeaders(call, marker, head);
  co_return co_await RespondWithError(call, std::move(head), error);
}

void WriteChecksum(xml::Writer& w, const store::ObjectRecord& o) {
  if (o.checksum_algorithm.empty()) return;
  w.Open("Checksum").Element("Checksum" + o.checksum_algorithm, o.checksum_value);
  if (!o.checksum_type.empty()) w.Element("ChecksumType", o.checksum_type);
  w.Close("Checksum");
}

// Only multipart objects have parts. TotalPartsCount is <PartsCount> on the wire.
void WriteObjectParts(xml::Writer& w, const store::ObjectRecord& o, const PartsPage& page) {
  if (o.parts_count <= 0) return;
  w.Open("ObjectParts")
      .Element("PartsCount", static_cast<uint64_t>(o.parts_count))
      .Element("PartNumberMarker", static_cast<uint64_t>(page.part_number_marker))
      .Element("MaxParts", static_cast<uint64_t>(page.max_parts))
      .Bool("IsTruncated", false)
      .Close("ObjectParts");
}

std::string RenderAttributes(const store::ObjectRecord& o, unsigned attributes,
                             const PartsPage& page) {
  xml::Writer w("GetObjectAttributesResponse", xml::kS3Namespace);
  // S3 writes this ETag unquoted, unlike every other ETag it returns.
  if (attributes & kAttributeETag) w.Element("ETag", o.etag);
  if (attributes & kAttributeChecksum) WriteChecksum(w, o);
  if (attributes & kAttributeObjectParts) WriteObjectParts(w, o, page);
  if (attributes & kAttributeStorageClass) w.Element("StorageClass", StorageClassOf(o));
  if (attributes & kAttributeObjectSize) w.Element("ObjectSize", o.size);
  return w.Finish();
}

}  // namespace

net::awaitable<Result<void>> GetObjectAttributes(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto attributes = ParseObjectAttributes(call.Header("x-amz-object-attributes"));
  if (!attributes) co_return attributes.error();
  auto page = ReadPartsPage(call);
  if (!page) co_return page.error();
  std::optional<std::string> version_id;
  if (call.request.HasQuery("versionId")) version_id = call.request.Query("versionId");
  auto object = co_await ReadObjectMeta(env, call.request.bucket, call.request.key, version_id);
  if (!object) co_return object.error();
  if (object->is_delete_marker) co_return co_await RespondDeleteMarker(call, *object);
  // As HeadObject: an SSE-C object's attributes need its key.
  auto encryption = StoredEncryption(object->encryption);
  if (!encryption) co_return encryption.error();
  KURA_CO_TRY(ReadEncryption(call, KeyHeaders::kObject, *encryption, env.sse_c_over_http, /*decrypts=*/false));

  auto head = NewHead(call);
  SetVersionHeaders(call, *object, head);
  head.fields.set(bhttp::field::content_type, "application/xml");
  co_return co_await call.response.Respond(std::move(head),
                                           RenderAttributes(*object, *attributes, *page));
}

}  // namespace kura::s3
