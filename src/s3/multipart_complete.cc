// CompleteMultipartUpload: checks the part list against the stored parts, computes the
// "md5-of-md5s-N" ETag and the COMPOSITE or FULL_OBJECT checksum, and commits an object whose
// blob references the part files (no data is copied).
#include <pugixml.hpp>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/xml_writer.h"
#include "s3/blob_io.h"
#include "s3/multipart_handlers.h"
#include "s3/object_crypto.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {

Result<std::vector<RequestedPart>> ParsePartList(std::string_view body, std::string_view checksum_algorithm) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "CompleteMultipartUpload");
  if (!root) return root.error();
  std::string checksum_element = "Checksum" + std::string(checksum_algorithm);
  std::vector<RequestedPart> parts;
  for (auto node : root->children("Part")) {
    RequestedPart part;
    std::string number = node.child_value("PartNumber");
    char* end = nullptr;
    long n = std::strtol(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0' || n < 1 || n > limits::kMaxPartNumber) {
      return MakeError(ErrorCode::kInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
    }
    part.number = static_cast<int>(n);
    part.etag = UnquoteEtag(node.child_value("ETag"));
    if (!checksum_algorithm.empty()) part.checksum = node.child_value(checksum_element.c_str());
    parts.push_back(std::move(part));
  }
  if (parts.empty()) {
    return MakeError(ErrorCode::kMalformedXML,
                     "The XML you provided was not well-formed or did not validate against our published schema");
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].number <= parts[i - 1].number) return MakeError(ErrorCode::kInvalidPartOrder);
  }
  return parts;
}

namespace {

Error TooSmall(const store::PartRecord& part) {
  Error e = MakeError(ErrorCode::kEntityTooSmall);
  e.details = {{"ProposedSize", std::to_string(part.size)},
               {"MinSizeAllowed", std::to_string(limits::kMinPartBytes)},
               {"PartNumber", std::to_string(part.part_number)},
               {"ETag", part.etag}};
  return e;
}

// The stored parts the request names, in its order, each checked (ETag, checksum, size).
Result<std::vector<store::PartRecord>> ChooseParts(const std::vector<RequestedPart>& requested,
                                                   std::vector<store::PartRecord> stored) {
  std::map<int, store::PartRecord*> by_number;
  for (auto& part : stored) by_number[part.part_number] = &part;
  std::vector<store::PartRecord> chosen;
  for (const auto& want : requested) {
    auto it = by_number.find(want.number);
    if (it == by_number.end() || it->second->etag != want.etag ||
        (!want.checksum.empty() && want.checksum != it->second->checksum_value)) {
      return MakeError(ErrorCode::kInvalidPart);
    }
    chosen.push_back(*it->second);
  }
  for (size_t i = 0; i + 1 < chosen.size(); ++i) {
    if (chosen[i].size < limits::kMinPartBytes) return TooSmall(chosen[i]);
  }
  return chosen;
}

std::string MultipartEtag(const std::vector<store::PartRecord>& parts) {
  std::string md5s;
  for (const auto& part : parts) md5s += HexDecode(part.etag).value_or(std::string(16, '\0'));
  return HexLower(Md5(md5s)) + "-" + std::to_string(parts.size());
}

// COMPOSITE: checksum of the parts' checksums, "-N"; FULL_OBJECT: the CRCs combined.
Result<std::string> ObjectChecksum(const store::ObjectRecord& object, const std::vector<store::PartRecord>& parts) {
  auto algorithm = sigv4::ChecksumFromName(object.checksum_algorithm);
  if (!algorithm) return std::string();
  std::vector<std::string> raws;
  std::vector<std::pair<std::string, uint64_t>> crcs;
  for (const auto& part : parts) {
    auto raw = Base64Decode(part.checksum_value);
    if (!raw) return MakeError(ErrorCode::kInvalidPart);
    raws.push_back(*raw);
    crcs.emplace_back(*raw, part.size);
  }
  if (object.checksum_type == "FULL_OBJECT") {
    auto combined = sigv4::CombineCrc(*algorithm, crcs);
    if (!combined) return MakeError(ErrorCode::kInvalidPart);
    return Base64Encode(*combined);
  }
  return sigv4::CompositeChecksum(*algorithm, raws);
}

store::ObjectRecord CompletedObject(const store::UploadRecord& upload, const std::vector<store::PartRecord>& parts) {
  store::ObjectRecord object = upload.object;
  object.blob = store::BlobRef{.kind = store::BlobRef::Kind::kParts};
  for (const auto& part : parts) {
    object.blob.parts.push_back({part.blob.id, part.size});
    object.blob.size += part.size;
  }
  object.size = object.blob.size;
  object.parts_count = static_cast<int>(parts.size());
  object.etag = MultipartEtag(parts);
  return object;
}

std::string LocationOf(const S3Call& call) {
  const auto& request = call.head;
  std::string scheme = request.secure_transport ? "https://" : "http://";
  return scheme + std::string(request.fields[bhttp::field::host]) + "/" + call.request.bucket + "/" +
         UriEncode(call.request.key, false);
}

}  // namespace

net::awaitable<Result<void>> CompleteMultipartUpload(S3Env& env, S3Call& call) {
  auto precondition = WritePreconditionOf(call);
  if (!precondition) co_return precondition.error();
  std::string upload_id = call.request.Query("uploadId");
  auto upload = co_await ReadUpload(env, call.request.bucket, call.request.key, upload_id);
  if (!upload) co_return upload.error();
  auto encryption = StoredEncryption(upload->object.encryption);
  if (!encryption) co_return encryption.error();
  KURA_CO_TRY(AuthorizeCompleteUpload(call, *encryption));
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto requested = ParsePartList(*body, upload->object.checksum_algorithm);
  if (!requested) co_return requested.error();
  auto stored = co_await ReadParts(env, upload_id, 0, limits::kMaxPartNumber);
  if (!stored) co_return stored.error();
  auto parts = ChooseParts(*requested, std::move(*stored));
  if (!parts) co_return parts.error();

  store::ObjectRecord object = CompletedObject(*upload, *parts);
  auto checksum = ObjectChecksum(object, *parts);
  if (!checksum) co_return checksum.error();
  object.checksum_value = *checksum;
  object.last_modified = env.clock.Now();
  object.version_id = NewVersionId(env.random);
  store::CompletedUpload completed{upload_id, object, *parts, *precondition};
  auto written = co_await store::StoreWrite<store::PutOutcome>([&](auto done) {
    env.metadata.CompleteUpload(std::move(completed), LockContextFor(env, call, call.request.key), std::move(done));
  });
  if (!written) co_return written.error();
  for (auto& blob : written->unreferenced) DeleteBlobLater(env, std::move(blob));

  xml::Writer w("CompleteMultipartUploadResult", xml::kS3Namespace);
  w.Element("Location", LocationOf(call)).Element("Bucket", call.request.bucket);
  w.Element("Key", call.request.key).Element("ETag", QuotedEtag(object.etag));
  if (!object.checksum_algorithm.empty()) {
    w.Element("Checksum" + object.checksum_algorithm, object.checksum_value);
    w.Element("ChecksumType", object.checksum_type);
  }
  auto head = NewHead(call);
  head.fields.set(bhttp::field::content_type, "application/xml");
  SetWrittenVersionId(head, written->versioning, written->version_id);
  SetEncryptionHeaders(*encryption, /*with_context=*/false, head);
  co_return co_await call.response.Respond(std::move(head), w.Finish());
}

}  // namespace kura::s3
