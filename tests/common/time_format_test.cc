#include "common/time_format.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

const TimePoint kT = FromUnixSeconds(1440938160);  // 2015-08-30T12:36:00Z

TEST(TimeFormat, FormatsTheThreeWireForms) {
  EXPECT_EQ(FormatAmzDate(kT), "20150830T123600Z");
  EXPECT_EQ(FormatIso8601(kT + std::chrono::milliseconds(7)), "2015-08-30T12:36:00.007Z");
  EXPECT_EQ(FormatIso8601Seconds(kT), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatHttpDate(kT), "Sun, 30 Aug 2015 12:36:00 GMT");
}

TEST(TimeFormat, ParsesWhatItFormatsAndRejectsJunk) {
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), kT);
  EXPECT_FALSE(ParseAmzDate("20150830T123600"));
  EXPECT_FALSE(ParseAmzDate("2015083XT123600Z"));
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00Z"), kT);
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00.500Z"), kT + std::chrono::milliseconds(500));
  EXPECT_FALSE(ParseIso8601("2015-08-30T12:36:00.Z"));
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), kT);
  EXPECT_FALSE(ParseHttpDate("yesterday"));
}

}  // namespace
}  // namespace kura
