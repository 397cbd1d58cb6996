#include "s3/bucket_handlers.h"

#include <pugixml.hpp>

#include "common/encoding.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/acl_handlers.h"
#include "s3/blob_io.h"
#include "s3/bucket_policy_cache.h"
#include "s3/lifecycle_cache.h"
#include "s3/names.h"
#include "s3/owners.h"
#include "s3/object_lock.h"
#include "s3/ownership_controls.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {

Result<std::string> ParseCreateBucketConfiguration(std::string_view body) {
  if (body.empty()) return std::string();
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "CreateBucketConfiguration");
  if (!root) return root.error();
  return std::string(root->child_value("LocationConstraint"));
}

namespace {

// max-buckets: 1–10000 (S3's range); without it, every bucket.
Result<int> MaxBuckets(const S3Request& request) {
  if (!request.HasQuery("max-buckets")) return 10000;
  std::string value = request.Query("max-buckets");
  char* end = nullptr;
  long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < 1 || n > 10000) {
    return MakeError(ErrorCode::kInvalidArgument, "Argument max-buckets must be an integer between 1 and 10000");
  }
  return static_cast<int>(n);
}

}  // namespace

net::awaitable<Result<void>> ListBuckets(S3Env& env, S3Call& call) {
  auto max_buckets = MaxBuckets(call.request);
  if (!max_buckets) co_return max_buckets.error();
  std::string after;
  if (call.request.HasQuery("continuation-token")) {
    auto decoded = Base64UrlDecode(call.request.Query("continuation-token"));
    if (!decoded || decoded->empty()) {
      co_return MakeError(ErrorCode::kInvalidArgument, "The continuation token provided is incorrect");
    }
    after = *decoded;
  }
  auto buckets = co_await ReadStep(env, [&] { return env.metadata.ListBuckets(); });
  if (!buckets) co_return buckets.error();
  std::string prefix = call.request.Query("prefix");
  std::string region = call.request.Query("bucket-region");
  // As S3: the buckets the caller's account owns, none of another's.
  std::string_view caller = CallerAccount(env, call);
  S3Account owner = AccountView(env, caller);
  xml::Writer w("ListAllMyBucketsResult", xml::kS3Namespace);
  w.Open("Owner").Element("ID", owner.canonical_id).Element("DisplayName", owner.display_name).Close("Owner");
  w.Open("Buckets");
  int listed = 0;
  std::string last;
  bool truncated = false;
  for (const auto& bucket : *buckets) {
    if (OwnerAccountOf(env, bucket) != caller) continue;
    if (!bucket.name.starts_with(prefix) || bucket.name <= after) continue;
    if (!region.empty() && bucket.region != region) continue;
    if (listed == *max_buckets) {
      truncated = true;
      break;
    }
    w.Open("Bucket")
        .Element("Name", bucket.name)
        .Element("CreationDate", FormatIso8601(bucket.created))
        .Element("BucketRegion", bucket.region)
        .Close("Bucket");
    last = bucket.name;
    ++listed;
  }
  w.Close("Buckets");
  if (truncated) w.Element("ContinuationToken", Base64UrlEncode(last));
  if (!prefix.empty()) w.Element("Prefix", prefix);
  co_return co_await RespondXml(call, w.Finish());
}

// A CreateBucketConfiguration is a few hundred bytes; kura's own bound, no AWS figure.
constexpr size_t kMaxCreateBucketBodyBytes = 64 * 1024;

net::awaitable<Result<void>> CreateBucket(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateBucketName(call.request.bucket));
  auto body = co_await call.body.ReadAll(kMaxCreateBucketBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto location = ParseCreateBucketConfiguration(*body);
  if (!location) co_return location.error();
  if (!location->empty() && *location != env.region) {
    co_return MakeError(ErrorCode::kInvalidLocationConstraint,
                        "The " + *location + " location constraint is incompatible for the region "
                        "specific endpoint this request was sent to.");
  }
  // x-amz-object-ownership (honoured_headers.cc checked its value); without it, as in S3, ACLs
  // are disabled.
  auto ownership = ObjectOwnershipFromName(call.Header("x-amz-object-ownership"))
                       .value_or(store::ObjectOwnership::kBucketOwnerEnforced);
  auto acl = NewBucketAcl(env, call, ownership);
  if (!acl) co_return acl.error();
  store::BucketRecord record;
  record.name = call.request.bucket;
  record.object_ownership = ownership;
  record.acl = std::move(*acl);
  record.region = env.region;
  record.owner_account = std::string(CallerAccount(env, call));
  record.owner_id = CanonicalUserId(record.owner_account);
  record.created = env.clock.Now();
  ApplyCreateBucketObjectLock(call, record);
  auto created = co_await store::StoreWrite<void>(
      [&](auto done) { env.metadata.CreateBucket(std::move(record), std::move(done)); });
  if (!created) co_return created.error();
  co_await ReadStep(env, [&] {  // re-reads the bucket
    env.policies.Refresh(call.request.bucket);
    return true;
  });
  auto head = NewHead(call);
  head.fields.set(bhttp::field::location, "/" + call.request.bucket);
  co_return co_await RespondEmpty(call, std::move(head));
}

net::awaitable<Result<void>> DeleteBucket(S3Env& env, S3Call& call) {
  // As in S3 (general purpose buckets), uploads in progress do not keep a bucket alive: they
  // are aborted with it and their parts reclaimed.
  auto deleted = co_await store::StoreWrite<std::vector<store::BlobRef>>(
      [&](auto done) { env.metadata.DeleteBucket(call.request.bucket, std::move(done)); });
  if (!deleted) co_return deleted.error();
  co_await ReadStep(env, [&] {  // re-read the bucket
    env.policies.Refresh(call.request.bucket);
    env.lifecycle.Refresh(call.request.bucket);
    return true;
  });
  for (auto& blob : *deleted) DeleteBlobLater(env, std::move(blob));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

net::awaitable<Result<void>> HeadBucket(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  auto head = NewHead(call);
  head.fields.set("x-amz-bucket-region", bucket->region);
  co_return co_await RespondEmpty(call, std::move(head));
}

net::awaitable<Result<void>> GetBucketLocation(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  // us-east-1 is reported as an empty LocationConstraint, as S3 does.
  std::string region = bucket->region == "us-east-1" ? "" : bucket->region;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" +
                    std::string(xml::kS3Namespace) + "\">" + xml::Escape(region) + "</LocationConstraint>";
  co_return co_await RespondXml(call, std::move(xml));
}

}  // namespace kura::s3
