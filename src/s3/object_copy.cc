// CopyObject: within and across buckets, metadata and tagging directives (COPY/REPLACE), the
// copy-source conditions, a version as the source (x-amz-copy-source: b/k?versionId=), and
// copying an object onto itself to change its metadata (which, on a bucket never versioned,
// rewrites only the metadata row: no byte is copied; elsewhere it is a new version). Spec: CopyObject in the S3 API Reference.
#include "common/encoding.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/acl_handlers.h"
#include "s3/blob_io.h"
#include "s3/copy_source.h"
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
namespace {

enum class Directive { kCopy, kReplace };

Result<Directive> DirectiveOf(const S3Call& call, std::string_view header, std::string_view what) {
  auto value = call.Header(header);
  if (value.empty() || value == "COPY") return Directive::kCopy;
  if (value == "REPLACE") return Directive::kReplace;
  return MakeError(ErrorCode::kInvalidArgument, "Unknown " + std::string(what) + " directive.");
}

// The target's metadata: from the request (REPLACE) or the source (COPY); tags likewise.
Result<store::ObjectRecord> TargetRecord(const S3Call& call, const store::ObjectRecord& source,
                                         Directive metadata, Directive tagging) {
  store::ObjectRecord fresh;
  KURA_TRY(ReadObjectHeaders(call.head, fresh));
  store::ObjectRecord target = fresh;
  if (metadata == Directive::kCopy) {
    target.content_type = source.content_type;
    target.headers = source.headers;
    target.user_metadata = source.user_metadata;
  }
  target.tags = tagging == Directive::kReplace ? fresh.tags : source.tags;
  target.bucket = call.request.bucket;
  target.key = call.request.key;
  return target;
}

std::optional<sigv4::ChecksumAlgorithm> ChecksumFor(const S3Call& call, const store::ObjectRecord& source) {
  auto asked = call.Header("x-amz-checksum-algorithm");
  if (!asked.empty()) return sigv4::ChecksumFromName(asked);
  if (!source.checksum_algorithm.empty()) return sigv4::ChecksumFromName(source.checksum_algorithm);
  return std::nullopt;
}

net::awaitable<Result<void>> RespondCopyResult(S3Call& call, const store::ObjectRecord& written,
                                               ResponseHead head) {
  xml::Writer w("CopyObjectResult", xml::kS3Namespace);
  w.Element("ETag", QuotedEtag(written.etag)).Element("LastModified", FormatIso8601(written.last_modified));
  if (!written.checksum_algorithm.empty()) {
    w.Element("ChecksumType", written.checksum_type);
    w.Element("Checksum" + written.checksum_algorithm, written.checksum_value);
  }
  head.fields.set(bhttp::field::content_type, "application/xml");
  co_return co_await call.response.Respond(std::move(head), w.Finish());
}

// Copy onto itself in a bucket never versioned: only the metadata row changes. (On a versioned
// bucket the copy is a new version, as S3 makes it.)
net::awaitable<Result<void>> ReplaceOwnMetadata(S3Env& env, S3Call& call, store::ObjectRecord target) {
  target.last_modified = env.clock.Now();
  store::ObjectRecord written;
  auto updated = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateObject(call.request.bucket, call.request.key,
                              [&target, &written](store::ObjectRecord& current) -> Result<void> {
                                current.content_type = target.content_type;
                                current.headers = target.headers;
                                current.user_metadata = target.user_metadata;
                                current.tags = target.tags;
                                current.storage_class = target.storage_class;
                                current.acl = target.acl;
                                current.last_modified = target.last_modified;
                                written = current;
                                return Ok();
                              },
                              std::move(done));
  });
  if (!updated) co_return updated.error();
  auto head = NewHead(call);
  if (auto encryption = DecodeObjectEncryption(written.encryption)) {
    SetEncryptionHeaders(*encryption, /*with_context=*/true, head);
  }
  co_return co_await RespondCopyResult(call, written, std::move(head));
}

}  // namespace

net::awaitable<Result<void>> CopyObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto metadata = DirectiveOf(call, "x-amz-metadata-directive", "metadata");
  if (!metadata) co_return metadata.error();
  auto tagging = DirectiveOf(call, "x-amz-tagging-directive", "tagging");
  if (!tagging) co_return tagging.error();
  auto precondition = WritePreconditionOf(call);
  if (!precondition) co_return precondition.error();
  auto source = co_await ReadStep(env, [&] { return ResolveCopySource(env, call); });
  if (!source) co_return source.error();

  auto source_encryption = StoredEncryption(source->object.encryption);
  if (!source_encryption) co_return source_encryption.error();
  auto source_key = ReadEncryption(call, KeyHeaders::kCopySource, *source_encryption, env.sse_c_over_http);
  if (!source_key) co_return source_key.error();
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  // The copy is encrypted as its request (else the target bucket's default) says, never as the
  // source was: as S3 does.
  auto encryption = PrepareWriteEncryption(env, call, bucket->encryption);
  if (!encryption) co_return encryption.error();
  std::string target_encryption = EncodeObjectEncryption(encryption->stored);
  bool same_encryption = encryption->stored.mode != SseMode::kCustomer &&
                         target_encryption == source->object.encryption;

  // Copying an older version onto its own key restores it: that is no copy onto itself.
  bool onto_itself = source->name.bucket == call.request.bucket &&
                     source->name.key == call.request.key && source->object.is_latest;
  if (onto_itself && *metadata == Directive::kCopy && !call.HasHeader("x-amz-storage-class") &&
      !call.HasHeader("x-amz-website-redirect-location") && same_encryption) {
    co_return MakeError(ErrorCode::kInvalidRequest,
                        "This copy request is illegal because it is trying to copy an object to itself "
                        "without changing the object's metadata, storage class, website redirect "
                        "location or encryption attributes.");
  }
  if (source->object.size > limits::kMaxSinglePutBytes) {
    co_return MakeError(ErrorCode::kInvalidRequest,
                        "The specified copy source is larger than the maximum allowable size for a "
                        "copy source: " + std::to_string(limits::kMaxSinglePutBytes));
  }
  auto target = TargetRecord(call, source->object, *metadata, *tagging);
  if (!target) co_return target.error();
  KURA_CO_TRY(CheckObjectLockWrite(env, call, *bucket, *target, /*needs_integrity=*/false));
  // The copy's ACL is the request's (else the default), never the source's: as S3 does.
  // Authorizes s3:PutObjectAcl when the request sets an ACL: an object ACL may be read.
  auto acl = co_await ReadStep(env, [&] { return RequestedObjectAcl(env, call, *bucket); });
  if (!acl) co_return acl.error();
  target->acl = std::move(*acl);
  if (onto_itself && same_encryption && bucket->versioning == store::VersioningState::kUnversioned) {
    co_return co_await ReplaceOwnMetadata(env, call, std::move(*target));
  }

  auto algorithm = ChecksumFor(call, source->object);
  auto copied = co_await CopyBlob(env, BlobSource{source->object.blob, *source_encryption, *source_key}, 0,
                                  source->object.size, store::Placement::kInlineIfSmall, *encryption, algorithm);
  if (!copied) co_return copied.error();
  target->size = source->object.size;
  target->etag = copied->etag;
  target->encryption = target_encryption;
  if (algorithm) {
    target->checksum_algorithm = std::string(sigv4::ChecksumName(*algorithm));
    target->checksum_value = Base64Encode(copied->checksum_raw);
    target->checksum_type = "FULL_OBJECT";
  }
  target->last_modified = env.clock.Now();
  target->blob = copied->blob;
  auto written = co_await CommitObject(env, call, *target, *precondition);
  if (!written) co_return written.error();
  auto head = NewHead(call);
  SetWrittenVersionId(head, written->versioning, written->version_id);
  SetCopySourceVersionId(head, *source);
  SetEncryptionHeaders(encryption->stored, /*with_context=*/true, head);
  co_return co_await RespondCopyResult(call, *target, std::move(head));
}

}  // namespace kura::s3
