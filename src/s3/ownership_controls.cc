#include "s3/ownership_controls.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/text.h"
#include "common/xml_writer.h"
#include "s3/access_control_list.h"
#include "s3/acl_handlers.h"
#include "s3/bucket_policy_cache.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

using store::ObjectOwnership;

struct OwnershipName {
  ObjectOwnership ownership;
  std::string_view name;
};
constexpr OwnershipName kOwnershipNames[] = {
    {ObjectOwnership::kBucketOwnerEnforced, "BucketOwnerEnforced"},
    {ObjectOwnership::kBucketOwnerPreferred, "BucketOwnerPreferred"},
    {ObjectOwnership::kObjectWriter, "ObjectWriter"},
};

// S3 refuses to disable ACLs while the bucket's ACL grants anything beyond the owner's FULL_CONTROL
// ("Prerequisites for disabling ACLs": migrate such grants to a bucket policy first). Object
// ACLs do not matter: they are kept, and ignored while enforced.
Result<void> CheckCanEnforce(const S3Env& env, const store::BucketRecord& bucket) {
  std::string owner = BucketOwnerOf(env, bucket);
  auto acl = DecodeAcl(bucket.acl, owner);
  if (!acl) return MakeError(ErrorCode::kInternalError, "A stored ACL is corrupt");
  if (*acl != OwnerFullControl(owner))
    return MakeError(ErrorCode::kInvalidBucketAclWithObjectOwnership);
  return Ok();
}

net::awaitable<Result<void>> SetOwnership(S3Env& env, S3Call& call, ObjectOwnership ownership) {
  auto written = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(
        call.request.bucket,
        [&](store::BucketRecord& bucket) -> Result<void> {
          if (ownership == ObjectOwnership::kBucketOwnerEnforced)
            KURA_TRY(CheckCanEnforce(env, bucket));
          bucket.object_ownership = ownership;
          return Ok();
        },
        std::move(done));
  });
  if (!written) co_return written.error();
  co_await ReadStep(env, [&] {  // re-reads the bucket
    env.policies.Refresh(call.request.bucket);
    return true;
  });
  co_return Ok();
}

}  // namespace

std::optional<ObjectOwnership> ObjectOwnershipFromName(std::string_view name) {
  for (const OwnershipName& entry : kOwnershipNames) {
    if (entry.name == name) return entry.ownership;
  }
  return std::nullopt;
}

std::string_view ObjectOwnershipName(ObjectOwnership ownership) {
  for (const OwnershipName& entry : kOwnershipNames) {
    if (entry.ownership == ownership) return entry.name;
  }
  return "";
}

Result<ObjectOwnership> ParseOwnershipControls(std::string_view body) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "OwnershipControls");
  if (!root) return root.error();
  pugi::xml_node rule = root->child("Rule");
  // S3 takes exactly one rule.
  if (!rule || rule.next_sibling("Rule")) return MakeError(ErrorCode::kMalformedXML);
  auto ownership =
      ObjectOwnershipFromName(TrimAsciiWhitespace(rule.child_value("ObjectOwnership")));
  if (!ownership) return MakeError(ErrorCode::kMalformedXML);
  return *ownership;
}

std::string RenderOwnershipControls(ObjectOwnership ownership) {
  xml::Writer w("OwnershipControls", xml::kS3Namespace);
  w.Open("Rule").Element("ObjectOwnership", ObjectOwnershipName(ownership)).Close("Rule");
  return w.Finish();
}

net::awaitable<Result<void>> GetBucketOwnershipControls(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->object_ownership == ObjectOwnership::kNone) {
    co_return MakeError(ErrorCode::kOwnershipControlsNotFoundError);
  }
  co_return co_await RespondXml(call, RenderOwnershipControls(bucket->object_ownership));
}

net::awaitable<Result<void>> PutBucketOwnershipControls(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto ownership = ParseOwnershipControls(*body);
  if (!ownership) co_return ownership.error();
  KURA_CO_TRY(co_await SetOwnership(env, call, *ownership));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> DeleteBucketOwnershipControls(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await SetOwnership(env, call, ObjectOwnership::kNone));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
