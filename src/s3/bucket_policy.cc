#include "s3/bucket_policy.h"

#include "common/limits.h"
#include "common/xml_writer.h"
#include "policy/policy.h"
#include "policy/public_policy.h"
#include "s3/bucket_policy_cache.h"
#include "s3/names.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// `is_public`: policy::IsPublicPolicy of `json`, refused (in the same transaction that reads
// the setting) while the bucket's Block Public Access has BlockPublicPolicy on.
net::awaitable<Result<void>> StorePolicy(S3Env& env, S3Call& call, std::string json,
                                         bool is_public = false) {
  auto updated = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(
        call.request.bucket,
        [json = std::move(json), is_public](store::BucketRecord& b) -> Result<void> {
          if (is_public && b.public_access_block.block_public_policy) {
            return MakeError(ErrorCode::kAccessDenied,
                             "public policies are blocked by the BlockPublicPolicy block public "
                             "access setting");
          }
          b.policy_json = json;
          return Ok();
        },
        std::move(done));
  });
  co_await ReadStep(env, [&] {  // re-reads the bucket
    env.policies.Refresh(call.request.bucket);
    return true;
  });
  co_return updated;
}

}  // namespace

net::awaitable<Result<void>> GetBucketPolicy(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->policy_json.empty()) co_return MakeError(ErrorCode::kNoSuchBucketPolicy);
  auto head = NewHead(call);
  head.fields.set(bhttp::field::content_type, "application/json");
  co_return co_await call.response.Respond(std::move(head), bucket->policy_json);
}

net::awaitable<Result<void>> PutBucketPolicy(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(
      limits::kMaxBucketPolicyBytes, MakeError(ErrorCode::kMalformedPolicy, "Policies must be less than 20 KB"));
  if (!body) co_return body.error();
  KURA_CO_TRY(co_await ReadBucket(env, call.request.bucket));
  auto parsed = policy::ParsePolicy(*body, policy::PolicyKind::kResource, BucketPolicyId(call.request.bucket));
  if (!parsed) co_return parsed.error();
  KURA_CO_TRY(co_await StorePolicy(env, call, std::move(*body), policy::IsPublicPolicy(**parsed)));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

std::string RenderPolicyStatus(bool is_public) {
  xml::Writer w("PolicyStatus", xml::kS3Namespace);
  w.Element("IsPublic", is_public ? "true" : "false");
  return w.Finish();
}

net::awaitable<Result<void>> GetBucketPolicyStatus(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->policy_json.empty()) co_return MakeError(ErrorCode::kNoSuchBucketPolicy);
  auto parsed = policy::ParsePolicy(bucket->policy_json, policy::PolicyKind::kResource,
                                    BucketPolicyId(call.request.bucket));
  // A stored policy that no longer parses grants nothing (BucketPolicyCache serves it so).
  bool is_public = parsed && policy::IsPublicPolicy(**parsed);
  co_return co_await RespondXml(call, RenderPolicyStatus(is_public));
}

net::awaitable<Result<void>> DeleteBucketPolicy(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StorePolicy(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
