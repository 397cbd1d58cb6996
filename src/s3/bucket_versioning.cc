#include "s3/bucket_versioning.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/xml_writer.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {

Result<store::VersioningState> ParseVersioningConfiguration(std::string_view body) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "VersioningConfiguration");
  if (!root) return root.error();
  std::string_view mfa_delete = root->child_value("MfaDelete");
  if (root->child("MfaDelete") && mfa_delete != "Disabled") {
    if (mfa_delete != "Enabled") return MakeError(ErrorCode::kMalformedXML);
    // Turning MFA delete on needs the x-amz-mfa token of a root MFA device: kura has none.
    return MakeError(ErrorCode::kAccessDenied, "Mfa Authentication must be used for this request");
  }
  std::string_view status = root->child_value("Status");
  if (status == "Enabled") return store::VersioningState::kEnabled;
  if (status == "Suspended") return store::VersioningState::kSuspended;
  return MakeError(ErrorCode::kMalformedXML);
}

std::string RenderVersioningConfiguration(store::VersioningState state) {
  xml::Writer w("VersioningConfiguration", xml::kS3Namespace);
  if (state == store::VersioningState::kEnabled) w.Element("Status", "Enabled");
  if (state == store::VersioningState::kSuspended) w.Element("Status", "Suspended");
  return w.Finish();
}

net::awaitable<Result<void>> PutBucketVersioning(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto state = ParseVersioningConfiguration(*body);
  if (!state) co_return state.error();
  // The store checks the change inside its transaction (never back to unversioned; Object Lock
  // keeps versioning Enabled): InvalidBucketState.
  KURA_CO_TRY(co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [state = *state](store::BucketRecord& bucket) -> Result<void> {
                                bucket.versioning = state;
                                return Ok();
                              },
                              std::move(done));
  }));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> GetBucketVersioning(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  co_return co_await RespondXml(call, RenderVersioningConfiguration(bucket->versioning));
}

}  // namespace kura::s3
