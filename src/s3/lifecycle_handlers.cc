#include "s3/lifecycle_handlers.h"

#include "common/limits.h"
#include "s3/integrity_headers.h"
#include "s3/lifecycle_cache.h"
#include "s3/lifecycle_config.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

net::awaitable<Result<void>> StoreLifecycle(S3Env& env, S3Call& call, std::string xml) {
  auto stored = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [xml = std::move(xml)](store::BucketRecord& b) -> Result<void> {
                                b.lifecycle_xml = xml;
                                return Ok();
                              },
                              std::move(done));
  });
  if (stored) {
    co_await ReadStep(env, [&] {
      env.lifecycle.Refresh(call.request.bucket);
      return true;
    });
  }
  co_return stored;
}

}  // namespace

net::awaitable<Result<void>> GetBucketLifecycleConfiguration(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->lifecycle_xml.empty()) co_return MakeError(ErrorCode::kNoSuchLifecycleConfiguration);
  co_return co_await RespondXml(call, bucket->lifecycle_xml);
}

net::awaitable<Result<void>> PutBucketLifecycleConfiguration(S3Env& env, S3Call& call) {
  if (!HasIntegrityHeader(call)) {
    co_return MakeError(ErrorCode::kInvalidRequest, "Missing required header for this request: Content-MD5");
  }
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto rules = ParseLifecycleConfiguration(*body);
  if (!rules) co_return rules.error();
  for (LifecycleRule& rule : *rules) {
    if (rule.id.empty()) rule.id = NewVersionId(env.random);  // S3 names a rule given no ID
  }
  KURA_CO_TRY(co_await StoreLifecycle(env, call, RenderLifecycleConfiguration(*rules)));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> DeleteBucketLifecycle(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StoreLifecycle(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

void SetExpirationHeader(S3Env& env, const store::ObjectRecord& object, ResponseHead& head) {
  if (object.is_delete_marker) return;
  auto expiry = env.lifecycle.ExpiryOf(object);
  if (expiry) head.fields.set("x-amz-expiration", ExpirationHeaderValue(*expiry));
}

}  // namespace kura::s3
