// Block Public Access and GetBucketPolicyStatus against the memory store: the
// PublicAccessBlockConfiguration document and its handlers, BlockPublicPolicy in
// PutBucketPolicy, and RestrictPublicBuckets as the authorizer sees it (BucketPolicyCache).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "s3/bucket_policy_cache.h"
#include "s3/bucket_policy.h"
#include "s3/public_access_block.h"
#include "s3/response.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using Request = testing::HarnessRequest;
using Answer = testing::HarnessAnswer;

constexpr char kBucket[] = "bucket";
constexpr char kPublicPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]})";
constexpr char kAccountPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]})";
constexpr char kBlockAll[] =
    "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
    "<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
    "</PublicAccessBlockConfiguration>";

ErrorCode CodeOf(const Answer& answer) {
  return answer.result ? ErrorCode::kInternalError : answer.result.error().code;
}

class PublicAccess : public testing::HandlerHarness {
 protected:
  PublicAccess() { EXPECT_TRUE(CreateBucket(kBucket).has_value()); }

  Answer Call(bhttp::verb method, std::string target, std::string body = "") {
    Request r;
    r.method = method;
    r.target = std::move(target);
    r.body = std::move(body);
    return Run(r);
  }
};

TEST(PublicAccessBlockConfiguration, ParsesTheFourFlagsAbsentOnesFalse) {
  auto all = ParsePublicAccessBlockConfiguration(kBlockAll);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, (store::PublicAccessBlock{true, true, true, true, true}));
  auto one = ParsePublicAccessBlockConfiguration(
      "<PublicAccessBlockConfiguration><IgnorePublicAcls>true</IgnorePublicAcls>"
      "</PublicAccessBlockConfiguration>");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(*one, (store::PublicAccessBlock{.configured = true, .ignore_public_acls = true}));
  for (const char* bad : {"", "<PublicAccessBlockConfiguration>",
                          "<Other><BlockPublicAcls>true</BlockPublicAcls></Other>",
                          "<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls>"
                          "</PublicAccessBlockConfiguration>"}) {
    auto r = ParsePublicAccessBlockConfiguration(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedXML) << bad;
  }
}

TEST(PublicAccessBlockConfiguration, RendersAllFourFlags) {
  EXPECT_EQ(RenderPublicAccessBlockConfiguration({.configured = true, .block_public_policy = true}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<BlockPublicAcls>false</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls>"
            "<BlockPublicPolicy>true</BlockPublicPolicy>"
            "<RestrictPublicBuckets>false</RestrictPublicBuckets>"
            "</PublicAccessBlockConfiguration>");
}

TEST_F(PublicAccess, PutGetDeleteRoundTripAndNoSuchConfiguration) {
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bucket?publicAccessBlock")),
            ErrorCode::kNoSuchPublicAccessBlockConfiguration);
  auto put = Call(bhttp::verb::put, "/bucket?publicAccessBlock", kBlockAll);
  ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
  EXPECT_EQ(put.response.response_status(), 200);
  auto get = Call(bhttp::verb::get, "/bucket?publicAccessBlock");
  ASSERT_TRUE(get.result.has_value());
  EXPECT_NE(get.response.sent_body.find("<RestrictPublicBuckets>true</RestrictPublicBuckets>"),
            std::string::npos);
  auto deleted = Call(bhttp::verb::delete_, "/bucket?publicAccessBlock");
  ASSERT_TRUE(deleted.result.has_value());
  EXPECT_EQ(deleted.response.response_status(), 204);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bucket?publicAccessBlock")),
            ErrorCode::kNoSuchPublicAccessBlockConfiguration);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/nope?publicAccessBlock", kBlockAll)),
            ErrorCode::kNoSuchBucket);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bucket?publicAccessBlock", "<x/>")),
            ErrorCode::kMalformedXML);
}

TEST_F(PublicAccess, BlockPublicPolicyRefusesOnlyPublicPolicies) {
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?publicAccessBlock", kBlockAll).result.has_value());
  auto refused = Call(bhttp::verb::put, "/bucket?policy", kPublicPolicy);
  EXPECT_EQ(CodeOf(refused), ErrorCode::kAccessDenied);
  EXPECT_TRUE(metadata_.GetBucket(kBucket)->policy_json.empty());
  EXPECT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kAccountPolicy).result.has_value());
  ASSERT_TRUE(Call(bhttp::verb::delete_, "/bucket?publicAccessBlock").result.has_value());
  EXPECT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kPublicPolicy).result.has_value());
}

TEST_F(PublicAccess, PolicyStatusSaysWhetherThePolicyIsPublic) {
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bucket?policyStatus")), ErrorCode::kNoSuchBucketPolicy);
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kPublicPolicy).result.has_value());
  auto status = Call(bhttp::verb::get, "/bucket?policyStatus");
  ASSERT_TRUE(status.result.has_value());
  EXPECT_NE(status.response.sent_body.find("<PolicyStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                           "<IsPublic>true</IsPublic></PolicyStatus>"),
            std::string::npos)
      << status.response.sent_body;
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kAccountPolicy).result.has_value());
  EXPECT_NE(Call(bhttp::verb::get, "/bucket?policyStatus").response.sent_body.find("<IsPublic>false</IsPublic>"),
            std::string::npos);
}

// The authorizer's view follows the handlers' writes: RestrictPublicBuckets restricts only a
// public policy.
TEST_F(PublicAccess, RestrictPublicBucketsReachesTheAuthorizerForPublicPoliciesOnly) {
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kPublicPolicy).result.has_value());
  EXPECT_FALSE(bucket_policies_.ForBucket(kBucket).restrict_public);
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?publicAccessBlock",
                   "<PublicAccessBlockConfiguration><RestrictPublicBuckets>true"
                   "</RestrictPublicBuckets></PublicAccessBlockConfiguration>")
                  .result.has_value());
  policy::ResourcePolicy restricted = bucket_policies_.ForBucket(kBucket);
  EXPECT_NE(restricted.policy, nullptr);
  EXPECT_TRUE(restricted.restrict_public);
  ASSERT_TRUE(Call(bhttp::verb::put, "/bucket?policy", kAccountPolicy).result.has_value());
  EXPECT_FALSE(bucket_policies_.ForBucket(kBucket).restrict_public);
}

}  // namespace
}  // namespace kura::s3
