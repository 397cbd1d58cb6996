// The XML request-body parsers of DeleteObjects, CompleteMultipartUpload, CreateBucket and
// PutBucketAcl/PutObjectAcl: documents as boto3 sends them, and garbage refused with S3's
// MalformedXML (MalformedACLError for ACLs). (Tagging and CORS have their own tests; ACLs too, in
// acl_test.cc.)
#include <gtest/gtest.h>

#include <string>

#include "s3/bucket_handlers.h"
#include "s3/acl.h"
#include "s3/bucket_policy.h"
#include "s3/delete_objects.h"
#include "s3/multipart_handlers.h"
#include "s3/tagging.h"

namespace kura::s3 {
namespace {

constexpr char kNs[] = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";
constexpr char kOwner[] = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

const char* const kGarbage[] = {"", "not xml", "<Delete><Object><Key>k</Key></Object>",
                                "\xff\xfe\x00<", "<?xml version=\"1.0\"?>", "{\"Objects\": []}"};

TEST(DeleteRequestXml, ReadsKeysAndQuietModeAsBoto3SendsThem) {
  auto request = ParseDelete(std::string("<Delete") + kNs +
                             "><Object><Key>a/b.txt</Key></Object><Object><Key>c&amp;d</Key>"
                             "<VersionId>null</VersionId></Object><Quiet>true</Quiet></Delete>");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_TRUE(request->quiet);
  EXPECT_EQ(request->objects, (std::vector<DeleteTarget>{{"a/b.txt", std::nullopt}, {"c&d", "null"}}));
}

TEST(DeleteRequestXml, RefusesGarbageNoObjectsAnObjectWithoutKeyAndTooManyKeys) {
  for (const char* body : kGarbage) {
    auto request = ParseDelete(body);
    ASSERT_FALSE(request) << body;
    EXPECT_EQ(request.error().code, ErrorCode::kMalformedXML) << body;
  }
  EXPECT_EQ(ParseDelete("<Delete><Quiet>true</Quiet></Delete>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseDelete("<Delete><Object><VersionId>1</VersionId></Object></Delete>").error().code,
            ErrorCode::kMalformedXML);
  std::string many = "<Delete>";
  for (int i = 0; i < 1001; ++i) many += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
  EXPECT_EQ(ParseDelete(many + "</Delete>").error().code, ErrorCode::kMalformedXML);
}

// Issue #13: the text of <Key> is data. pugixml's default drops whitespace-only text, which made
// a key of one space an empty key that DeleteObjects refused.
TEST(DeleteRequestXml, KeepsKeysOfWhitespaceByteForByte) {
  for (std::string key : {" ", "  ", "\t", "\n", " \t \n "}) {
    auto request = ParseDelete("<Delete><Object><Key>" + key + "</Key></Object></Delete>");
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->objects, (std::vector<DeleteTarget>{{key, std::nullopt}})) << key;
  }
  auto spaced = ParseDelete("<Delete><Object><Key> a </Key></Object></Delete>");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->objects[0].key, " a ");
}

TEST(DeleteRequestXml, DecodesCharacterReferencesInKeysAndNormalizesOnlyLiteralLineEnds) {
  auto request = ParseDelete(
      "<Delete><Object><Key>a&#13;b</Key></Object><Object><Key>&#x0A;</Key></Object>"
      "<Object><Key>&#13;&#10;</Key></Object><Object><Key>&#32;</Key></Object>"
      "<Object><Key><![CDATA[ <x> ]]></Key></Object><Object><Key>c\r\nd\re</Key></Object></Delete>");
  ASSERT_TRUE(request) << request.error().message;
  std::vector<std::string> keys;
  for (const auto& target : request->objects) keys.push_back(target.key);
  // XML 1.0 section 2.11: a literal CR or CRLF reads as LF; only a reference is a CR.
  EXPECT_EQ(keys, (std::vector<std::string>{"a\rb", "\n", "\r\n", " ", " <x> ", "c\nd\ne"}));
}

TEST(DeleteRequestXml, IndentationBetweenElementsIsNotText) {
  auto request = ParseDelete(
      "<Delete>\n  <Object>\n    <Key>k</Key>\n    <VersionId>v</VersionId>\n  </Object>\n"
      "  <Quiet>true</Quiet>\n</Delete>\n");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_TRUE(request->quiet);
  EXPECT_EQ(request->objects, (std::vector<DeleteTarget>{{"k", "v"}}));
}

TEST(CompletePartListXml, ReadsPrettyPrintedDocuments) {
  auto parts = ParsePartList(
      "<CompleteMultipartUpload>\n  <Part>\n    <ETag>\"e\"</ETag>\n    <PartNumber>1</PartNumber>\n"
      "  </Part>\n</CompleteMultipartUpload>",
      "");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].etag, "e");
}

TEST(TaggingXml, KeepsTagKeysAndValuesOfWhitespace) {
  auto tags = ParseTagging("<Tagging><TagSet><Tag><Key> </Key><Value>\t</Value></Tag>"
                           "<Tag><Key>k</Key><Value> </Value></Tag></TagSet></Tagging>",
                           10);
  ASSERT_TRUE(tags) << tags.error().message;
  EXPECT_EQ(*tags, (store::Pairs{{" ", "\t"}, {"k", " "}}));
}

TEST(CompletePartListXml, ReadsNumbersUnquotedEtagsAndTheUploadsChecksum) {
  auto parts = ParsePartList(std::string("<CompleteMultipartUpload") + kNs +
                                 "><Part><ChecksumCRC32>sOO8/Q==</ChecksumCRC32><ETag>\"0c78\"</ETag>"
                                 "<PartNumber>1</PartNumber></Part><Part><ETag>acbd</ETag>"
                                 "<PartNumber>10000</PartNumber></Part></CompleteMultipartUpload>",
                             "CRC32");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].number, 1);
  EXPECT_EQ((*parts)[0].etag, "0c78");
  EXPECT_EQ((*parts)[0].checksum, "sOO8/Q==");
  EXPECT_EQ((*parts)[1].number, 10000);
  EXPECT_EQ((*parts)[1].checksum, "");
}

TEST(CompletePartListXml, RefusesGarbageBadNumbersAndDescendingParts) {
  for (const char* body : kGarbage) {
    auto parts = ParsePartList(body, "");
    ASSERT_FALSE(parts) << body;
    EXPECT_EQ(parts.error().code, ErrorCode::kMalformedXML) << body;
  }
  EXPECT_EQ(ParsePartList("<CompleteMultipartUpload/>", "").error().code, ErrorCode::kMalformedXML);
  for (const char* number : {"0", "10001", "-1", "1x", "", "99999999999999999999"}) {
    auto parts = ParsePartList(std::string("<CompleteMultipartUpload><Part><PartNumber>") + number +
                                   "</PartNumber></Part></CompleteMultipartUpload>",
                               "");
    ASSERT_FALSE(parts) << number;
    EXPECT_EQ(parts.error().code, ErrorCode::kInvalidArgument) << number;
  }
  EXPECT_EQ(ParsePartList("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber></Part>"
                          "<Part><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>",
                          "")
                .error().code,
            ErrorCode::kInvalidPartOrder);
}

TEST(CreateBucketConfigurationXml, ReadsTheLocationConstraintAndAcceptsAnEmptyBody) {
  EXPECT_EQ(ParseCreateBucketConfiguration(std::string("<CreateBucketConfiguration") + kNs +
                                           "><LocationConstraint>eu-west-1</LocationConstraint>"
                                           "</CreateBucketConfiguration>")
                .value(),
            "eu-west-1");
  EXPECT_EQ(ParseCreateBucketConfiguration("").value(), "");
  EXPECT_EQ(ParseCreateBucketConfiguration("<CreateBucketConfiguration/>").value(), "");
}

TEST(CreateBucketConfigurationXml, RefusesGarbageAsMalformedXml) {
  for (const char* body : kGarbage) {
    if (*body == '\0') continue;  // an empty body is no configuration
    auto location = ParseCreateBucketConfiguration(body);
    ASSERT_FALSE(location) << body;
    EXPECT_EQ(location.error().code, ErrorCode::kMalformedXML) << body;
  }
  EXPECT_EQ(ParseCreateBucketConfiguration("<LocationConstraint>x</LocationConstraint>").error().code,
            ErrorCode::kMalformedXML);
}

TEST(TaggingXml, RefusesGarbageAsMalformedXml) {
  for (const char* body : kGarbage) {
    auto tags = ParseTagging(body, 10);
    ASSERT_FALSE(tags) << body;
    EXPECT_EQ(tags.error().code, ErrorCode::kMalformedXML) << body;
  }
}

TEST(AccessControlPolicyXml, RefusesGarbageAsMalformedAclError) {
  const AclAccounts accounts{.canonical_id = kOwner, .display_name = "kura", .email = ""};
  for (const char* body : kGarbage) {
    auto acl = ParseAccessControlPolicy(body, accounts);
    ASSERT_FALSE(acl) << body;
    EXPECT_EQ(acl.error().code, ErrorCode::kMalformedACLError) << body;
  }
}

}  // namespace
}  // namespace kura::s3
