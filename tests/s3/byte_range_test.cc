// ParseRange and ParseCopySourceRange: RFC 9110 section 14.1.2 for GetObject's Range (a malformed
// range ignored, a valid unsatisfiable one 416, overflowing positions never wrapping) and
// UploadPartCopy's x-amz-copy-source-range.
#include "s3/byte_range.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

constexpr uint64_t kSize = 10;  // "0123456789"
constexpr std::string_view kHuge = "99999999999999999999999";

enum class Answer { kWhole, kPartial, kUnsatisfiable };

struct RangeCase {
  std::string header;
  Answer answer;
  ByteRange range = {};
};

TEST(ParseRange, FollowsRfc9110ForEachForm) {
  const std::string huge(kHuge);
  const RangeCase cases[] = {
      {"", Answer::kWhole},
      {"bytes=2-3", Answer::kPartial, {2, 2}},
      {"bytes=0-0", Answer::kPartial, {0, 1}},
      {"bytes=7-", Answer::kPartial, {7, 3}},
      {"bytes=-3", Answer::kPartial, {7, 3}},
      {"bytes=5-100", Answer::kPartial, {5, 5}},
      {"bytes=-100", Answer::kPartial, {0, 10}},
      {"bytes=0002-0003", Answer::kPartial, {2, 2}},
      // Malformed, so ignored: never a suffix range in disguise.
      {"bytes=x-3", Answer::kWhole},
      {"bytes= 2-3", Answer::kWhole},
      {"bytes=2 -3", Answer::kWhole},
      {"bytes=2- 3", Answer::kWhole},
      {"bytes=2-3 ", Answer::kWhole},
      {"bytes=0x1-3", Answer::kWhole},
      {"bytes=+1-3", Answer::kWhole},
      {"bytes=-+3", Answer::kWhole},
      {"bytes=-x", Answer::kWhole},
      {"bytes=2-x", Answer::kWhole},
      {"bytes=\xff-3", Answer::kWhole},
      {"bytes=", Answer::kWhole},
      {"bytes=-", Answer::kWhole},
      {"bytes=3", Answer::kWhole},
      {"bytes=3-2", Answer::kWhole},  // last-pos before first-pos
      {"bytes=2-3,5-6", Answer::kWhole},
      {"bytes=-3,5-6", Answer::kWhole},
      {"items=2-3", Answer::kWhole},
      {"bytes 2-3", Answer::kWhole},
      // Valid but unsatisfiable.
      {"bytes=10-", Answer::kUnsatisfiable},
      {"bytes=10-20", Answer::kUnsatisfiable},
      {"bytes=-0", Answer::kUnsatisfiable},
      // Numbers past uint64 never wrap.
      {"bytes=" + huge + "-1", Answer::kWhole},  // last-pos before first-pos
      {"bytes=" + huge + "-", Answer::kUnsatisfiable},
      {"bytes=" + huge + "-" + huge, Answer::kUnsatisfiable},
      {"bytes=" + huge + "9-" + huge, Answer::kWhole},
      {"bytes=18446744073709551616-", Answer::kUnsatisfiable},  // 2^64
      {"bytes=3-" + huge, Answer::kPartial, {3, 7}},
      {"bytes=3-18446744073709551616", Answer::kPartial, {3, 7}},
      {"bytes=-" + huge, Answer::kPartial, {0, 10}},
      {"bytes=-18446744073709551615", Answer::kPartial, {0, 10}},
  };
  for (const RangeCase& c : cases) {
    SCOPED_TRACE(c.header);
    auto result = ParseRange(c.header, kSize);
    switch (c.answer) {
      case Answer::kWhole:
        ASSERT_TRUE(result.has_value()) << result.error().message;
        EXPECT_FALSE(result->has_value());
        break;
      case Answer::kPartial:
        ASSERT_TRUE(result.has_value()) << result.error().message;
        ASSERT_TRUE(result->has_value());
        EXPECT_EQ(**result, c.range);
        break;
      case Answer::kUnsatisfiable:
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::kInvalidRange);
        break;
    }
  }
}

TEST(ParseRange, UnsatisfiableRangeNamesTheRequestAndTheSize) {
  auto result = ParseRange("bytes=10-", kSize);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().details,
            (decltype(result.error().details){{"RangeRequested", "bytes=10-"},
                                              {"ActualObjectSize", "10"}}));
}

TEST(ParseRange, AnEmptyObjectHasNoByteToServe) {
  EXPECT_FALSE(ParseRange("bytes=0-", 0).has_value());
  auto suffix = ParseRange("bytes=-5", 0);
  ASSERT_TRUE(suffix.has_value());
  EXPECT_FALSE(suffix->has_value());
}

TEST(ParseCopySourceRange, AcceptsOnlyFirstDashLastInsideTheSource) {
  EXPECT_EQ(*ParseCopySourceRange("", kSize), (ByteRange{0, 10}));
  EXPECT_EQ(*ParseCopySourceRange("bytes=2-3", kSize), (ByteRange{2, 2}));
  EXPECT_EQ(*ParseCopySourceRange("bytes=0-9", kSize), (ByteRange{0, 10}));
  const std::string huge(kHuge);
  for (const std::string& bad :
       std::vector<std::string>{"bytes= 2-3", "bytes=2 -3", "bytes=2-3 ", "bytes=0x1-3",
                                "bytes=x-3", "bytes=-3", "bytes=3-", "bytes=3-2", "bytes=2-3,5-6",
                                "2-3", "bytes=" + huge + "-1", "bytes=" + huge + "9-" + huge}) {
    SCOPED_TRACE(bad);
    auto result = ParseCopySourceRange(bad, kSize);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(result.error().message.find("must be of the form bytes=first-last"),
              std::string::npos);
  }
  for (const std::string& outside :
       std::vector<std::string>{"bytes=0-10", "bytes=2-" + huge, "bytes=" + huge + "-" + huge}) {
    SCOPED_TRACE(outside);
    auto result = ParseCopySourceRange(outside, kSize);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message, "Range specified is not valid for source object of size: 10");
  }
}

}  // namespace
}  // namespace kura::s3
