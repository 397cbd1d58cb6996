// Object Lock's parsers and request headers: the <ObjectLockConfiguration>, <Retention> and
// <LegalHold> documents validated as S3 validates them, and the x-amz-object-lock-* headers of
// the object writes.
#include "s3/object_lock.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "s3/object_lock_headers.h"

namespace kura::s3 {
namespace {

using store::RetentionMode;

std::string Config(std::string_view retention) {
  return "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
         "<DefaultRetention>" + std::string(retention) + "</DefaultRetention></Rule>"
         "</ObjectLockConfiguration>";
}

std::optional<ErrorCode> CodeOf(const Result<store::DefaultRetention>& r) {
  if (r) return std::nullopt;
  return r.error().code;
}

TEST(ObjectLockConfiguration, ReadsAModeAndExactlyOnePeriod) {
  auto days = ParseObjectLockConfiguration(Config("<Mode>GOVERNANCE</Mode><Days>3</Days>"));
  ASSERT_TRUE(days);
  EXPECT_EQ(*days, (store::DefaultRetention{RetentionMode::kGovernance, 3, 0}));
  auto years = ParseObjectLockConfiguration(Config("<Mode>COMPLIANCE</Mode><Years>100</Years>"));
  ASSERT_TRUE(years);
  EXPECT_EQ(*years, (store::DefaultRetention{RetentionMode::kCompliance, 0, 100}));
  auto none = ParseObjectLockConfiguration(
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
      "</ObjectLockConfiguration>");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->mode, RetentionMode::kNone);
}

TEST(ObjectLockConfiguration, RefusesWhatS3Refuses) {
  EXPECT_EQ(CodeOf(ParseObjectLockConfiguration(Config("<Mode>GOVERNANCE</Mode><Days>0</Days>"))),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(ParseObjectLockConfiguration(Config("<Mode>GOVERNANCE</Mode><Days>-2</Days>"))),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      CodeOf(ParseObjectLockConfiguration(Config("<Mode>GOVERNANCE</Mode><Days>36501</Days>"))),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(ParseObjectLockConfiguration(Config("<Mode>GOVERNANCE</Mode><Years>101</Years>"))),
            ErrorCode::kInvalidArgument);
  for (std::string_view malformed :
       {"<Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>", "<Mode>GOVERNANCE</Mode>",
        "<Days>1</Days>", "<Mode>governance</Mode><Days>1</Days>",
        "<Mode>GOVERNANCE</Mode><Days>1.5</Days>", "<Mode>GOVERNANCE</Mode><Days></Days>"}) {
    EXPECT_EQ(CodeOf(ParseObjectLockConfiguration(Config(malformed))), ErrorCode::kMalformedXML)
        << malformed;
  }
  for (std::string_view malformed :
       {"", "<ObjectLockConfiguration/>", "<Other><ObjectLockEnabled>Enabled</ObjectLockEnabled></Other>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled>"
        "</ObjectLockConfiguration>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule/>"
        "</ObjectLockConfiguration>"}) {
    EXPECT_EQ(CodeOf(ParseObjectLockConfiguration(malformed)), ErrorCode::kMalformedXML)
        << malformed;
  }
}

TEST(Retention, ReadsModeAndDateBothOrNeither) {
  auto set = ParseRetention(
      "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2030-01-02T03:04:05.000Z"
      "</RetainUntilDate></Retention>");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->mode, RetentionMode::kCompliance);
  EXPECT_EQ(set->retain_until, *ParseIso8601("2030-01-02T03:04:05Z"));
  auto removed = ParseRetention("<Retention/>");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->mode, RetentionMode::kNone);
  for (std::string_view malformed :
       {"<Retention><Mode>COMPLIANCE</Mode></Retention>",
        "<Retention><RetainUntilDate>2030-01-02T03:04:05Z</RetainUntilDate></Retention>",
        "<Retention><Mode>WORM</Mode><RetainUntilDate>2030-01-02T03:04:05Z</RetainUntilDate>"
        "</Retention>",
        "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>tomorrow</RetainUntilDate></Retention>",
        "<LegalHold/>", ""}) {
    auto r = ParseRetention(malformed);
    ASSERT_FALSE(r) << malformed;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedXML) << malformed;
  }
}

TEST(LegalHold, IsOnOrOff) {
  EXPECT_EQ(ParseLegalHold("<LegalHold><Status>ON</Status></LegalHold>").value(), true);
  EXPECT_EQ(ParseLegalHold("<LegalHold><Status>OFF</Status></LegalHold>").value(), false);
  EXPECT_EQ(ParseLegalHold("<LegalHold><Status>on</Status></LegalHold>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseLegalHold("<LegalHold/>").error().code, ErrorCode::kMalformedXML);
}

RequestHead HeadWith(std::vector<std::pair<std::string, std::string>> fields) {
  RequestHead head;
  for (const auto& [name, value] : fields) head.fields.set(name, value);
  return head;
}

TEST(ObjectLockHeaders, ReadsRetentionAndLegalHold) {
  store::ObjectRecord record;
  ASSERT_TRUE(ReadObjectLockHeaders(
      HeadWith({{"x-amz-object-lock-mode", "GOVERNANCE"},
                {"x-amz-object-lock-retain-until-date", "2030-01-02T03:04:05.123456Z"},
                {"x-amz-object-lock-legal-hold", "ON"}}),
      record));
  EXPECT_EQ(record.retention_mode, RetentionMode::kGovernance);
  EXPECT_EQ(record.retain_until,
            *ParseIso8601("2030-01-02T03:04:05Z") + std::chrono::milliseconds(123));
  EXPECT_TRUE(record.legal_hold);
  store::ObjectRecord plain;
  ASSERT_TRUE(ReadObjectLockHeaders(HeadWith({}), plain));
  EXPECT_EQ(plain.retention_mode, RetentionMode::kNone);
  EXPECT_FALSE(plain.legal_hold);
}

TEST(ObjectLockHeaders, RefusesHalfARetentionAndBadValues) {
  for (auto fields : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"x-amz-object-lock-mode", "GOVERNANCE"}},
           {{"x-amz-object-lock-retain-until-date", "2030-01-02T03:04:05Z"}},
           {{"x-amz-object-lock-mode", "FOREVER"},
            {"x-amz-object-lock-retain-until-date", "2030-01-02T03:04:05Z"}},
           {{"x-amz-object-lock-mode", "COMPLIANCE"},
            {"x-amz-object-lock-retain-until-date", "next year"}},
           {{"x-amz-object-lock-legal-hold", "on"}}}) {
    store::ObjectRecord record;
    auto read = ReadObjectLockHeaders(HeadWith(fields), record);
    ASSERT_FALSE(read) << fields[0].first << ": " << fields[0].second;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace kura::s3
