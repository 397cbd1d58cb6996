// The CloudTrail record's shape per identity type, parsed back as JSON: the field names and
// nesting CloudTrail readers look for.
#include "api/audit_record.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/time_format.h"

namespace kura::api {
namespace {
namespace json = boost::json;

json::object Parse(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per record";
  return json::parse(line).as_object();
}

std::string Str(const json::value& v) { return std::string(v.as_string()); }

class AuditRecordTest : public ::testing::Test {
 protected:
  AuditEvent Event(const Principal* principal, std::string_view api, std::string_view op) {
    AuditEvent e;
    e.time = *ParseIso8601("2026-12-03T04:05:06Z");
    e.event_id = "3b1f0a9e-1111-4222-8333-444455556666";
    e.request_id = "REQ1";
    e.principal = principal;
    e.api = api;
    e.operation = op;
    e.region = "us-east-1";
    e.source_ip = "192.0.2.7";
    e.user_agent = "aws-cli/2.13";
    return e;
  }
};

TEST_F(AuditRecordTest, ARootCallCarriesCloudTrailsTopLevelFields) {
  Principal root;
  root.type = PrincipalType::kRoot;
  root.account_id = "111122223333";
  root.user_id = "111122223333";
  root.arn = "arn:aws:iam::111122223333:root";
  root.access_key_id = "AKIAROOT";
  AuditEvent e = Event(&root, "iam", "ListUsers");
  auto r = Parse(RenderCloudTrailRecord(e));
  EXPECT_EQ(Str(r["eventVersion"]), "1.09");
  EXPECT_EQ(Str(r["eventTime"]), "2026-12-03T04:05:06Z");
  EXPECT_EQ(Str(r["eventSource"]), "iam.amazonaws.com");
  EXPECT_EQ(Str(r["eventName"]), "ListUsers");
  EXPECT_EQ(Str(r["awsRegion"]), "us-east-1");
  EXPECT_EQ(Str(r["sourceIPAddress"]), "192.0.2.7");
  EXPECT_EQ(Str(r["userAgent"]), "aws-cli/2.13");
  EXPECT_EQ(Str(r["requestID"]), "REQ1");
  EXPECT_EQ(Str(r["eventID"]), "3b1f0a9e-1111-4222-8333-444455556666");
  EXPECT_EQ(r["readOnly"], json::value(true));
  EXPECT_EQ(Str(r["eventType"]), "AwsApiCall");
  EXPECT_EQ(r["managementEvent"], json::value(true));
  EXPECT_EQ(Str(r["eventCategory"]), "Management");
  EXPECT_EQ(Str(r["recipientAccountId"]), "111122223333");
  EXPECT_TRUE(r["requestParameters"].is_null());
  EXPECT_TRUE(r["responseElements"].is_null());
  EXPECT_FALSE(r.contains("errorCode"));
  EXPECT_FALSE(r.contains("additionalEventData"));  // S3's alone
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "Root");
  EXPECT_EQ(Str(id["principalId"]), "111122223333");
  EXPECT_EQ(Str(id["arn"]), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(Str(id["accountId"]), "111122223333");
  EXPECT_EQ(Str(id["accessKeyId"]), "AKIAROOT");
  EXPECT_FALSE(id.contains("sessionContext"));
}

TEST_F(AuditRecordTest, AnIamUserHasItsUserNameAndAFailedCallItsErrorCodeAndMessage) {
  Principal user;
  user.type = PrincipalType::kUser;
  user.account_id = "111122223333";
  user.user_id = "AIDAEXAMPLE";
  user.user_name = "alice";
  user.arn = "arn:aws:iam::111122223333:user/alice";
  user.access_key_id = "AKIAALICE";
  AuditEvent e = Event(&user, "iam", "CreateUser");
  e.error_code = "AccessDenied";
  e.error_message = "User: arn:aws:iam::111122223333:user/alice is not authorized";
  AuditParams params = {{"userName", "bob"}};
  e.request_parameters = &params;
  auto r = Parse(RenderCloudTrailRecord(e));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "IAMUser");
  EXPECT_EQ(Str(id["principalId"]), "AIDAEXAMPLE");
  EXPECT_EQ(Str(id["userName"]), "alice");
  EXPECT_EQ(Str(r["errorCode"]), "AccessDenied");
  EXPECT_EQ(Str(r["errorMessage"]), e.error_message);
  EXPECT_EQ(Str(r["requestParameters"].as_object()["userName"]), "bob");
  EXPECT_EQ(r["readOnly"], json::value(false));
}

TEST_F(AuditRecordTest, AnAssumedRoleHasItsSessionIssuerAttributesAndSourceIdentity) {
  Principal session;
  session.type = PrincipalType::kAssumedRole;
  session.account_id = "111122223333";
  session.user_id = "AROAEXAMPLE:app";
  session.arn = "arn:aws:sts::111122223333:assumed-role/uploader/app";
  session.access_key_id = "ASIAEXAMPLE";
  session.session = SessionInfo{};
  session.session->role_id = "AROAEXAMPLE";
  session.session->role_arn = "arn:aws:iam::111122223333:role/uploader";
  session.session->role_name = "uploader";
  session.session->session_name = "app";
  session.session->issued_at = *ParseIso8601("2026-12-03T04:00:00Z");
  session.session->source_identity = "carol";
  AuditEvent e = Event(&session, "s3", "PutObject");
  e.bucket = "photos";
  e.key = "a/b.jpg";
  e.signature_version = "SigV4";
  e.authentication_method = "AuthHeader";
  e.bytes_in = 1234;
  e.bytes_out = 0;
  auto r = Parse(RenderCloudTrailRecord(e));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "AssumedRole");
  EXPECT_EQ(Str(id["principalId"]), "AROAEXAMPLE:app");
  EXPECT_EQ(Str(id["arn"]), "arn:aws:sts::111122223333:assumed-role/uploader/app");
  EXPECT_EQ(Str(id["accessKeyId"]), "ASIAEXAMPLE");
  auto& ctx = id["sessionContext"].as_object();
  auto& issuer = ctx["sessionIssuer"].as_object();
  EXPECT_EQ(Str(issuer["type"]), "Role");
  EXPECT_EQ(Str(issuer["principalId"]), "AROAEXAMPLE");
  EXPECT_EQ(Str(issuer["arn"]), "arn:aws:iam::111122223333:role/uploader");
  EXPECT_EQ(Str(issuer["accountId"]), "111122223333");
  EXPECT_EQ(Str(issuer["userName"]), "uploader");
  EXPECT_TRUE(ctx["webIdFederationData"].as_object().empty());
  EXPECT_EQ(Str(ctx["attributes"].as_object()["creationDate"]), "2026-12-03T04:00:00Z");
  EXPECT_EQ(Str(ctx["attributes"].as_object()["mfaAuthenticated"]), "false");
  EXPECT_EQ(Str(ctx["sourceIdentity"]), "carol");
  // S3's data event: object-level, with its transfer sizes and resources.
  EXPECT_EQ(r["managementEvent"], json::value(false));
  EXPECT_EQ(Str(r["eventCategory"]), "Data");
  auto& extra = r["additionalEventData"].as_object();
  EXPECT_EQ(extra["bytesTransferredIn"], json::value(1234));
  EXPECT_EQ(extra["bytesTransferredOut"], json::value(0));
  EXPECT_EQ(Str(extra["SignatureVersion"]), "SigV4");
  EXPECT_EQ(Str(extra["AuthenticationMethod"]), "AuthHeader");
  auto& resources = r["resources"].as_array();
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(Str(resources[0].as_object().at("ARN")), "arn:aws:s3:::photos/a/b.jpg");
  EXPECT_EQ(Str(resources[0].as_object().at("type")), "AWS::S3::Object");
  EXPECT_EQ(Str(resources[1].as_object().at("ARN")), "arn:aws:s3:::photos");
  EXPECT_EQ(Str(resources[1].as_object().at("accountId")), "111122223333");
}

TEST_F(AuditRecordTest, AWebIdentitySessionCarriesItsFederationData) {
  Principal session;
  session.type = PrincipalType::kAssumedRole;
  session.account_id = "111122223333";
  session.user_id = "AROAWEB:s";
  session.arn = "arn:aws:sts::111122223333:assumed-role/web/s";
  session.session = SessionInfo{};
  session.session->role_id = "AROAWEB";
  session.session->federated_provider = "arn:aws:iam::111122223333:oidc-provider/idp.example";
  session.session->web_identity_context = {{"idp.example:sub", {"user-1"}}};
  auto r = Parse(RenderCloudTrailRecord(Event(&session, "s3", "GetObject")));
  auto& fed = r["userIdentity"]
                  .as_object()["sessionContext"]
                  .as_object()["webIdFederationData"]
                  .as_object();
  EXPECT_EQ(Str(fed["federatedProvider"]), "arn:aws:iam::111122223333:oidc-provider/idp.example");
  EXPECT_EQ(Str(fed["attributes"].as_object()["idp.example:sub"]), "user-1");
}

TEST_F(AuditRecordTest, AssumeRoleWithWebIdentitysCallerIsAWebIdentityUser) {
  Principal anonymous;
  WebIdentityCaller caller{"idp.example", "user-1", "client-a"};
  AuditEvent e = Event(&anonymous, "sts", "AssumeRoleWithWebIdentity");
  e.web_identity = &caller;
  auto r = Parse(RenderCloudTrailRecord(e));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "WebIdentityUser");
  EXPECT_EQ(Str(id["principalId"]), "idp.example:client-a:user-1");
  EXPECT_EQ(Str(id["userName"]), "user-1");
  EXPECT_EQ(Str(id["identityProvider"]), "idp.example");
}

TEST_F(AuditRecordTest, AnUnsignedRequestIsTheAnonymousAccount) {
  Principal anonymous;
  AuditEvent e = Event(&anonymous, "s3", "GetObject");
  e.recipient_account = "111122223333";
  auto r = Parse(RenderCloudTrailRecord(e));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "AWSAccount");
  EXPECT_EQ(Str(id["accountId"]), "anonymous");
  EXPECT_EQ(Str(id["principalId"]), "");
  EXPECT_EQ(Str(r["recipientAccountId"]), "111122223333");
  auto none = Parse(RenderCloudTrailRecord(Event(nullptr, "s3", "")));  // refused before parsing
  EXPECT_EQ(Str(none["userIdentity"].as_object()["type"]), "AWSAccount");
}

TEST_F(AuditRecordTest, ACallerFromAnotherAccountIsShownAsCloudTrailShowsItToTheOwner) {
  Principal user;
  user.type = PrincipalType::kUser;
  user.account_id = "444455556666";
  user.user_id = "AIDAOTHER";
  user.user_name = "mallory";
  user.arn = "arn:aws:iam::444455556666:user/mallory";
  user.access_key_id = "AKIAOTHER";
  AuditEvent e = Event(&user, "s3", "GetObject");
  e.recipient_account = "111122223333";
  e.bucket = "shared";
  e.key = "k";
  auto r = Parse(RenderCloudTrailRecord(e));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "AWSAccount");
  EXPECT_EQ(Str(id["principalId"]), "AIDAOTHER");
  EXPECT_EQ(Str(id["accountId"]), "444455556666");
  EXPECT_FALSE(id.contains("accessKeyId"));
  EXPECT_EQ(Str(r["recipientAccountId"]), "111122223333");
}

TEST_F(AuditRecordTest, AGetSessionTokenSessionKeepsItsIdentityTypeWithTheSessionsCreationDate) {
  Principal user;
  user.type = PrincipalType::kUser;
  user.account_id = "111122223333";
  user.user_id = "AIDAEXAMPLE";
  user.user_name = "alice";
  user.arn = "arn:aws:iam::111122223333:user/alice";
  user.access_key_id = "ASIATEMP";
  user.session = SessionInfo{};
  user.session->issued_at = *ParseIso8601("2026-12-03T01:02:03Z");
  auto r = Parse(RenderCloudTrailRecord(Event(&user, "s3", "ListBuckets")));
  auto& id = r["userIdentity"].as_object();
  EXPECT_EQ(Str(id["type"]), "IAMUser");
  auto& ctx = id["sessionContext"].as_object();
  EXPECT_FALSE(ctx.contains("sessionIssuer"));
  EXPECT_EQ(Str(ctx["attributes"].as_object()["creationDate"]), "2026-12-03T01:02:03Z");
}

TEST_F(AuditRecordTest, HostileBytesCannotBreakTheLineOrTheJson) {
  Principal anonymous;
  AuditEvent e = Event(&anonymous, "s3", "PutObject");
  std::string key = std::string("a\"b\\c\nd\x7f\x01") + "\xff\xfe" + "\xc3\xa9" + "}\n{";
  e.key = key;
  e.bucket = "b";
  e.user_agent = "ua\r\n{\"eventName\":\"forged\"}";
  auto r = Parse(RenderCloudTrailRecord(e));
  EXPECT_EQ(Str(r["eventName"]), "PutObject");
  EXPECT_EQ(Str(r["userAgent"]), "ua\r\n{\"eventName\":\"forged\"}");
  // Invalid UTF-8 becomes U+FFFD; valid UTF-8 (é) is kept.
  EXPECT_EQ(Str(r["resources"].as_array()[0].as_object()["ARN"]),
            "arn:aws:s3:::b/a\"b\\c\nd\x7f\x01\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9}\n{");
}

TEST_F(AuditRecordTest, StsEventsAreReadOnlyAndNameTheRoleAsTheirResource) {
  Principal root;
  root.type = PrincipalType::kRoot;
  root.account_id = "111122223333";
  root.arn = "arn:aws:iam::111122223333:root";
  AuditParams params = {{"roleArn", "arn:aws:iam::111122223333:role/r"},
                        {"durationSeconds", "900", true}};
  AuditEvent e = Event(&root, "sts", "AssumeRole");
  e.request_parameters = &params;
  e.response_elements = R"({"credentials":{"accessKeyId":"ASIA1"}})";
  auto r = Parse(RenderCloudTrailRecord(e));
  EXPECT_EQ(r["readOnly"], json::value(true));
  EXPECT_EQ(r["requestParameters"].as_object()["durationSeconds"], json::value(900));
  EXPECT_EQ(Str(r["responseElements"].as_object()["credentials"].as_object()["accessKeyId"]),
            "ASIA1");
  EXPECT_EQ(Str(r["resources"].as_array()[0].as_object()["type"]), "AWS::IAM::Role");
}

TEST(AuditEventId, IsARandomVersion4Uuid) {
  FakeRandom random(7);
  std::string a = NewEventId(random), b = NewEventId(random);
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[13], '-');
  EXPECT_EQ(a[14], '4');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << a;
  EXPECT_NE(a, b);
}

TEST(AuditDataEvents, ObjectLevelOperationsAreDataEventsAndBucketSettingsAreNot) {
  EXPECT_TRUE(IsS3DataEvent("GetObject"));
  EXPECT_TRUE(IsS3DataEvent("CompleteMultipartUpload"));
  EXPECT_TRUE(IsS3DataEvent("ListObjectsV2"));
  EXPECT_TRUE(IsS3DataEvent("UploadPart"));
  EXPECT_FALSE(IsS3DataEvent("CreateBucket"));
  EXPECT_FALSE(IsS3DataEvent("PutBucketPolicy"));
  EXPECT_FALSE(IsS3DataEvent("PutObjectLockConfiguration"));
  EXPECT_FALSE(IsS3DataEvent("ListBuckets"));
}

}  // namespace
}  // namespace kura::api
