// The scrubber over a fake metadata scan and blob files in a temporary directory: what it
// verifies, each kind of problem it reports (and how), orphans, and resuming from its cursor.
#include "scrub/scrubber.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <fstream>

#include "../store/store_test_util.h"
#include "fake_version_scan.h"
#include "store/fs/block_checksums.h"

namespace kura::scrub {
namespace {

using store::BlobRef;
using store::ScannedPart;
using store::ScannedVersion;
namespace fs = std::filesystem;

constexpr TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

class ScrubberTest : public ::testing::Test {
 protected:
  fs::path blobs() const { return dir_.path() / "blobs"; }
  fs::path PathOf(const std::string& id) const {
    return blobs() / id.substr(0, 2) / id.substr(2, 2) / id;
  }

  // Writes a blob file of `data`, with its checksum footer unless `legacy`; returns its id.
  std::string WriteBlob(const std::string& data, bool legacy = false) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", static_cast<unsigned>(++next_id_));
    fs::create_directories(PathOf(id).parent_path());
    store::BlockCrcAccumulator crcs;
    crcs.Update(data);
    std::ofstream(PathOf(id), std::ios::binary) << data << (legacy ? "" : crcs.Footer());
    SetAge(id, std::chrono::hours(2));  // blobs of committed objects are old enough
    return id;
  }
  void SetAge(const std::string& id, std::chrono::seconds age) {
    struct utimbuf times {};
    times.actime = times.modtime = static_cast<time_t>(UnixSeconds(kNow - age));
    ASSERT_EQ(::utime(PathOf(id).c_str(), &times), 0);
  }
  void FlipByte(const std::string& id, uint64_t offset) {
    std::fstream f(PathOf(id), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x20);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(&c, 1);
  }

  ScannedVersion& AddFile(std::string key, const std::string& data, int64_t order = 0) {
    ScannedVersion v;
    v.at = {"b", std::move(key), order};
    v.version_id = "v" + std::to_string(order);
    v.blob = {.kind = BlobRef::Kind::kFile, .id = WriteBlob(data), .size = data.size()};
    scan_.versions.push_back(v);
    return scan_.versions.back();
  }
  ScannedVersion& AddInline(std::string key, const std::string& data, bool with_crc = true) {
    ScannedVersion v;
    v.at = {"b", std::move(key), 0};
    v.version_id = "null";
    v.blob = {.kind = BlobRef::Kind::kInline, .size = data.size(), .inline_data = data};
    if (with_crc) v.inline_crc32c = store::Crc32c(0, data);
    scan_.versions.push_back(v);
    return scan_.versions.back();
  }

  Result<Summary> Run(bool restart = false, ScrubHooks hooks = {}) {
    Scrubber scrubber(
        scan_, state_, clock_,
        [this](std::chrono::nanoseconds d) {
          clock_.Advance(d);
          return true;
        },
        {.blobs_dir = blobs()}, std::move(hooks));
    return scrubber.Run(restart);
  }

  store::testing::TempDir dir_;
  testing::FakeVersionScan scan_;
  StateFiles state_{dir_.path() / "scrub"};
  FakeClock clock_{kNow};
  int next_id_ = 0;
};

TEST_F(ScrubberTest, VerifiesEveryBlockOfEveryKindOfBlob) {
  AddFile("big", std::string(300 * 1024, 'x'));
  AddInline("small", "hello");
  ScannedVersion multipart;
  multipart.at = {"b", "multi", 0};
  multipart.blob.kind = BlobRef::Kind::kParts;
  for (int i = 0; i < 2; ++i) {
    std::string part(70 * 1024, static_cast<char>('a' + i));
    multipart.blob.parts.push_back({WriteBlob(part), part.size()});
    multipart.blob.size += part.size();
  }
  scan_.versions.push_back(multipart);
  ScannedVersion marker;
  marker.at = {"b", "small", 5};
  marker.is_delete_marker = true;
  scan_.versions.push_back(marker);
  std::string part = std::string(1000, 'p');
  scan_.parts.push_back(ScannedPart{{"upload-1", 1}, "b", "up", part.size(), WriteBlob(part)});

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_TRUE(summary->complete);
  EXPECT_TRUE(summary->clean());
  EXPECT_EQ(summary->objects, 5u);
  EXPECT_EQ(summary->verified, 4u);
  EXPECT_EQ(summary->delete_markers, 1u);
  EXPECT_EQ(summary->legacy_unverified, 0u);
  EXPECT_EQ(summary->bytes, 300u * 1024 + 5 + 140 * 1024 + 1000);
}

TEST_F(ScrubberTest, ReportsACorruptBlockNamingTheVersionAndBlob) {
  std::string id = AddFile("rotten", std::string(200 * 1024, 'x'), 7).blob.id;
  AddFile("fine", "good bytes");
  FlipByte(id, 130 * 1024);  // block 2

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->corrupt.size(), 1u);
  const Problem& p = summary->corrupt[0];
  EXPECT_EQ(p.bucket, "b");
  EXPECT_EQ(p.key, "rotten");
  EXPECT_EQ(p.version_id, "v7");
  EXPECT_EQ(p.blob_id, id);
  EXPECT_NE(p.reason.find('2'), std::string::npos) << p.reason;  // names the block
  EXPECT_EQ(summary->verified, 1u);
  EXPECT_FALSE(summary->clean());
}

TEST_F(ScrubberTest, ReportsAMissingBlobAndATruncatedOne) {
  std::string gone = AddFile("gone", "some bytes").blob.id;
  std::string cut = AddFile("cut", std::string(100 * 1024, 'c')).blob.id;
  fs::remove(PathOf(gone));
  fs::resize_file(PathOf(cut), 50 * 1024);

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->missing.size(), 1u);
  EXPECT_EQ(summary->missing[0].key, "gone");
  EXPECT_EQ(summary->missing[0].blob_id, gone);
  ASSERT_EQ(summary->size_mismatch.size(), 1u);
  EXPECT_EQ(summary->size_mismatch[0].key, "cut");
  EXPECT_TRUE(summary->corrupt.empty());
}

TEST_F(ScrubberTest, CountsALegacyBlobAsUnverifiedNotAsAProblem) {
  ScannedVersion& v = AddFile("old", "legacy bytes");
  std::string data = "legacy bytes";
  std::ofstream(PathOf(v.blob.id), std::ios::binary | std::ios::trunc) << data;
  AddInline("old-inline", "abc", /*with_crc=*/false);

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_TRUE(summary->clean());
  EXPECT_EQ(summary->legacy_unverified, 2u);
  EXPECT_EQ(summary->verified, 0u);
}

TEST_F(ScrubberTest, ReportsAnInlineBodyThatFailsItsCrc) {
  ScannedVersion& v = AddInline("flipped", "inline body");
  v.blob.inline_data[3] ^= 1;

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->corrupt.size(), 1u);
  EXPECT_EQ(summary->corrupt[0].key, "flipped");
  EXPECT_EQ(summary->corrupt[0].version_id, "null");
  EXPECT_EQ(summary->corrupt[0].blob_id, "");
}

TEST_F(ScrubberTest, ReportsACorruptPartOfAnUploadInProgress) {
  std::string id = WriteBlob(std::string(5000, 'q'));
  scan_.parts.push_back(ScannedPart{{"upload-9", 3}, "b", "big", 5000, id});
  FlipByte(id, 10);

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->corrupt.size(), 1u);
  EXPECT_EQ(summary->corrupt[0].upload_id, "upload-9");
  EXPECT_EQ(summary->corrupt[0].part_number, 3);
  EXPECT_EQ(summary->corrupt[0].blob_id, id);
}

TEST_F(ScrubberTest, ListsOldOrphansButNotBlobsJustWritten) {
  AddFile("kept", "referenced");
  std::string old_orphan = WriteBlob("nobody's");
  std::string fresh = WriteBlob("in flight");
  SetAge(fresh, std::chrono::minutes(5));

  auto summary = Run();
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->orphans.size(), 1u);
  EXPECT_EQ(summary->orphans[0].blob_id, old_orphan);
  EXPECT_GE(summary->orphans[0].age_seconds, 7200);
  EXPECT_TRUE(fs::exists(PathOf(old_orphan)));  // reported, never deleted
}

// A scan whose page still shows a version that FindVersion no longer finds: the server deleted
// it (and its blob) after the page was read.
class VanishingScan final : public testing::FakeVersionScan {
 public:
  Result<std::optional<ScannedVersion>> FindVersion(const store::VersionPosition&) override {
    return std::optional<ScannedVersion>();
  }
};

TEST_F(ScrubberTest, IgnoresAProblemOfAVersionDeletedMeanwhile) {
  VanishingScan vanishing;
  ScannedVersion ghost;
  ghost.at = {"b", "deleted", 0};
  ghost.blob = {.kind = BlobRef::Kind::kFile, .id = std::string(32, 'e'), .size = 5};
  vanishing.versions.push_back(ghost);
  Scrubber scrubber(vanishing, state_, clock_, [](auto) { return true; }, {.blobs_dir = blobs()});
  auto summary = scrubber.Run(false);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_TRUE(summary->clean());
  EXPECT_EQ(summary->objects, 1u);
}

TEST_F(ScrubberTest, ResumesFromItsCursorWithoutRedoingWhatItWalked) {
  for (int i = 0; i < 10; ++i) AddFile("k" + std::to_string(i), "bytes " + std::to_string(i));
  std::string bad = scan_.versions[7].blob.id;
  FlipByte(bad, 0);
  std::string early = scan_.versions[1].blob.id;
  FlipByte(early, 0);
  std::atomic<bool> stop{false};
  ScrubHooks hooks{.progress =
                       [&](const Progress& p) {
                         if (p.objects == 4) stop = true;
                       },
                   .stop = &stop};

  auto first = Run(false, std::move(hooks));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->complete);
  EXPECT_EQ(first->objects, 4u);
  EXPECT_EQ(first->corrupt_count, 1u);
  auto cursor = state_.LoadCursor();
  ASSERT_TRUE(cursor && *cursor);
  EXPECT_EQ((*cursor)->version.key, "k3");

  auto second = Run();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->complete);
  EXPECT_EQ(second->objects, 10u);
  EXPECT_EQ(second->objects_this_run, 6u);
  ASSERT_EQ(second->corrupt_count, 2u);  // the first run's finding is kept
  EXPECT_EQ(second->corrupt[0].blob_id, early);
  EXPECT_EQ(second->corrupt[1].blob_id, bad);
  // A finished pass clears the cursor and becomes the last pass.
  auto after = state_.LoadCursor();
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after);
  auto last = state_.LoadLastPass();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(**last, *second);
}

TEST_F(ScrubberTest, RestartIgnoresASavedCursor) {
  for (int i = 0; i < 3; ++i) AddFile("k" + std::to_string(i), "x");
  Cursor saved;
  saved.version = scan_.versions[1].at;
  saved.so_far.objects = 2;
  ASSERT_TRUE(state_.SaveCursor(saved));

  auto summary = Run(/*restart=*/true);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->objects, 3u);
  EXPECT_EQ(summary->objects_this_run, 3u);
}

TEST_F(ScrubberTest, KeepsToItsByteRate) {
  AddFile("a", std::string(4 << 20, 'a'));
  Scrubber scrubber(scan_, state_, clock_,
                    [this](std::chrono::nanoseconds d) {
                      clock_.Advance(d);
                      return true;
                    },
                    {.blobs_dir = blobs(), .bytes_per_second = 1 << 20});
  auto summary = scrubber.Run(false);
  ASSERT_TRUE(summary);
  // 4 MiB at 1 MiB/s: at least 3 s (one second of budget may be spent at once).
  EXPECT_GE(clock_.Now() - kNow, std::chrono::seconds(3));
  EXPECT_LE(clock_.Now() - kNow, std::chrono::seconds(5));
}

}  // namespace
}  // namespace kura::scrub
