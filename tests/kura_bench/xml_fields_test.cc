#include "kura_bench/xml_fields.h"

#include <gtest/gtest.h>

namespace kura::bench {
namespace {

// The response shape of the STS API reference's AssumeRole example.
constexpr std::string_view kAssumeRoleResponse = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>)";

TEST(XmlFields, ExtractsAssumeRoleCredentials) {
  auto creds = ParseAssumeRoleCredentials(kAssumeRoleResponse);
  ASSERT_TRUE(creds.has_value()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(creds->secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(creds->session_token,
            "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW");
}

TEST(XmlFields, ReportsTheStsErrorInsteadOfCredentials) {
  auto creds = ParseAssumeRoleCredentials(
      "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
      "<Message>not allowed</Message></Error></ErrorResponse>");
  ASSERT_FALSE(creds.has_value());
  EXPECT_NE(creds.error().message.find("AccessDenied not allowed"), std::string::npos);
}

TEST(XmlFields, RejectsNonXmlAndIncompleteCredentials) {
  EXPECT_FALSE(ParseAssumeRoleCredentials("not xml <").has_value());
  EXPECT_FALSE(ParseAssumeRoleCredentials(
                   "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A"
                   "</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>")
                   .has_value());
}

TEST(XmlFields, FindsListAndMultipartFields) {
  std::string list =
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true"
      "</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="
      "</NextContinuationToken></ListBucketResult>";
  EXPECT_EQ(FirstElementText(list, "IsTruncated"), "true");
  EXPECT_EQ(FirstElementText(list, "NextContinuationToken"),
            "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_EQ(FirstElementText("<a:X xmlns:a=\"u\"><a:UploadId>id-1</a:UploadId></a:X>", "UploadId"),
            "id-1");
  EXPECT_EQ(FirstElementText(list, "Missing"), std::nullopt);
}

}  // namespace
}  // namespace kura::bench
