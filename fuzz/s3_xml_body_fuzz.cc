// Every S3 XML request-body parser on every input (each refuses documents that are not its own):
// ParseTagging (object and bucket limits), ParseCorsConfiguration, ParseDelete, ParsePartList
// (without and with a checksum algorithm), ParseCreateBucketConfiguration,
// ParseAccessControlPolicy, ParseOwnershipControls, ParseServerSideEncryptionConfiguration,
// ParseVersioningConfiguration, ParseLifecycleConfiguration, ParseObjectLockConfiguration,
// ParseRetention, ParseLegalHold, ParsePublicAccessBlockConfiguration.
// Refusals must be the parser's documented errors; what parses must obey the documented limits,
// and a CORS configuration, an ACL, ownership controls and a bucket's default encryption must
// survive being rendered and read back (parsed again).
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "common/limits.h"
#include "s3/bucket_encryption.h"
#include "s3/bucket_handlers.h"
#include "s3/acl.h"
#include "s3/bucket_policy.h"
#include "s3/bucket_versioning.h"
#include "s3/lifecycle_config.h"
#include "s3/object_lock.h"
#include "s3/public_access_block.h"
#include "s3/cors.h"
#include "s3/delete_objects.h"
#include "s3/multipart_handlers.h"
#include "s3/ownership_controls.h"
#include "s3/tagging.h"

namespace {

using kura::ErrorCode;

template <typename T>
void ExpectRefusalIn(const kura::Result<T>& result, std::initializer_list<ErrorCode> allowed) {
  if (result) return;
  for (ErrorCode code : allowed) {
    if (result.error().code == code) return;
  }
  std::abort();
}

void FuzzTagging(std::string_view body, size_t max_tags) {
  auto tags = kura::s3::ParseTagging(body, max_tags);
  ExpectRefusalIn(tags, {ErrorCode::kMalformedXML, ErrorCode::kInvalidTag, ErrorCode::kBadRequest});
  if (!tags) return;
  if (tags->size() > max_tags) std::abort();
  auto again = kura::s3::ParseTagging(kura::s3::RenderTagging(*tags), max_tags);
  if (!again || again->size() != tags->size()) std::abort();
}

void FuzzCors(std::string_view body) {
  auto rules = kura::s3::ParseCorsConfiguration(body);
  ExpectRefusalIn(rules, {ErrorCode::kMalformedXML, ErrorCode::kInvalidRequest});
  if (!rules) return;
  // PutBucketCors stores the rendered rules; every later request parses them again.
  auto stored = kura::s3::ParseCorsConfiguration(kura::s3::RenderCorsConfiguration(*rules));
  if (!stored || stored->size() != rules->size()) std::abort();
  for (size_t i = 0; i < rules->size(); ++i) {
    const auto& a = (*rules)[i];
    const auto& b = (*stored)[i];
    if (a.allowed_methods != b.allowed_methods || a.max_age_seconds != b.max_age_seconds ||
        a.allowed_origins.size() != b.allowed_origins.size()) {
      std::abort();
    }
  }
  (void)kura::s3::MatchCorsRule(*rules, "https://app.example.com", "PUT", {"content-type", "x-amz-date"});
}

void FuzzDelete(std::string_view body) {
  auto request = kura::s3::ParseDelete(body);
  ExpectRefusalIn(request, {ErrorCode::kMalformedXML});
  if (request && (request->objects.empty() || request->objects.size() > 1000)) std::abort();
}

void FuzzPartList(std::string_view body, std::string_view algorithm) {
  auto parts = kura::s3::ParsePartList(body, algorithm);
  ExpectRefusalIn(parts, {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument,
                          ErrorCode::kInvalidPartOrder});
  if (!parts) return;
  int last = 0;
  for (const auto& part : *parts) {
    if (part.number <= last || part.number > kura::limits::kMaxPartNumber) std::abort();
    if (algorithm.empty() && !part.checksum.empty()) std::abort();
    last = part.number;
  }
}

// Get*Acl renders what Put*Acl parsed; the rendering must parse back to the same ACL.
void FuzzAccessControlPolicy(std::string_view body) {
  const kura::s3::AclAccounts accounts{
      .canonical_id = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
      .display_name = "kura",
      .email = "owner@example.com"};
  auto acl = kura::s3::ParseAccessControlPolicy(body, accounts);
  ExpectRefusalIn(acl, {ErrorCode::kMalformedACLError, ErrorCode::kInvalidArgument,
                        ErrorCode::kUnresolvableGrantByEmailAddress});
  if (!acl) return;
  if (acl->grants.size() > kura::limits::kMaxAclGrants) std::abort();
  auto again = kura::s3::ParseAccessControlPolicy(kura::s3::RenderAccessControlPolicy(*acl, accounts), accounts);
  if (!again || *again != *acl) std::abort();
}

void FuzzOwnershipControls(std::string_view body) {
  auto ownership = kura::s3::ParseOwnershipControls(body);
  ExpectRefusalIn(ownership, {ErrorCode::kMalformedXML});
  if (!ownership) return;
  auto again = kura::s3::ParseOwnershipControls(kura::s3::RenderOwnershipControls(*ownership));
  if (!again || *again != *ownership) std::abort();
}

// GetBucketEncryption renders what PutBucketEncryption parsed; the rendering must parse back to it.
void FuzzServerSideEncryptionConfiguration(std::string_view body) {
  auto parsed = kura::s3::ParseServerSideEncryptionConfiguration(body);
  ExpectRefusalIn(parsed, {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument,
                           ErrorCode::kNotImplemented});
  if (!parsed) return;
  using kura::s3::SseMode;
  if (parsed->mode != SseMode::kS3 && parsed->mode != SseMode::kKms) std::abort();
  auto again = kura::s3::ParseServerSideEncryptionConfiguration(
      kura::s3::RenderServerSideEncryptionConfiguration(*parsed));
  if (!again || *again != *parsed) std::abort();
}

// PutBucketLifecycleConfiguration stores the rendering; the lifecycle worker parses it again.
void FuzzLifecycleConfiguration(std::string_view body) {
  auto rules = kura::s3::ParseLifecycleConfiguration(body);
  ExpectRefusalIn(rules, {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument,
                          ErrorCode::kInvalidRequest, ErrorCode::kInvalidStorageClass});
  if (!rules) return;
  auto again = kura::s3::ParseLifecycleConfiguration(kura::s3::RenderLifecycleConfiguration(*rules));
  if (!again || again->size() != rules->size()) std::abort();
}

void FuzzPublicAccessBlock(std::string_view body) {
  auto block = kura::s3::ParsePublicAccessBlockConfiguration(body);
  ExpectRefusalIn(block, {ErrorCode::kMalformedXML});
  if (!block) return;
  auto again = kura::s3::ParsePublicAccessBlockConfiguration(
      kura::s3::RenderPublicAccessBlockConfiguration(*block));
  if (!again || *again != *block) std::abort();
}

void FuzzObjectLock(std::string_view body) {
  ExpectRefusalIn(kura::s3::ParseObjectLockConfiguration(body),
                  {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument});
  ExpectRefusalIn(kura::s3::ParseRetention(body),
                  {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument});
  ExpectRefusalIn(kura::s3::ParseLegalHold(body), {ErrorCode::kMalformedXML});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  FuzzTagging(body, kura::limits::kMaxObjectTags);
  FuzzTagging(body, kura::limits::kMaxBucketTags);
  FuzzCors(body);
  FuzzDelete(body);
  FuzzPartList(body, "");
  FuzzPartList(body, "CRC32");
  ExpectRefusalIn(kura::s3::ParseCreateBucketConfiguration(body), {ErrorCode::kMalformedXML});
  FuzzAccessControlPolicy(body);
  FuzzOwnershipControls(body);
  FuzzServerSideEncryptionConfiguration(body);
  ExpectRefusalIn(kura::s3::ParseVersioningConfiguration(body),
                  {ErrorCode::kMalformedXML, ErrorCode::kAccessDenied});
  FuzzLifecycleConfiguration(body);
  FuzzPublicAccessBlock(body);
  FuzzObjectLock(body);
  return 0;
}
