#include "s3/tagging.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

std::string Doc(int n, const char* value = "v") {
  std::string xml = "<Tagging><TagSet>";
  for (int i = 0; i < n; ++i) xml += "<Tag><Key>k" + std::to_string(i) + "</Key><Value>" + value + "</Value></Tag>";
  return xml + "</TagSet></Tagging>";
}

TEST(Tagging, RoundTripsATagSet) {
  auto tags = ParseTagging(Doc(2), 10);
  ASSERT_TRUE(tags);
  EXPECT_EQ(*tags, (store::Pairs{{"k0", "v"}, {"k1", "v"}}));
  EXPECT_EQ(*ParseTagging(RenderTagging(*tags), 10), *tags);
}

TEST(Tagging, EnforcesS3sRules) {
  EXPECT_EQ(ParseTagging(Doc(11), 10).error().code, ErrorCode::kBadRequest);
  EXPECT_TRUE(ParseTagging(Doc(11), 50));
  EXPECT_EQ(ParseTagging("<Tagging><TagSet><Tag><Key>a</Key></Tag><Tag><Key>a</Key></Tag></TagSet></Tagging>", 10)
                .error().code,
            ErrorCode::kInvalidTag);
  EXPECT_EQ(ParseTagging(Doc(1, std::string(257, 'v').c_str()), 10).error().code, ErrorCode::kInvalidTag);
  EXPECT_EQ(ParseTagging("<Tagging/>", 10).error().code, ErrorCode::kMalformedXML);
}

}  // namespace
}  // namespace kura::s3
