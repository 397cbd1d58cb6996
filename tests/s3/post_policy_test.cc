#include "s3/post_policy.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "common/time_format.h"

namespace kura::s3 {
namespace {

TimePoint Now() { return *ParseIso8601("2030-01-01T00:00:00.000Z"); }

std::string Encode(std::string_view json) { return Base64Encode(json); }

TEST(PostPolicy, ChecksExactAndPrefixConditionsAndFieldCoverage) {
  auto policy = ParsePostPolicy(Encode(R"({"expiration": "2030-01-02T00:00:00.000Z", "conditions": [
      {"bucket": "b"}, ["starts-with", "$key", "user/"], ["eq", "$Content-Type", "image/png"],
      ["content-length-range", 1, 1024]]})"), Now());
  ASSERT_TRUE(policy) << policy.error().message;
  FormFields ok{{"bucket", "b"}, {"key", "user/a"}, {"content-type", "image/png"}, {"policy", "p"},
                {"x-amz-signature", "s"}, {"x-ignore-me", "1"}};
  EXPECT_TRUE(CheckPostPolicy(*policy, ok));
  auto wrong_key = ok;
  wrong_key["key"] = "other/a";
  EXPECT_EQ(CheckPostPolicy(*policy, wrong_key).error().code, ErrorCode::kAccessDenied);
  auto extra = ok;
  extra["x-amz-meta-x"] = "1";
  auto refused = CheckPostPolicy(*policy, extra);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "Invalid according to Policy: Extra input fields: x-amz-meta-x");
  EXPECT_EQ(ContentLengthRange(*policy), std::make_pair(uint64_t{1}, uint64_t{1024}));
}

TEST(PostPolicy, RefusesExpiredAndMalformedPolicies) {
  EXPECT_EQ(ParsePostPolicy(Encode(R"({"expiration": "2029-01-01T00:00:00.000Z", "conditions": []})"), Now())
                .error().code,
            ErrorCode::kAccessDenied);
  EXPECT_EQ(ParsePostPolicy("!!!", Now()).error().code, ErrorCode::kInvalidPolicyDocument);
  EXPECT_EQ(ParsePostPolicy(Encode(R"({"conditions": []})"), Now()).error().code, ErrorCode::kInvalidPolicyDocument);
  EXPECT_EQ(ParsePostPolicy(Encode(R"({"expiration": "2030-01-02T00:00:00.000Z", "conditions": [["nope", "$k", "v"]]})"),
                            Now()).error().code,
            ErrorCode::kInvalidPolicyDocument);
}

TEST(PostPolicy, RefusesGarbageAsInvalidPolicyDocumentInS3sWords) {
  struct Case {
    std::string json, message;
  };
  const Case cases[] = {
      {"not json", "Invalid Policy: Invalid JSON."},
      {R"(["expiration"])", "Invalid Policy: Invalid JSON."},
      {R"({"conditions": []})", "Invalid Policy: Policy missing expiration."},
      {R"({"expiration": 1, "conditions": []})", "Invalid Policy: Policy missing expiration."},
      {R"({"expiration": "soon", "conditions": []})", "Invalid Policy: Invalid 'expiration' value: 'soon'"},
      {R"({"expiration": "2030-01-02T00:00:00Z", "conditions": {}})", "Invalid Policy: Policy missing conditions."},
      {R"({"expiration": "2030-01-02T00:00:00Z", "conditions": [["eq", "$key"]]})",
       R"(Invalid Policy: Invalid Condition: ["eq","$key"])"},
      {R"({"expiration": "2030-01-02T00:00:00Z", "conditions": [["eq", "key", "k"]]})",
       R"(Invalid Policy: Invalid Condition: ["eq","key","k"])"},
      {R"({"expiration": "2030-01-02T00:00:00Z", "conditions": [{"a": "1", "b": "2"}]})",
       R"(Invalid Policy: Invalid Condition: {"a":"1","b":"2"})"},
      {R"({"expiration": "2030-01-02T00:00:00Z", "conditions": [["content-length-range", -1, "x"]]})",
       R"(Invalid Policy: Invalid content-length-range: ["content-length-range",-1,"x"])"},
  };
  for (const auto& c : cases) {
    auto policy = ParsePostPolicy(Encode(c.json), Now());
    ASSERT_FALSE(policy) << c.json;
    EXPECT_EQ(policy.error().code, ErrorCode::kInvalidPolicyDocument) << c.json;
    EXPECT_EQ(policy.error().aws_code(), "InvalidPolicyDocument");
    EXPECT_EQ(policy.error().message, c.message) << c.json;
  }
  auto not_base64 = ParsePostPolicy("e30=!", Now());
  ASSERT_FALSE(not_base64);
  EXPECT_EQ(not_base64.error().message, "Invalid Policy: Invalid Base64 Encoding");
}

}  // namespace
}  // namespace kura::s3
