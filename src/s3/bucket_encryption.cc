#include "s3/bucket_encryption.h"

#include <pugixml.hpp>
#include <utility>

#include "common/limits.h"
#include "common/text.h"
#include "common/xml_writer.h"
#include "s3/integrity_headers.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// SSEAlgorithm's values (botocore's ServerSideEncryption enum) for a general purpose bucket.
// aws:fsx and aws:backup name other services' encryption and do not apply to a bucket's default.
Result<SseMode> ParseAlgorithm(std::string_view name) {
  if (name == "AES256") return SseMode::kS3;
  if (name == "aws:kms") return SseMode::kKms;
  if (name == "aws:kms:dsse") {
    return MakeError(ErrorCode::kNotImplemented,
                     "Dual-layer server-side encryption (aws:kms:dsse) is not implemented");
  }
  return MakeError(ErrorCode::kMalformedXML);
}

// An optional boolean element; false when absent.
Result<bool> ParseFlag(const pugi::xml_node& parent, const char* name) {
  pugi::xml_node node = parent.child(name);
  if (!node) return false;
  std::string_view value = TrimAsciiWhitespace(node.child_value());
  if (EqualsIgnoreAsciiCase(value, "true")) return true;
  if (EqualsIgnoreAsciiCase(value, "false")) return false;
  return MakeError(ErrorCode::kMalformedXML);
}

// BlockedEncryptionTypes (2025): kura blocks no method, so NONE is what it does already; a request
// to block SSE-C is refused rather than stored and ignored.
Result<void> CheckBlockedTypes(const pugi::xml_node& rule) {
  for (pugi::xml_node type : rule.child("BlockedEncryptionTypes").children("EncryptionType")) {
    std::string_view name = TrimAsciiWhitespace(type.child_value());
    if (name == "SSE-C") {
      return MakeError(ErrorCode::kNotImplemented,
                       "Blocking SSE-C (BlockedEncryptionTypes) is not implemented");
    }
    if (name != "NONE") return MakeError(ErrorCode::kMalformedXML);
  }
  return Ok();
}

// S3's answer to a KMSMasterKeyID beside another algorithm (as S3 words it, with ArgumentName).
Error KeyIdWithoutKms() {
  Error error = MakeError(ErrorCode::kInvalidArgument,
                          "a KMSMasterKeyID is not applicable if the default sse algorithm is not "
                          "aws:kms or aws:kms:dsse");
  error.details.emplace_back("ArgumentName", "ApplyServerSideEncryptionByDefault");
  return error;
}

net::awaitable<Result<void>> StoreDefault(S3Env& env, S3Call& call, std::string encoded) {
  co_return co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(
        call.request.bucket,
        [encoded = std::move(encoded)](store::BucketRecord& b) -> Result<void> {
          b.encryption = encoded;
          return Ok();
        },
        std::move(done));
  });
}

}  // namespace

Result<ObjectEncryption> ParseServerSideEncryptionConfiguration(std::string_view body) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "ServerSideEncryptionConfiguration");
  if (!root) return root.error();
  pugi::xml_node rule = root->child("Rule");
  // S3 takes exactly one rule.
  if (!rule || rule.next_sibling("Rule")) return MakeError(ErrorCode::kMalformedXML);
  KURA_TRY(CheckBlockedTypes(rule));
  pugi::xml_node by_default = rule.child("ApplyServerSideEncryptionByDefault");
  pugi::xml_node algorithm = by_default.child("SSEAlgorithm");
  if (!algorithm) return MakeError(ErrorCode::kMalformedXML);
  auto mode = ParseAlgorithm(TrimAsciiWhitespace(algorithm.child_value()));
  if (!mode) return mode.error();
  pugi::xml_node key_id = by_default.child("KMSMasterKeyID");
  if (key_id && *mode != SseMode::kKms) return KeyIdWithoutKms();
  auto bucket_key_enabled = ParseFlag(rule, "BucketKeyEnabled");
  if (!bucket_key_enabled) return bucket_key_enabled.error();
  // S3 does not check that the key exists here ("Amazon S3 doesn't validate the KMS key ID
  // provided in PutBucketEncryption requests"); a write using it does.
  return ObjectEncryption{.mode = *mode,
                          .kms_key_id = std::string(TrimAsciiWhitespace(key_id.child_value())),
                          .bucket_key_enabled = *bucket_key_enabled};
}

std::string RenderServerSideEncryptionConfiguration(const ObjectEncryption& bucket_default) {
  bool kms = bucket_default.mode == SseMode::kKms;
  xml::Writer w("ServerSideEncryptionConfiguration", xml::kS3Namespace);
  w.Open("Rule").Open("ApplyServerSideEncryptionByDefault");
  w.Element("SSEAlgorithm", kms ? "aws:kms" : "AES256");
  if (kms && !bucket_default.kms_key_id.empty()) {
    w.Element("KMSMasterKeyID", bucket_default.kms_key_id);
  }
  w.Close("ApplyServerSideEncryptionByDefault");
  w.Element("BucketKeyEnabled", bucket_default.bucket_key_enabled ? "true" : "false");
  w.Close("Rule");
  return w.Finish();
}

net::awaitable<Result<void>> GetBucketEncryption(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->encryption.empty()) {
    co_return MakeError(ErrorCode::kServerSideEncryptionConfigurationNotFoundError);
  }
  auto bucket_default = DecodeObjectEncryption(bucket->encryption);
  if (!bucket_default) {
    co_return MakeError(ErrorCode::kInternalError, "A stored bucket encryption is corrupt");
  }
  co_return co_await RespondXml(call, RenderServerSideEncryptionConfiguration(*bucket_default));
}

net::awaitable<Result<void>> PutBucketEncryption(S3Env& env, S3Call& call) {
  // S3 answers NoSuchBucket before it looks at the body.
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  // The model marks PutBucketEncryption requestChecksumRequired, like the lifecycle write.
  if (!HasIntegrityHeader(call)) {
    co_return MakeError(ErrorCode::kInvalidRequest,
                        "Missing required header for this request: Content-MD5");
  }
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto bucket_default = ParseServerSideEncryptionConfiguration(*body);
  if (!bucket_default) co_return bucket_default.error();
  KURA_CO_TRY(co_await StoreDefault(env, call, EncodeObjectEncryption(*bucket_default)));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> DeleteBucketEncryption(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StoreDefault(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
