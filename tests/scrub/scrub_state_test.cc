// The scrub's state files and summary format: JSON round trips, atomic 0600 files, the lock.
#include "scrub/scrub_state.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "../store/store_test_util.h"

namespace kura::scrub {
namespace {

Summary SampleSummary() {
  Summary s;
  s.objects = 12;
  s.bytes = 1 << 20;
  s.verified = 9;
  s.legacy_unverified = 1;
  s.delete_markers = 1;
  s.objects_this_run = 5;
  s.duration_seconds = 2.5;
  s.started = 1'800'000'000;
  s.Add(Problem{.kind = ProblemKind::kCorrupt,
                .bucket = "b",
                .key = "k\n\"odd\"",
                .version_id = "v1",
                .blob_id = "ab",
                .reason = "block 3"});
  s.Add(Problem{.kind = ProblemKind::kMissing,
                .bucket = "b",
                .key = "u",
                .upload_id = "up",
                .part_number = 2,
                .blob_id = "cd",
                .reason = "gone"});
  s.Add(Problem{.kind = ProblemKind::kSizeMismatch,
                .bucket = "b",
                .key = "s",
                .version_id = "null",
                .reason = "short"});
  s.Add(Orphan{"ef", 10, 4000});
  return s;
}

TEST(ScrubSummary, RoundTripsThroughJson) {
  Summary s = SampleSummary();
  auto back = SummaryFromJson(ToJson(s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
  EXPECT_FALSE(SummaryFromJson("{\"objects\": 1}"));
  EXPECT_FALSE(SummaryFromJson("not json"));
}

TEST(ScrubSummary, ListsAtMostKMaxListedOfEachKindButCountsAll) {
  Summary s;
  for (size_t i = 0; i < kMaxListed + 5; ++i) s.Add(Problem{.kind = ProblemKind::kMissing});
  EXPECT_EQ(s.missing.size(), kMaxListed);
  EXPECT_EQ(s.missing_count, kMaxListed + 5);
}

TEST(ScrubState, SavesLoadsAndClearsTheCursorInAnOwnerOnlyFile) {
  store::testing::TempDir dir;
  StateFiles state(dir.path() / "scrub");
  auto none = state.LoadCursor();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  Cursor c{.phase = Phase::kParts,
           .version = {"bucket", "key/\xe2\x9c\x93", 42},
           .part = {"upload", 7},
           .so_far = SampleSummary()};
  ASSERT_TRUE(state.SaveCursor(c));
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "scrub" / "cursor").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "scrub" / "cursor.tmp"));
  auto loaded = state.LoadCursor();
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(**loaded, c);
  ASSERT_TRUE(state.ClearCursor());
  loaded = state.LoadCursor();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(*loaded);
}

TEST(ScrubState, ADamagedCursorReadsAsNoneSoThePassStartsOver) {
  store::testing::TempDir dir;
  StateFiles state(dir.path() / "scrub");
  std::filesystem::create_directories(state.dir());
  std::ofstream(state.dir() / "cursor") << "{\"phase\": 9";
  auto loaded = state.LoadCursor();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(*loaded);
}

TEST(ScrubState, OneScrubAtATime) {
  store::testing::TempDir dir;
  StateFiles state(dir.path() / "scrub");
  {
    auto first = state.Lock();
    ASSERT_TRUE(first) << first.error().message;
    auto second = state.Lock();
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("already running"), std::string::npos);
  }
  EXPECT_TRUE(state.Lock());  // released with the first
}

}  // namespace
}  // namespace kura::scrub
