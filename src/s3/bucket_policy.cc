#include "s3/bucket_policy.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/xml_writer.h"
#include "policy/policy.h"
#include "s3/bucket_policy_cache.h"
#include "s3/names.h"
#include "s3/response.h"
#include "s3/store_await.h"

namespace kura::s3 {
namespace {

net::awaitable<Result<void>> StorePolicy(S3Env& env, S3Call& call, std::string json) {
  auto updated = co_await StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [json = std::move(json)](store::BucketRecord& b) -> Result<void> {
                                b.policy_json = json;
                                return Ok();
                              },
                              std::move(done));
  });
  if (env.policies) env.policies->Invalidate(call.request.bucket);
  co_return updated;
}

}  // namespace

bool GrantsOnlyOwner(std::string_view body, const std::string& owner) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return false;
  auto list = doc.child("AccessControlPolicy").child("AccessControlList");
  int grants = 0;
  for (auto grant : list.children("Grant")) {
    ++grants;
    if (std::string_view(grant.child("Grantee").child_value("ID")) != owner ||
        std::string_view(grant.child_value("Permission")) != "FULL_CONTROL") {
      return false;
    }
  }
  return grants == 1;
}

net::awaitable<Result<void>> GetBucketPolicy(S3Env& env, S3Call& call) {
  auto bucket = env.metadata.GetBucket(call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->policy_json.empty()) co_return MakeError(ErrorCode::kNoSuchBucketPolicy);
  auto head = NewHead(call);
  head.fields.set(http::bhttp::field::content_type, "application/json");
  co_return co_await call.exchange.Respond(std::move(head), bucket->policy_json);
}

net::awaitable<Result<void>> PutBucketPolicy(S3Env& env, S3Call& call) {
  auto body = co_await ReadSmallBody(call, limits::kMaxBucketPolicyBytes);
  if (!body) {
    if (body.error().code != ErrorCode::kMalformedXML) co_return body.error();
    co_return MakeError(ErrorCode::kMalformedPolicy, "Policies must be less than 20 KB");
  }
  KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  auto parsed = policy::ParsePolicy(*body, policy::PolicyKind::kResource, BucketPolicyId(call.request.bucket));
  if (!parsed) co_return parsed.error();
  KURA_CO_TRY(co_await StorePolicy(env, call, std::move(*body)));
  co_return co_await RespondEmpty(call, NewHead(call, http::bhttp::status::no_content));
}

net::awaitable<Result<void>> DeleteBucketPolicy(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StorePolicy(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, http::bhttp::status::no_content));
}

net::awaitable<Result<void>> GetAcl(S3Env& env, S3Call& call) {
  if (call.request.operation == S3Operation::kGetObjectAcl) {
    KURA_CO_TRY(ValidateObjectKey(call.request.key));
    KURA_CO_TRY(env.metadata.GetObject(call.request.bucket, call.request.key));
  } else {
    KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  }
  std::string owner = CanonicalUserId(env.account_id);
  xml::Writer w("AccessControlPolicy", xml::kS3Namespace);
  w.Open("Owner").Element("ID", owner).Element("DisplayName", "kura").Close("Owner");
  w.Open("AccessControlList").Open("Grant");
  w.Open("Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"")
      .Element("ID", owner)
      .Element("DisplayName", "kura")
      .Close("Grantee");
  w.Element("Permission", "FULL_CONTROL").Close("Grant").Close("AccessControlList");
  co_return co_await RespondXml(call, w.Finish());
}

net::awaitable<Result<void>> PutAcl(S3Env& env, S3Call& call) {
  bool for_bucket = call.request.operation == S3Operation::kPutBucketAcl;
  auto body = co_await ReadSmallBody(call, limits::kMaxXmlBodyBytes);
  if (!body) co_return body.error();
  if (!body->empty() && !GrantsOnlyOwner(*body, CanonicalUserId(env.account_id))) {
    co_return MakeError(ErrorCode::kAccessControlListNotSupported);
  }
  if (for_bucket) {
    KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  } else {
    KURA_CO_TRY(ValidateObjectKey(call.request.key));
    KURA_CO_TRY(env.metadata.GetObject(call.request.bucket, call.request.key));
  }
  co_return co_await RespondEmpty(call, NewHead(call));
}

}  // namespace kura::s3
