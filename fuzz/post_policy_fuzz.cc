// The POST policy document: the input is the decoded JSON (encoded here, as forms carry it) and
// also tried as the raw field value. What parses is checked against a typical form; refusals must
// be InvalidPolicyDocument or AccessDenied (expired, conditions not met).
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "common/encoding.h"
#include "common/time_format.h"
#include "s3/post_policy.h"

namespace {

using kura::ErrorCode;

void Check(std::string_view field) {
  static const kura::TimePoint now = *kura::ParseIso8601("2030-01-01T00:00:00.000Z");
  static const kura::s3::FormFields form = {
      {"bucket", "uploads"}, {"key", "user/alice/${filename}"}, {"content-type", "image/png, image/jpeg"},
      {"acl", "private"},    {"success_action_status", "201"},  {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
      {"x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20300101/us-east-1/s3/aws4_request"},
      {"x-amz-date", "20300101T000000Z"}, {"x-amz-meta-tag", ""}, {"policy", "p"},
      {"x-amz-signature", "s"}};
  auto policy = kura::s3::ParsePostPolicy(field, now);
  if (!policy) {
    if (policy.error().code != ErrorCode::kInvalidPolicyDocument &&
        policy.error().code != ErrorCode::kAccessDenied) {
      std::abort();
    }
    return;
  }
  auto checked = kura::s3::CheckPostPolicy(*policy, form);
  if (!checked && checked.error().code != ErrorCode::kAccessDenied) std::abort();
  if (auto range = kura::s3::ContentLengthRange(*policy)) (void)range->first;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Check(kura::Base64Encode(input));
  Check(input);
  return 0;
}
