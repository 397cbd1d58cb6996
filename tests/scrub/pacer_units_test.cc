// The scrub's byte-rate pacing (on a fake clock) and its flag values.
#include <gtest/gtest.h>

#include "scrub/pacer.h"
#include "scrub/units.h"

namespace kura::scrub {
namespace {

TEST(Pacer, SleepsSoThatBytesFitTheRateAfterOneSecondOfBudget) {
  FakeClock clock(FromUnixSeconds(1'000'000));
  std::chrono::nanoseconds slept{0};
  Pacer pacer(1 << 20, clock, [&](std::chrono::nanoseconds d) {
    slept += d;
    clock.Advance(d);
    return true;
  });
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(pacer.Take(1 << 19));  // 4 MiB
  EXPECT_EQ(slept, std::chrono::seconds(3));
}

TEST(Pacer, NeverSleepsWithoutARateAndStopsWhenTheSleepIsCutShort) {
  FakeClock clock(FromUnixSeconds(1'000'000));
  Pacer unlimited(0, clock, [](auto) -> bool {
    ADD_FAILURE() << "slept";
    return true;
  });
  EXPECT_TRUE(unlimited.Take(uint64_t{1} << 40));
  Pacer stopping(1, clock, [](auto) { return false; });
  EXPECT_FALSE(stopping.Take(10));
}

TEST(ScrubUnits, ParsesByteRatesWithBinarySuffixes) {
  EXPECT_EQ(*ParseByteRate("0"), 0u);
  EXPECT_EQ(*ParseByteRate("1048576"), 1048576u);
  EXPECT_EQ(*ParseByteRate("16MiB"), 16u << 20);
  EXPECT_EQ(*ParseByteRate("16M"), 16u << 20);
  EXPECT_EQ(*ParseByteRate("512KiB"), 512u << 10);
  EXPECT_EQ(*ParseByteRate("1G"), 1u << 30);
  EXPECT_FALSE(ParseByteRate(""));
  EXPECT_FALSE(ParseByteRate("fast"));
  EXPECT_FALSE(ParseByteRate("16 MiB"));
  EXPECT_FALSE(ParseByteRate("99999999999999999999"));
  EXPECT_FALSE(ParseByteRate("-1"));
}

TEST(ScrubUnits, ParsesIntervals) {
  EXPECT_EQ(*ParseInterval("0"), std::chrono::seconds(0));
  EXPECT_EQ(*ParseInterval("90"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseInterval("90s"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseInterval("15m"), std::chrono::minutes(15));
  EXPECT_EQ(*ParseInterval("12h"), std::chrono::hours(12));
  EXPECT_EQ(*ParseInterval("30d"), std::chrono::hours(720));
  EXPECT_FALSE(ParseInterval("1w"));
  EXPECT_FALSE(ParseInterval("h"));
  EXPECT_FALSE(ParseInterval("99999999999999d"));
}

}  // namespace
}  // namespace kura::scrub
