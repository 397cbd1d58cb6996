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

TEST(TimeFormat, FormatsLeapDaysAndTimesBeforeTheEpoch) {
  const TimePoint leap = FromUnixSeconds(951782399);  // 2000-02-28T23:59:59Z
  EXPECT_EQ(FormatHttpDate(leap + std::chrono::seconds(1)), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(FormatAmzDate(leap + std::chrono::hours(24) + std::chrono::seconds(1)), "20000301T000000Z");
  EXPECT_EQ(FormatIso8601(FromUnixSeconds(-1) + std::chrono::milliseconds(250)),
            "1969-12-31T23:59:59.250Z");
  EXPECT_EQ(FormatIso8601Seconds(FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatHttpDate(FromUnixSeconds(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(TimeFormat, DaysPastTheEndOfAMonthRollOverAsTimegmDoes) {
  EXPECT_EQ(ParseAmzDate("20150231T000000Z"), FromUnixSeconds(1425340800));  // 2015-03-03
  EXPECT_EQ(ParseHttpDate("Tue, 31 Feb 2015 00:00:00 GMT"), FromUnixSeconds(1425340800));
  EXPECT_EQ(ParseAmzDate("20151231T235960Z"), FromUnixSeconds(1451606400));  // a leap second
  EXPECT_FALSE(ParseAmzDate("20151301T000000Z"));
  EXPECT_FALSE(ParseAmzDate("20150100T000000Z"));
  EXPECT_FALSE(ParseAmzDate("20150101T240000Z"));
  EXPECT_FALSE(ParseHttpDate("Sun, 30 Aug 2015 12:36:61 GMT"));
  EXPECT_FALSE(ParseHttpDate("Sun, 30 Abc 2015 12:36:00 GMT"));
}

TEST(TimeFormat, AcceptsTheObsoleteHttpDateFormsAndOtherSpellings) {
  EXPECT_EQ(ParseHttpDate("Sunday, 30-Aug-15 12:36:00 GMT"), kT);
  EXPECT_EQ(ParseHttpDate("Sun Aug 30 12:36:00 2015"), kT);
  EXPECT_EQ(ParseHttpDate("sun, 30 aug 2015 12:36:00 GMT"), kT);
  EXPECT_FALSE(ParseHttpDate(""));
}

}  // namespace
}  // namespace kura
