// The free-space reserve (store/space/free_space.h) and the metadata ballast (ballast.h), with a
// fake clock and a fake statvfs.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>

#include "store/space/ballast.h"
#include "store/space/free_space.h"
#include "store_test_util.h"

namespace kura::store::space {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;

TEST(ParseReserve, ReadsBytesWithDecimalAndBinarySuffixes) {
  EXPECT_EQ(ParseReserve("0")->bytes, 0u);
  EXPECT_EQ(ParseReserve("4096")->bytes, 4096u);
  EXPECT_EQ(ParseReserve("500M")->bytes, 500'000'000u);
  EXPECT_EQ(ParseReserve("1GiB")->bytes, kGiB);
  EXPECT_EQ(ParseReserve("16MiB")->bytes, 16 * kMiB);
  EXPECT_EQ(ParseReserve("2TB")->bytes, 2'000'000'000'000u);
  EXPECT_EQ(ParseReserve("1GiB")->kind, Reserve::Kind::kBytes);
}

TEST(ParseReserve, ReadsPercentagesAndTheDefault) {
  auto percent = ParseReserve("2.5%");
  ASSERT_TRUE(percent);
  EXPECT_EQ(percent->kind, Reserve::Kind::kPercent);
  EXPECT_EQ(percent->BytesOf(1000 * kMiB), 25 * kMiB);
  EXPECT_EQ(ParseReserve("default")->kind, Reserve::Kind::kDefault);
}

TEST(ParseReserve, RefusesWhatIsNotASize) {
  for (const char* bad : {"x", "1 GiB", "1gb", "-1", "100%", "%", "abc%", "1GiBs",
                          "99999999999999999999", "20000000000T"}) {
    EXPECT_FALSE(ParseReserve(bad)) << bad;
  }
}

TEST(DefaultReserve, IsOneGibibyteOrTwoPercentButAtMostFivePercentOfASmallDisk) {
  EXPECT_EQ(DefaultReserveBytes(1000 * kGiB), 20 * kGiB);     // 2 %
  EXPECT_EQ(DefaultReserveBytes(40 * kGiB), kGiB);            // 1 GiB
  EXPECT_EQ(DefaultReserveBytes(10 * kGiB), 10 * kGiB / 20);  // 5 % of a small disk
  EXPECT_EQ(DefaultReserveBytes(64 * kMiB), 64 * kMiB / 20);
}

struct FakeDisk {
  std::atomic<uint64_t> available{100 * kMiB};
  std::atomic<int> reads{0};
  StatFs statfs() {
    return [this](const std::filesystem::path&) -> Result<DiskSpace> {
      ++reads;
      return DiskSpace{available.load(), 1000 * kMiB};
    };
  }
};

TEST(FreeSpaceMonitor, RefusesBelowTheReserveAndCountsTheIncomingBody) {
  FakeClock clock(TimePoint{});
  FakeDisk disk;
  FreeSpaceMonitor monitor("/data", Reserve{Reserve::Kind::kBytes, 10 * kMiB, 0}, clock,
                           disk.statfs());
  EXPECT_FALSE(monitor.BelowReserve());
  EXPECT_FALSE(monitor.BelowReserve(90 * kMiB));
  EXPECT_TRUE(monitor.BelowReserve(90 * kMiB + 1));
  disk.available = 10 * kMiB - 1;
  monitor.Refresh();
  EXPECT_TRUE(monitor.BelowReserve());
}

TEST(FreeSpaceMonitor, ReadsTheFileSystemAtMostEveryRefreshIntervalUnlessAskedTo) {
  FakeClock clock(TimePoint{});
  FakeDisk disk;
  FreeSpaceMonitor monitor("/data", Reserve{Reserve::Kind::kBytes, 10 * kMiB, 0}, clock,
                           disk.statfs());
  EXPECT_FALSE(monitor.BelowReserve());
  disk.available = 0;
  EXPECT_FALSE(monitor.BelowReserve());  // the cached reading
  EXPECT_EQ(disk.reads, 1);
  clock.Advance(FreeSpaceMonitor::kRefreshInterval);
  EXPECT_TRUE(monitor.BelowReserve());
  EXPECT_EQ(disk.reads, 2);
  disk.available = 50 * kMiB;
  monitor.Refresh();  // after a refusal: freed space is seen at once
  EXPECT_FALSE(monitor.BelowReserve());
  EXPECT_EQ(disk.reads, 3);
}

// Before Admit, a burst of 2 MiB PUTs within one refresh interval all passed on one stale
// reading and ran the disk past the reserve into ENOSPC (seen in e2e test_disk_full).
TEST(FreeSpaceMonitor, BodiesAdmittedWithinOneReadingAreBookedAgainstIt) {
  FakeClock clock(TimePoint{});
  FakeDisk disk;  // 100 MiB available
  FreeSpaceMonitor monitor("/data", Reserve{Reserve::Kind::kBytes, 10 * kMiB, 0}, clock,
                           disk.statfs());
  for (int i = 0; i < 45; ++i) EXPECT_TRUE(monitor.Admit(2 * kMiB)) << i;
  EXPECT_FALSE(monitor.Admit(2 * kMiB));  // 90 MiB booked: the next would cut into the reserve
  EXPECT_TRUE(monitor.BelowReserve(1));
  EXPECT_EQ(disk.reads, 1);
  disk.available = 50 * kMiB;  // what the writes really took, seen at the next reading
  monitor.Refresh();
  EXPECT_TRUE(monitor.Admit(2 * kMiB));
}

TEST(FreeSpaceMonitor, AFailedStatvfsRefusesNothing) {
  FakeClock clock(TimePoint{});
  FreeSpaceMonitor monitor(
      "/data", Reserve{Reserve::Kind::kBytes, 10 * kMiB, 0}, clock,
      [](const std::filesystem::path&) -> Result<DiskSpace> { return ErrorCode::kInternalError; });
  EXPECT_FALSE(monitor.BelowReserve(kGiB));
}

TEST(FreeSpaceMonitor, CallsOnRoomOnlyWhenTheReservePlusTheMarginIsFree) {
  FakeClock clock(TimePoint{});
  FakeDisk disk;
  disk.available = 15 * kMiB;
  FreeSpaceMonitor monitor("/data", Reserve{Reserve::Kind::kBytes, 10 * kMiB, 0}, clock,
                           disk.statfs());
  int calls = 0;
  monitor.OnRoom(8 * kMiB, [&calls] { ++calls; });
  monitor.Refresh();
  EXPECT_EQ(calls, 0);
  disk.available = 18 * kMiB;
  monitor.Refresh();
  EXPECT_EQ(calls, 1);
}

TEST(FreeSpaceMonitor, ReadsARealFileSystem) {
  testing::TempDir dir;
  auto space = StatVfs(dir.path());
  ASSERT_TRUE(space) << space.error().message;
  EXPECT_GT(space->total, 0u);
  EXPECT_LE(space->available, space->total);
}

TEST(Ballast, IsMadeWithAllocatedBlocksPrivateAndReleasedOnce) {
  testing::TempDir dir;
  Ballast ballast(dir.path() / "reserve", kMiB);
  ASSERT_TRUE(ballast.Make());
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() / "reserve").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_GE(static_cast<uint64_t>(info.st_blocks) * 512, kMiB);  // not sparse
  EXPECT_TRUE(ballast.present());
  ASSERT_TRUE(ballast.Make());  // already whole: kept
  EXPECT_TRUE(ballast.Release());
  EXPECT_FALSE(ballast.present());
  EXPECT_FALSE(ballast.Release());  // nothing more to give back
  ASSERT_TRUE(ballast.Make());
  EXPECT_TRUE(ballast.present());
}

}  // namespace
}  // namespace kura::store::space
