#include "common/async_bridge.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/text.h"
#include "crypt/blob_crypto.h"
#include "s3/acl_handlers.h"
#include "s3/blob_io.h"
#include "s3/lifecycle_handlers.h"
#include "s3/names.h"
#include "s3/object_crypto.h"
#include "s3/object_handlers.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {

Result<void> CheckDeclaredLength(const S3Call& call) {
  const auto& request = call.head;
  auto decoded = call.Header("x-amz-decoded-content-length");
  uint64_t length = request.content_length;
  if (!decoded.empty()) {
    length = std::strtoull(std::string(decoded).c_str(), nullptr, 10);
  } else if (!request.has_content_length) {
    return MakeError(ErrorCode::kMissingContentLength);
  }
  if (length > limits::kMaxSinglePutBytes) return MakeError(ErrorCode::kEntityTooLarge);
  return Ok();
}

namespace {

net::awaitable<Result<store::BlobRef>> Seal(S3Env& env, store::BlobWriter& writer,
                                            store::Placement placement) {
  // Inline blobs seal without I/O; files are fsynced on the blocking pool. (An encrypted blob
  // is longer than its plaintext: near the threshold it may be a file.)
  if (placement == store::Placement::kInlineIfSmall &&
      writer.size() + crypt::kSmallBlobOverhead <= store::kInlineThreshold) {
    co_return writer.Seal();
  }
  co_return co_await RunBlocking(env.blocking, [&writer] { return writer.Seal(); });
}

}  // namespace

net::awaitable<Result<ReceivedBody>> ReceiveBody(S3Env& env, S3Call& call, store::Placement placement,
                                                 const WriteEncryption& encryption) {
  auto writer = NewObjectWriter(env, encryption, placement);
  if (!writer) co_return writer.error();
  // Bodies over the inline threshold go straight into the writer's staging buffer (one copy).
  KURA_CO_TRY(co_await call.body.ReadInto(*writer->writer, limits::kMaxSinglePutBytes, store::kInlineThreshold));
  const sigv4::PayloadSummary& summary = *call.body.summary();
  auto blob = co_await Seal(env, *writer->writer, placement);
  if (!blob) co_return blob.error();
  ReceivedBody body;
  body.blob = std::move(*blob);
  body.md5_hex = HexLower(summary.md5);
  body.etag = writer->EtagOf(body.md5_hex);
  if (summary.checksum_algorithm) {
    body.checksum_algorithm = std::string(sigv4::ChecksumName(*summary.checksum_algorithm));
    body.checksum_value = summary.checksum_base64;
  }
  co_return body;
}

net::awaitable<Result<void>> PutObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  KURA_CO_TRY(CheckDeclaredLength(call));
  auto precondition = WritePreconditionOf(call);
  if (!precondition) co_return precondition.error();
  store::ObjectRecord record;
  record.bucket = call.request.bucket;
  record.key = call.request.key;
  KURA_CO_TRY(ReadObjectHeaders(call.head, record));
  // Fail before reading a large body into a bucket that does not exist, or with an ACL refused.
  auto bucket = co_await ReadBucket(env, record.bucket);
  if (!bucket) co_return bucket.error();
  KURA_CO_TRY(CheckObjectLockWrite(env, call, *bucket, record, /*needs_integrity=*/true));
  // Authorizes s3:PutObjectAcl when the request sets an ACL: an object ACL may be read.
  auto acl = co_await ReadStep(env, [&] { return RequestedObjectAcl(env, call, *bucket); });
  if (!acl) co_return acl.error();
  record.acl = std::move(*acl);
  auto encryption = PrepareWriteEncryption(env, call, bucket->encryption);
  if (!encryption) co_return encryption.error();
  record.encryption = EncodeObjectEncryption(encryption->stored);

  auto body = co_await ReceiveBody(env, call, store::Placement::kInlineIfSmall, *encryption);
  if (!body) co_return body.error();
  record.size = body->blob.size;
  record.etag = body->etag;
  record.checksum_algorithm = body->checksum_algorithm;
  record.checksum_value = body->checksum_value;
  if (!record.checksum_algorithm.empty()) record.checksum_type = "FULL_OBJECT";
  record.last_modified = env.clock.Now();
  record.blob = body->blob;

  auto written = co_await CommitObject(env, call, record, *precondition);
  if (!written) co_return written.error();

  auto head = NewHead(call);
  head.fields.set(bhttp::field::etag, QuotedEtag(record.etag));
  SetWrittenVersionId(head, written->versioning, written->version_id);
  SetEncryptionHeaders(encryption->stored, /*with_context=*/true, head);
  if (!record.checksum_algorithm.empty()) {
    head.fields.set(AsciiLower("x-amz-checksum-" + record.checksum_algorithm), record.checksum_value);
    head.fields.set("x-amz-checksum-type", record.checksum_type);
  }
  SetExpirationHeader(env, record, head);
  co_return co_await RespondEmpty(call, std::move(head));
}

}  // namespace kura::s3
