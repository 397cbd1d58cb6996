// The allowlists: what of a request and its answer may reach an audit record — and that no
// secret-bearing parameter or element ever does, whatever the operation.
#include "api/audit_parameters.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace kura::api {
namespace {
namespace json = boost::json;

const AuditParam* Find(const AuditParams& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// Values a test plants in secret-bearing parameters: none may come out.
constexpr std::string_view kSecret = "SECRET-VALUE-0123456789";

std::string AllText(const AuditParams& params) {
  std::string all;
  for (const auto& p : params) all += p.name + "=" + p.value + ";";
  return all;
}

TEST(AuditQueryParameters, AssumeRolesParametersGoInUnderCloudTrailsNames) {
  std::map<std::string, std::string> form = {{"Action", "AssumeRole"},
                                             {"Version", "2011-06-15"},
                                             {"RoleArn", "arn:aws:iam::111122223333:role/r"},
                                             {"RoleSessionName", "app"},
                                             {"DurationSeconds", "900"},
                                             {"SourceIdentity", "carol"},
                                             {"ExternalId", "ext-1"}};
  AuditParams params = QueryParametersForAudit(form);
  ASSERT_NE(Find(params, "roleArn"), nullptr);
  EXPECT_EQ(Find(params, "roleArn")->value, "arn:aws:iam::111122223333:role/r");
  EXPECT_EQ(Find(params, "roleSessionName")->value, "app");
  ASSERT_NE(Find(params, "durationSeconds"), nullptr);
  EXPECT_TRUE(Find(params, "durationSeconds")->number);
  EXPECT_EQ(Find(params, "sourceIdentity")->value, "carol");
  EXPECT_EQ(Find(params, "externalId")->value, "ext-1");
  EXPECT_EQ(Find(params, "action"), nullptr);  // the eventName already says it
  EXPECT_EQ(Find(params, "version"), nullptr);
}

TEST(AuditQueryParameters, ANonNumericDurationIsQuotedNotWrittenRaw) {
  AuditParams params = QueryParametersForAudit({{"DurationSeconds", "1,\"x\":2"}});
  ASSERT_NE(Find(params, "durationSeconds"), nullptr);
  EXPECT_FALSE(Find(params, "durationSeconds")->number);
}

TEST(AuditQueryParameters, SecretBearingParametersNeverComeOut) {
  // Every parameter of IAM and STS that carries a secret, a token or a policy document.
  std::map<std::string, std::string> form;
  for (std::string name : {"WebIdentityToken",
                           "SAMLAssertion",
                           "SessionToken",
                           "X-Amz-Security-Token",
                           "Password",
                           "NewPassword",
                           "OldPassword",
                           "TokenCode",
                           "AuthenticationCode1",
                           "AuthenticationCode2",
                           "Policy",
                           "PolicyDocument",
                           "AssumeRolePolicyDocument",
                           "PolicyInputList.member.1",
                           "SecretAccessKey",
                           "X-Amz-Signature",
                           "X-Amz-Credential",
                           "Signature",
                           "ContextEntries.member.1.ContextKeyValues.member.1",
                           "ThumbprintList.member.1",
                           "ResourcePolicy",
                           "CallerArn"}) {
    form[name] = std::string(kSecret);
  }
  form["UserName"] = "bob";
  AuditParams params = QueryParametersForAudit(form);
  EXPECT_EQ(AllText(params).find(kSecret), std::string::npos) << AllText(params);
  EXPECT_EQ(params.size(), 1u) << AllText(params);
}

TEST(AuditS3Parameters, BucketHostKeyAndSubresourcesButNoPresignedCredentials) {
  s3::S3Request request;
  request.bucket = "photos";
  request.key = "a/b.jpg";
  request.query = {{"versionId", "v1"},
                   {"tagging", ""},
                   {"X-Amz-Signature", std::string(kSecret)},
                   {"X-Amz-Security-Token", std::string(kSecret)},
                   {"X-Amz-Credential", std::string(kSecret)},
                   {"Signature", std::string(kSecret)},
                   {"AWSAccessKeyId", std::string(kSecret)},
                   {"x-amz-server-side-encryption-customer-key", std::string(kSecret)}};
  AuditParams params = S3ParametersForAudit(request, "localhost:9000");
  EXPECT_EQ(Find(params, "bucketName")->value, "photos");
  EXPECT_EQ(Find(params, "key")->value, "a/b.jpg");
  EXPECT_EQ(Find(params, "Host")->value, "localhost:9000");
  EXPECT_EQ(Find(params, "versionId")->value, "v1");
  ASSERT_NE(Find(params, "tagging"), nullptr);
  EXPECT_EQ(AllText(params).find(kSecret), std::string::npos) << AllText(params);
}

TEST(AuditJsonParameters, KmsKeyIdsButNeverPlaintextOrPolicies) {
  std::string body = R"({"KeyId":"alias/app","NumberOfBytes":32,"Plaintext":")" +
                     std::string(kSecret) + R"(","Policy":")" + std::string(kSecret) +
                     R"(","GrantTokens":[")" + std::string(kSecret) + R"("]})";
  AuditParams params = JsonParametersForAudit(body);
  EXPECT_EQ(Find(params, "keyId")->value, "alias/app");
  EXPECT_EQ(Find(params, "numberOfBytes")->value, "32");
  EXPECT_TRUE(Find(params, "numberOfBytes")->number);
  EXPECT_EQ(AllText(params).find(kSecret), std::string::npos) << AllText(params);
  EXPECT_TRUE(JsonParametersForAudit("not json").empty());
  EXPECT_TRUE(JsonParametersForAudit("[1,2]").empty());
}

TEST(AuditResponseElements, AssumeRoleShowsTheKeyIdAndExpiryNeverTheSecretOrToken) {
  std::string xml =
      "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser>"
      "<AssumedRoleId>AROA1:app</AssumedRoleId>"
      "<Arn>arn:aws:sts::111122223333:assumed-role/r/app</Arn></AssumedRoleUser>"
      "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
      "<SecretAccessKey>" +
      std::string(kSecret) +
      "</SecretAccessKey>"
      "<SessionToken>" +
      std::string(kSecret) +
      "</SessionToken>"
      "<Expiration>2026-12-03T05:00:00Z</Expiration></Credentials>"
      "<SourceIdentity>a&amp;b</SourceIdentity>"
      "</AssumeRoleResult></AssumeRoleResponse>";
  std::string elements = ResponseElementsOf("AssumeRole", xml);
  EXPECT_EQ(elements.find(kSecret), std::string::npos) << elements;
  auto r = json::parse(elements).as_object();
  auto& credentials = r["credentials"].as_object();
  EXPECT_EQ(credentials["accessKeyId"], json::value("ASIAEXAMPLE"));
  EXPECT_EQ(credentials["expiration"], json::value("2026-12-03T05:00:00Z"));
  EXPECT_FALSE(credentials.contains("secretAccessKey"));
  EXPECT_FALSE(credentials.contains("sessionToken"));
  EXPECT_EQ(r["assumedRoleUser"].as_object()["arn"],
            json::value("arn:aws:sts::111122223333:assumed-role/r/app"));
  EXPECT_EQ(r["sourceIdentity"], json::value("a&b"));
}

TEST(AuditResponseElements, CreateAccessKeyShowsTheKeyIdNeverTheSecret) {
  std::string xml =
      "<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>bob</UserName>"
      "<AccessKeyId>AKIABOB</AccessKeyId><Status>Active</Status>"
      "<SecretAccessKey>" +
      std::string(kSecret) +
      "</SecretAccessKey>"
      "<CreateDate>2026-12-03T04:00:00Z</CreateDate></AccessKey></CreateAccessKeyResult>"
      "</CreateAccessKeyResponse>";
  std::string elements = ResponseElementsOf("CreateAccessKey", xml);
  EXPECT_EQ(elements.find(kSecret), std::string::npos) << elements;
  auto key = json::parse(elements).as_object()["accessKey"].as_object();
  EXPECT_EQ(key["accessKeyId"], json::value("AKIABOB"));
  EXPECT_EQ(key["userName"], json::value("bob"));
  EXPECT_EQ(key["status"], json::value("Active"));
}

TEST(AuditResponseElements, GetSessionTokenAndOtherActionsWithoutAShapeAreNull) {
  std::string xml = "<X><Credentials><AccessKeyId>ASIA2</AccessKeyId><SessionToken>" +
                    std::string(kSecret) + "</SessionToken></Credentials></X>";
  EXPECT_EQ(ResponseElementsOf("GetSessionToken", xml),
            R"({"credentials":{"accessKeyId":"ASIA2"}})");
  EXPECT_EQ(ResponseElementsOf("ListUsers", xml), "");
  EXPECT_EQ(ResponseElementsOf("DeleteUser", xml), "");
}

}  // namespace
}  // namespace kura::api
