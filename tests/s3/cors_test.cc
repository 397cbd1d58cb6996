#include "s3/cors.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

constexpr const char kConfig[] = R"(<CORSConfiguration>
  <CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>x-amz-*</AllowedHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>
  <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>
</CORSConfiguration>)";

TEST(CorsConfiguration, ParsesRulesAndRendersThemBack) {
  auto rules = ParseCorsConfiguration(kConfig);
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].max_age_seconds, 60);
  auto again = ParseCorsConfiguration(RenderCorsConfiguration(*rules));
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0].allowed_headers, (*rules)[0].allowed_headers);
}

TEST(CorsConfiguration, RejectsUnsupportedMethodsAndIncompleteRules) {
  EXPECT_EQ(ParseCorsConfiguration("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                                   "<AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>")
                .error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(ParseCorsConfiguration("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                                   "</CORSRule></CORSConfiguration>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseCorsConfiguration("<CORSConfiguration/>").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseCorsConfiguration("not xml").error().code, ErrorCode::kMalformedXML);
}

// Found by fuzz/s3_xml_body: -1 was stored as 18446744073709551615 and read back as another
// number; "ten" was read as 0.
TEST(CorsConfiguration, KeepsMaxAgeSecondsThroughStorageAndRefusesNonIntegers) {
  auto rule = [](std::string_view max_age) {
    return "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
           "</AllowedMethod><MaxAgeSeconds>" + std::string(max_age) +
           "</MaxAgeSeconds></CORSRule></CORSConfiguration>";
  };
  auto negative = ParseCorsConfiguration(rule("-1"));
  ASSERT_TRUE(negative);
  auto stored = ParseCorsConfiguration(RenderCorsConfiguration(*negative));
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)[0].max_age_seconds, -1);
  for (const char* bad : {"ten", "", "1.5", " 60", "99999999999"}) {
    auto parsed = ParseCorsConfiguration(rule(bad));
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedXML) << bad;
  }
}

TEST(CorsMatching, MatchesOriginWildcardsMethodsAndRequestedHeaders) {
  auto rules = *ParseCorsConfiguration(kConfig);
  EXPECT_EQ(MatchCorsRule(rules, "https://app.example.com", "PUT", {"x-amz-date"}), &rules[0]);
  EXPECT_EQ(MatchCorsRule(rules, "https://app.example.com", "PUT", {"content-type"}), nullptr);
  EXPECT_EQ(MatchCorsRule(rules, "https://app.example.com", "GET", {}), &rules[1]);
  EXPECT_EQ(MatchCorsRule(rules, "http://app.example.com", "PUT", {}), nullptr);
  EXPECT_EQ(MatchCorsRule(rules, "https://x.org", "DELETE", {}), nullptr);
}

}  // namespace
}  // namespace kura::s3
