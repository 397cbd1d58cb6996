#include "s3/bucket_policy.h"

#include "common/limits.h"
#include "common/xml_writer.h"
#include "policy/policy.h"
#include "s3/bucket_policy_cache.h"
#include "s3/names.h"
#include "s3/response.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

net::awaitable<Result<void>> StorePolicy(S3Env& env, S3Call& call, std::string json) {
  auto updated = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [json = std::move(json)](store::BucketRecord& b) -> Result<void> {
                                b.policy_json = json;
                                return Ok();
                              },
                              std::move(done));
  });
  env.policies.Refresh(call.request.bucket);
  co_return updated;
}

}  // namespace

net::awaitable<Result<void>> GetBucketPolicy(S3Env& env, S3Call& call) {
  auto bucket = env.metadata.GetBucket(call.request.bucket);
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
  KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  auto parsed = policy::ParsePolicy(*body, policy::PolicyKind::kResource, BucketPolicyId(call.request.bucket));
  if (!parsed) co_return parsed.error();
  KURA_CO_TRY(co_await StorePolicy(env, call, std::move(*body)));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

net::awaitable<Result<void>> DeleteBucketPolicy(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StorePolicy(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
