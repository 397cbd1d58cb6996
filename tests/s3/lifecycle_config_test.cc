// The lifecycle configuration parser and validator (each AWS rule, malformed documents), its
// rendering, the filter, the due-date arithmetic and the x-amz-expiration value.
#include "s3/lifecycle_config.h"

#include <gtest/gtest.h>

#include <string>

#include "common/time_format.h"

namespace kura::s3 {
namespace {

using std::chrono::seconds;
constexpr seconds kDay{86400};

std::string Doc(const std::string& rules) {
  return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
         "</LifecycleConfiguration>";
}
std::string Rule(const std::string& body, const std::string& id = "r1") {
  return "<Rule><ID>" + id + "</ID><Status>Enabled</Status>" + body + "</Rule>";
}
ErrorCode CodeOf(const std::string& xml) {
  auto parsed = ParseLifecycleConfiguration(xml);
  return parsed ? ErrorCode::kInternalError : parsed.error().code;
}
const std::string kAll = "<Filter><Prefix></Prefix></Filter>";
const std::string kExpire1 = "<Expiration><Days>1</Days></Expiration>";

TEST(LifecycleConfig, ParsesEveryActionAndFilterForm) {
  auto rules = ParseLifecycleConfiguration(Doc(
      Rule("<Filter><Prefix>logs/</Prefix></Filter><Expiration><Days>30</Days></Expiration>", "a") +
      Rule("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
           "<Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>", "b") +
      Rule("<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag>"
           "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan>"
           "</And></Filter><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
           "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>", "c") +
      Rule("<Prefix>old/</Prefix><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
           "</Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>"
           "</AbortIncompleteMultipartUpload>", "d") +
      "<Rule><ID>e</ID><Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter>"
      "<Status>Disabled</Status><Expiration><Days>2</Days></Expiration></Rule>"));
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 5u);
  EXPECT_EQ((*rules)[0].filter.prefix, "logs/");
  EXPECT_EQ((*rules)[0].expiration_days, 30);
  EXPECT_EQ((*rules)[1].expiration_date, ParseIso8601("2030-01-01T00:00:00Z"));
  EXPECT_EQ((*rules)[1].filter.tags, (store::Pairs{{"k", "v"}}));
  EXPECT_EQ((*rules)[2].filter.size_greater_than, 10u);
  EXPECT_EQ((*rules)[2].filter.size_less_than, 100u);
  EXPECT_EQ((*rules)[2].noncurrent_days, 3);
  EXPECT_EQ((*rules)[2].newer_noncurrent_versions, 2);
  EXPECT_EQ((*rules)[3].filter.form, LifecycleFilter::Form::kLegacyPrefix);
  EXPECT_EQ((*rules)[3].expired_object_delete_marker, true);
  EXPECT_EQ((*rules)[3].abort_days_after_initiation, 7);
  EXPECT_FALSE((*rules)[4].enabled);
}

TEST(LifecycleConfig, RendersWhatItParsedSoARoundTripIsTheSame) {
  std::string xml = Doc(
      Rule("<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag></And></Filter>"
           "<Expiration><Days>4</Days></Expiration>", "x") +
      Rule("<Prefix>q/</Prefix><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
           "</NoncurrentVersionExpiration>", "y") +
      Rule("<Filter/><Expiration><Date>2031-02-03T00:00:00.000Z</Date></Expiration>", "z"));
  auto rules = ParseLifecycleConfiguration(xml);
  ASSERT_TRUE(rules);
  std::string rendered = RenderLifecycleConfiguration(*rules);
  EXPECT_NE(rendered.find("<Prefix>q/</Prefix><Status>"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("<Date>2031-02-03T00:00:00.000Z</Date>"), std::string::npos) << rendered;
  auto again = ParseLifecycleConfiguration(rendered);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *rules);
}

TEST(LifecycleConfig, RefusesMalformedDocumentsWithMalformedXML) {
  for (const std::string& xml : {
           std::string(""), std::string("<LifecycleConfiguration>"), Doc(""),
           std::string("<Other>") + Rule(kAll + kExpire1) + "</Other>",
           Doc(Rule(kExpire1)),                                          // no Filter nor Prefix
           Doc(Rule("<Prefix>a</Prefix>" + kAll + kExpire1)),             // both
           Doc("<Rule><ID>a</ID>" + kAll + kExpire1 + "</Rule>"),          // no Status
           Doc("<Rule><ID>a</ID><Status>On</Status>" + kAll + kExpire1 + "</Rule>"),
           Doc(Rule("<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>" + kExpire1)),
           Doc(Rule(kAll + "<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>")),
           Doc(Rule(kAll + "<Expiration></Expiration>")),
           Doc(Rule(kAll + "<Expiration><Days>x</Days></Expiration>")),
           Doc(Rule(kAll + "<Expiration><Date>tomorrow</Date></Expiration>")),
           Doc(Rule(kAll + kExpire1 + "<Unknown/>")),
           Doc(Rule(kAll + "<NoncurrentVersionExpiration><NewerNoncurrentVersions>1</NewerNoncurrentVersions>"
                           "</NoncurrentVersionExpiration>")),
       }) {
    EXPECT_EQ(CodeOf(xml), ErrorCode::kMalformedXML) << xml;
  }
}

TEST(LifecycleConfig, RefusesOutOfRangeValuesWithInvalidArgument) {
  for (const std::string& xml : {
           Doc(Rule(kAll + "<Expiration><Days>0</Days></Expiration>")),
           Doc(Rule(kAll + "<Expiration><Days>-3</Days></Expiration>")),
           Doc(Rule(kAll + "<Expiration><Date>2030-01-01T12:00:00Z</Date></Expiration>")),
           Doc(Rule(kAll + "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true"
                           "</ExpiredObjectDeleteMarker></Expiration>")),
           Doc(Rule(kAll + "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                           "</NoncurrentVersionExpiration>")),
           Doc(Rule(kAll + "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                           "<NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>")),
           Doc(Rule(kAll + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation>"
                           "</AbortIncompleteMultipartUpload>")),
           Doc(Rule(kAll + kExpire1, std::string(256, 'i'))),
           Doc(Rule(kAll + kExpire1, "same") + Rule(kAll + kExpire1, "same")),
           Doc(Rule("<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>"
                    "<ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>" + kExpire1)),
       }) {
    EXPECT_EQ(CodeOf(xml), ErrorCode::kInvalidArgument) << xml;
  }
  EXPECT_TRUE(ParseLifecycleConfiguration(Doc(Rule(kAll + kExpire1, std::string(255, 'i')))));
}

TEST(LifecycleConfig, RefusesRulesAwsRefusesWithInvalidRequest) {
  const std::string tag = "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>";
  auto abort_with_tag = ParseLifecycleConfiguration(Doc(Rule(
      tag + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
            "</AbortIncompleteMultipartUpload>")));
  ASSERT_FALSE(abort_with_tag);
  EXPECT_EQ(abort_with_tag.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(abort_with_tag.error().message, "AbortIncompleteMultipartUpload cannot be specified with Tags.");
  EXPECT_EQ(CodeOf(Doc(Rule(tag + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                                  "</Expiration>"))),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(Doc(Rule(kAll))), ErrorCode::kInvalidRequest);  // no action
  EXPECT_EQ(CodeOf(Doc(Rule("<Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key>"
                            "<Value>2</Value></Tag></And></Filter>" + kExpire1))),
            ErrorCode::kInvalidRequest);
  std::string many, limit;
  for (int i = 0; i < 1001; ++i) {
    many += Rule(kAll + kExpire1, "r" + std::to_string(i));
    if (i < 1000) limit += Rule(kAll + kExpire1, "r" + std::to_string(i));
  }
  EXPECT_EQ(CodeOf(Doc(many)), ErrorCode::kInvalidRequest);
  EXPECT_TRUE(ParseLifecycleConfiguration(Doc(limit)));
}

// kura has one storage class: a transition could never happen, so it is refused, not dropped.
TEST(LifecycleConfig, RefusesTransitionsWithInvalidStorageClass) {
  EXPECT_EQ(CodeOf(Doc(Rule(kAll + "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>"))),
            ErrorCode::kInvalidStorageClass);
  EXPECT_EQ(CodeOf(Doc(Rule(kAll + kExpire1 + "<NoncurrentVersionTransition><NoncurrentDays>3</NoncurrentDays>"
                                              "<StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition>"))),
            ErrorCode::kInvalidStorageClass);
}

// Issue #13: element text is data, so a prefix of one space selects keys that begin with a space;
// indentation inside an empty <Filter> is still no predicate.
TEST(LifecycleConfig, KeepsAPrefixOfWhitespaceAndIgnoresIndentation) {
  auto rules = ParseLifecycleConfiguration(
      Doc(Rule("<Filter><Prefix> </Prefix></Filter>" + kExpire1) + "\n  " +
          Rule("<Filter>\n    </Filter>" + kExpire1, "r2") + "\n" +
          Rule("<Filter><And><Prefix>\t</Prefix><Tag><Key> </Key><Value> </Value></Tag></And></Filter>" +
                   kExpire1,
               "r3")));
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_EQ((*rules)[0].filter.form, LifecycleFilter::Form::kPrefix);
  EXPECT_EQ((*rules)[0].filter.prefix, " ");
  EXPECT_EQ((*rules)[1].filter.form, LifecycleFilter::Form::kEmpty);
  EXPECT_EQ((*rules)[2].filter.prefix, "\t");
  EXPECT_EQ((*rules)[2].filter.tags, (store::Pairs{{" ", " "}}));
}

TEST(LifecycleConfig, AFilterSelectsByPrefixTagsAndSizeAndOnlyWhenEnabled) {
  LifecycleRule rule{.id = "r", .enabled = true,
                     .filter = {.form = LifecycleFilter::Form::kAnd, .prefix = "p/",
                                .tags = {{"a", "1"}}, .size_greater_than = 10, .size_less_than = 100}};
  store::ObjectRecord o{.key = "p/x", .size = 50, .tags = {{"b", "2"}, {"a", "1"}}};
  EXPECT_TRUE(RuleSelects(rule, o));
  store::ObjectRecord other_prefix = o, small = o, big = o, untagged = o;
  other_prefix.key = "q/x";
  small.size = 10;
  big.size = 100;
  untagged.tags = {{"a", "2"}};
  for (const auto& miss : {other_prefix, small, big, untagged}) EXPECT_FALSE(RuleSelects(rule, miss));
  rule.enabled = false;
  EXPECT_FALSE(RuleSelects(rule, o));
}

// S3: "rounding the resulting time to the next day midnight UTC".
TEST(LifecycleConfig, DaysCountFromTheEventAndRoundUpToTheNextMidnightUtc) {
  auto created = *ParseIso8601("2030-01-01T10:30:00Z");
  EXPECT_EQ(LifecycleDue(created, 1, kDay), *ParseIso8601("2030-01-03T00:00:00Z"));
  EXPECT_EQ(LifecycleDue(*ParseIso8601("2030-01-01T00:00:00Z"), 2, kDay), *ParseIso8601("2030-01-03T00:00:00Z"));
  // A one-second "day" (--lifecycle-day-seconds 1): the next whole second after created + days.
  EXPECT_EQ(LifecycleDue(created + std::chrono::milliseconds(300), 2, seconds(1)), created + seconds(3));
}

TEST(LifecycleConfig, ExpiryIsTheEarliestRuleThatExpiresTheObject) {
  auto rules = ParseLifecycleConfiguration(Doc(
      Rule("<Filter><Prefix>a</Prefix></Filter><Expiration><Days>10</Days></Expiration>", "ten") +
      Rule("<Filter><Prefix>a</Prefix></Filter><Expiration><Days>2</Days></Expiration>", "two") +
      Rule("<Filter><Prefix>b</Prefix></Filter><Expiration><Days>1</Days></Expiration>", "other") +
      Rule(kAll + "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>",
           "noncurrent")));
  ASSERT_TRUE(rules);
  store::ObjectRecord o{.key = "a1", .last_modified = *ParseIso8601("2012-12-20T08:00:00Z")};
  auto expiry = ExpiryOf(*rules, o, kDay);
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->rule_id, "two");
  EXPECT_EQ(ExpirationHeaderValue(*expiry), "expiry-date=\"Sun, 23 Dec 2012 00:00:00 GMT\", rule-id=\"two\"");
  o.key = "c";
  EXPECT_FALSE(ExpiryOf(*rules, o, kDay));
}

}  // namespace
}  // namespace kura::s3
