#include "common/encoding.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/acl_handlers.h"
#include "s3/blob_io.h"
#include "s3/byte_range.h"
#include "s3/copy_source.h"
#include "s3/multipart_handlers.h"
#include "s3/names.h"
#include "s3/object_crypto.h"
#include "s3/object_handlers.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// Upload ids sort by initiation time (16 hex digits of nanoseconds first), as ListMultipartUploads
// orders uploads of one key.
std::string NewUploadId(S3Env& env, TimePoint now) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  Random& random = env.random;
  char time_hex[17];
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::snprintf(time_hex, sizeof time_hex, "%016llx", static_cast<unsigned long long>(nanos));
  return std::string(time_hex) + random.Chars(48, kAlphabet);
}

// x-amz-checksum-algorithm and x-amz-checksum-type of CreateMultipartUpload. CRC64NVME is
// FULL_OBJECT only, the SHAs COMPOSITE only; the CRC32s default to COMPOSITE.
Result<void> ReadChecksumChoice(const S3Call& call, store::ObjectRecord& object) {
  auto name = call.Header("x-amz-checksum-algorithm");
  auto type = call.Header("x-amz-checksum-type");
  if (name.empty()) {
    if (!type.empty()) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    }
    return Ok();
  }
  auto algorithm = sigv4::ChecksumFromName(name);
  if (!algorithm) return MakeError(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
  if (type.empty()) type = *algorithm == sigv4::ChecksumAlgorithm::kCrc64Nvme ? "FULL_OBJECT" : "COMPOSITE";
  bool full = type == "FULL_OBJECT";
  if ((!full && type != "COMPOSITE") || (full && !sigv4::IsCrc(*algorithm)) ||
      (!full && *algorithm == sigv4::ChecksumAlgorithm::kCrc64Nvme)) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "The " + std::string(type) + " checksum type cannot be used with the " +
                         std::string(sigv4::ChecksumName(*algorithm)) + " checksum algorithm.");
  }
  object.checksum_algorithm = std::string(sigv4::ChecksumName(*algorithm));
  object.checksum_type = std::string(type);
  return Ok();
}

void SetChecksumHeader(ResponseHead& head, std::string_view algorithm, std::string_view value) {
  auto parsed = sigv4::ChecksumFromName(algorithm);
  if (parsed && !value.empty()) head.fields.set(sigv4::ChecksumHeaderName(*parsed), value);
}

// Commits a part; on failure (e.g. the upload was aborted meanwhile) its blob is deleted.
net::awaitable<Result<void>> CommitPart(S3Env& env, S3Call& call, store::PartRecord part) {
  store::BlobRef written = part.blob;
  auto replaced = co_await store::StoreWrite<std::optional<store::BlobRef>>([&](auto done) {
    env.metadata.PutPart(call.request.Query("uploadId"), std::move(part), std::move(done));
  });
  if (!replaced) {
    DeleteBlobLater(env, std::move(written));
    co_return replaced.error();
  }
  if (*replaced) DeleteBlobLater(env, std::move(**replaced));
  co_return Ok();
}

// A part's checksum of the upload's algorithm: the one the body carried, or computed from the
// stored bytes when the client sent none.
net::awaitable<Result<std::string>> PartChecksum(S3Env& env, const store::UploadRecord& upload,
                                                 const ReceivedBody& body, const WriteEncryption& encryption) {
  if (upload.object.checksum_algorithm.empty()) co_return std::string();
  if (body.checksum_algorithm == upload.object.checksum_algorithm) co_return body.checksum_value;
  if (!body.checksum_algorithm.empty()) {
    co_return MakeError(ErrorCode::kInvalidRequest,
                        "Checksum Type mismatch occurred, expected checksum Type: " +
                            upload.object.checksum_algorithm + ", actual checksum Type: " +
                            body.checksum_algorithm);
  }
  auto algorithm = sigv4::ChecksumFromName(upload.object.checksum_algorithm);
  auto copied =
      co_await ChecksumOfBlob(env, BlobSource{body.blob, encryption.stored, encryption.customer_key}, *algorithm);
  if (!copied) co_return copied.error();
  co_return Base64Encode(*copied);
}

}  // namespace

Result<int> PartNumberOf(const S3Request& request) {
  std::string text = request.Query("partNumber");
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 1 || n > limits::kMaxPartNumber) {
    return MakeError(ErrorCode::kInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
  }
  return static_cast<int>(n);
}

net::awaitable<Result<void>> CreateMultipartUpload(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  store::UploadRecord upload;
  upload.object.bucket = call.request.bucket;
  upload.object.key = call.request.key;
  KURA_CO_TRY(ReadObjectHeaders(call.head, upload.object));
  KURA_CO_TRY(ReadChecksumChoice(call, upload.object));
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  KURA_CO_TRY(CheckObjectLockWrite(env, call, *bucket, upload.object, /*needs_integrity=*/false));
  // The upload's template keeps the ACL, so CompleteMultipartUpload writes it.
  // Authorizes s3:PutObjectAcl when the request sets an ACL: an object ACL may be read.
  auto acl = co_await ReadStep(env, [&] { return RequestedObjectAcl(env, call, *bucket); });
  if (!acl) co_return acl.error();
  upload.object.acl = std::move(*acl);
  auto encryption = PrepareWriteEncryption(env, call, bucket->encryption);
  if (!encryption) co_return encryption.error();
  upload.object.encryption = EncodeObjectEncryption(encryption->stored);
  upload.initiated = env.clock.Now();
  upload.upload_id = NewUploadId(env, upload.initiated);
  auto created = co_await store::StoreWrite<void>([&](auto done) { env.metadata.CreateUpload(upload, std::move(done)); });
  if (!created) co_return created.error();

  xml::Writer w("InitiateMultipartUploadResult", xml::kS3Namespace);
  w.Element("Bucket", call.request.bucket).Element("Key", call.request.key).Element("UploadId", upload.upload_id);
  auto head = NewHead(call);
  head.fields.set(bhttp::field::content_type, "application/xml");
  if (!upload.object.checksum_algorithm.empty()) {
    head.fields.set("x-amz-checksum-algorithm", upload.object.checksum_algorithm);
    head.fields.set("x-amz-checksum-type", upload.object.checksum_type);
  }
  SetEncryptionHeaders(encryption->stored, /*with_context=*/true, head);
  co_return co_await call.response.Respond(std::move(head), w.Finish());
}

net::awaitable<Result<void>> UploadPart(S3Env& env, S3Call& call) {
  auto number = PartNumberOf(call.request);
  if (!number) co_return number.error();
  KURA_CO_TRY(CheckDeclaredLength(call));
  auto upload = co_await ReadUpload(env, call.request.bucket, call.request.key,
                                    call.request.Query("uploadId"));
  if (!upload) co_return upload.error();
  auto stored = StoredEncryption(upload->object.encryption);
  if (!stored) co_return stored.error();
  // Each part gets its own data key; an SSE-C part must present the upload's key.
  auto encryption = PartWriteEncryption(env, call, *stored);
  if (!encryption) co_return encryption.error();
  auto body = co_await ReceiveBody(env, call, store::Placement::kAlwaysFile, *encryption);
  if (!body) co_return body.error();
  auto checksum = co_await PartChecksum(env, *upload, *body, *encryption);
  if (!checksum) {
    DeleteBlobLater(env, body->blob);
    co_return checksum.error();
  }
  store::PartRecord part{*number, body->blob.size, body->etag, env.clock.Now(), *checksum, body->blob};
  KURA_CO_TRY(co_await CommitPart(env, call, part));
  auto head = NewHead(call);
  head.fields.set(bhttp::field::etag, QuotedEtag(part.etag));
  SetEncryptionHeaders(*stored, /*with_context=*/false, head);
  SetChecksumHeader(head, upload->object.checksum_algorithm, part.checksum_value);
  co_return co_await RespondEmpty(call, std::move(head));
}

net::awaitable<Result<void>> UploadPartCopy(S3Env& env, S3Call& call) {
  auto number = PartNumberOf(call.request);
  if (!number) co_return number.error();
  auto upload = co_await ReadUpload(env, call.request.bucket, call.request.key,
                                    call.request.Query("uploadId"));
  if (!upload) co_return upload.error();
  auto stored = StoredEncryption(upload->object.encryption);
  if (!stored) co_return stored.error();
  auto encryption = PartWriteEncryption(env, call, *stored);
  if (!encryption) co_return encryption.error();
  auto source = co_await ReadStep(env, [&] { return ResolveCopySource(env, call); });
  if (!source) co_return source.error();
  auto source_encryption = StoredEncryption(source->object.encryption);
  if (!source_encryption) co_return source_encryption.error();
  auto source_key = ReadEncryption(call, KeyHeaders::kCopySource, *source_encryption, env.sse_c_over_http);
  if (!source_key) co_return source_key.error();
  auto range =
      ParseCopySourceRange(call.Header("x-amz-copy-source-range"), source->object.size);
  if (!range) co_return range.error();
  if (range->length > limits::kMaxSinglePutBytes) {
    co_return MakeError(ErrorCode::kInvalidRequest,
                        "The specified copy source is larger than the maximum allowable size for a "
                        "copy source: " + std::to_string(limits::kMaxSinglePutBytes));
  }
  std::optional<sigv4::ChecksumAlgorithm> algorithm;
  if (!upload->object.checksum_algorithm.empty()) {
    algorithm = sigv4::ChecksumFromName(upload->object.checksum_algorithm);
  }
  auto copied = co_await CopyBlob(env, BlobSource{source->object.blob, *source_encryption, *source_key},
                                  range->first, range->length, store::Placement::kAlwaysFile, *encryption,
                                  algorithm);
  if (!copied) co_return copied.error();
  store::PartRecord part{*number, range->length, copied->etag, env.clock.Now(),
                         algorithm ? Base64Encode(copied->checksum_raw) : std::string(), copied->blob};
  KURA_CO_TRY(co_await CommitPart(env, call, part));

  xml::Writer w("CopyPartResult", xml::kS3Namespace);
  w.Element("ETag", QuotedEtag(part.etag)).Element("LastModified", FormatIso8601(part.last_modified));
  if (algorithm) w.Element("Checksum" + upload->object.checksum_algorithm, part.checksum_value);
  auto head = NewHead(call);
  head.fields.set(bhttp::field::content_type, "application/xml");
  SetCopySourceVersionId(head, *source);
  SetEncryptionHeaders(*stored, /*with_context=*/false, head);
  co_return co_await call.response.Respond(std::move(head), w.Finish());
}

net::awaitable<Result<void>> AbortMultipartUpload(S3Env& env, S3Call& call) {
  auto freed = co_await store::StoreWrite<std::vector<store::BlobRef>>([&](auto done) {
    env.metadata.AbortUpload(call.request.bucket, call.request.key, call.request.Query("uploadId"),
                             std::move(done));
  });
  if (!freed) co_return freed.error();
  for (auto& blob : *freed) DeleteBlobLater(env, std::move(blob));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
