// Crash tests for the SQLite + filesystem store: a forked child writes and dies (_exit inside
// the writer before or after the commit, or SIGKILL in the middle of a stream of writes); the
// parent reopens the data dir and checks that every acknowledged object is there and intact,
// that nothing unacknowledged is half-visible, and that the orphans were swept.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <thread>
#include <utility>

#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

using sqlite::CommitPhase;
using testing::Bucket;
using testing::Object;

// Runs `body` in a child process, which ends with _exit(0) unless body exits first.
pid_t Fork(const std::function<void()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  return pid;
}

int WaitExitCode(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Reads the child's acknowledgements (one int each) from `acks` until it dies, sending it SIGKILL
// once `kill_at` was acknowledged; returns the last acknowledged number and the child's status.
std::pair<int, int> KillAfterAck(int acks, pid_t pid, int kill_at) {
  int last = 0;
  while (read(acks, &last, sizeof(last)) == sizeof(last)) {
    if (last == kill_at) kill(pid, SIGKILL);
  }
  close(acks);
  return {last, WaitExitCode(pid)};
}

size_t CountBlobFiles(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "blobs")) {
    if (entry.is_regular_file()) ++n;
  }
  return n;
}

// The child: creates bucket "b", then puts a 200 KB object "k" with the writer dying at `die_at`.
void PutAndDie(const std::filesystem::path& dir, CommitPhase die_at) {
  std::atomic<bool> armed{false};
  sqlite::SqliteOptions options;
  options.commit_hook = [&](CommitPhase phase) {
    if (armed && phase == die_at) _exit(42);
  };
  auto store = OpenDataDir(dir, options);
  if (!store || !testing::CreateBucketSync(*store->metadata, Bucket("b"))) _exit(1);
  auto ref = testing::WriteBlob(*store->blobs, testing::Pattern(200000));
  if (!ref) _exit(2);
  ObjectRecord o = Object("b", "k");
  o.blob = *ref;
  o.size = ref->size;
  armed = true;
  (void)testing::PutSync(*store->metadata, o);
  _exit(3);  // not reached: the writer thread exits the process
}

TEST(CrashSafety, AWriterDyingBeforeCommitLeavesNoObjectAndAnOrphanThatIsSwept) {
  testing::TempDir dir;
  ASSERT_EQ(WaitExitCode(Fork([&] { PutAndDie(dir.path(), CommitPhase::kBeforeCommit); })), 42);
  EXPECT_EQ(CountBlobFiles(dir.path()), 1u);  // sealed, never committed
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->metadata->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(testing::SweptOrphans(*store), 1);
  EXPECT_EQ(CountBlobFiles(dir.path()), 0u);
}

TEST(CrashSafety, AWriterDyingRightAfterCommitKeepsTheWholeObject) {
  testing::TempDir dir;
  ASSERT_EQ(WaitExitCode(Fork([&] { PutAndDie(dir.path(), CommitPhase::kAfterCommit); })), 42);
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(testing::SweptOrphans(*store), 0);
  auto object = store->metadata->GetObject("b", "k");
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(*testing::ReadBlob(*store->blobs, object->blob), testing::Pattern(200000));
}

TEST(CrashSafety, AKilledProcessLeavesATempFileThatIsSwept) {
  testing::TempDir dir;
  pid_t pid = Fork([&] {
    auto store = OpenDataDir(dir.path());
    if (!store) _exit(1);
    auto writer = store->blobs->NewWriter();
    if (!writer->Append(testing::Pattern(500000))) _exit(2);
    _exit(0);  // abandoned mid-upload, no destructor runs
  });
  ASSERT_EQ(WaitExitCode(pid), 0);
  EXPECT_FALSE(std::filesystem::is_empty(dir.path() / "tmp"));
  OpenStats stats;
  ASSERT_TRUE(OpenDataDir(dir.path(), {}, &stats));
  EXPECT_EQ(stats.temp_files_removed, 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "tmp"));
}

// Object `key` at `version`: small versions inline, every third one a 100 KB file.
std::string Content(int key, int version) {
  size_t size = version % 3 == 0 ? 100000 : 100 + version % 50;
  return testing::Pattern(size, static_cast<char>('a' + (key + version) % 20));
}

TEST(CrashSafety, SigkillDuringOverwritesLosesNoAcknowledgedWrite) {
  testing::TempDir dir;
  constexpr int kKeys = 20;
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  pid_t pid = Fork([&] {
    close(acks[0]);
    auto store = OpenDataDir(dir.path());
    if (!store || !testing::CreateBucketSync(*store->metadata, Bucket("b"))) _exit(1);
    for (int version = 1;; ++version) {
      int key = version % kKeys;
      auto ref = testing::WriteBlob(*store->blobs, Content(key, version));
      if (!ref) _exit(2);
      ObjectRecord o = Object("b", "key" + std::to_string(key));
      o.etag = std::to_string(version);
      o.blob = *ref;
      o.size = ref->size;
      auto replaced = testing::PutSync(*store->metadata, o);
      if (!replaced) _exit(3);
      if (write(acks[1], &version, sizeof(version)) != sizeof(version)) _exit(4);
      if (*replaced) store->blobs->Delete(**replaced);
    }
  });
  close(acks[1]);
  std::map<int, int> acked;  // key -> last acknowledged version
  int version = 0;
  while (read(acks[0], &version, sizeof(version)) == sizeof(version)) {
    acked[version % kKeys] = version;
    if (version == 300) kill(pid, SIGKILL);
  }
  close(acks[0]);
  ASSERT_EQ(WaitExitCode(pid), 128 + SIGKILL);
  ASSERT_GE(version, 300);

  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_GE(testing::SweptOrphans(*store), 0);
  size_t file_objects = 0;
  for (const auto& [key, last_acked] : acked) {
    auto object = store->metadata->GetObject("b", "key" + std::to_string(key));
    ASSERT_TRUE(object) << key;
    int stored = std::stoi(object->etag);
    EXPECT_GE(stored, last_acked) << key;  // a later, unacknowledged write may also have landed
    EXPECT_EQ(*testing::ReadBlob(*store->blobs, object->blob), Content(key, stored)) << key;
    if (object->blob.kind == BlobRef::Kind::kFile) ++file_objects;
  }
  EXPECT_EQ(CountBlobFiles(dir.path()), file_objects);  // every orphan swept
}

// The same for versioned writes: a stream of new versions and delete markers on a bucket with
// versioning Enabled, killed mid-stream. Every acknowledged version and marker is there after
// the reopen, and the sweep takes no noncurrent version's blob.
TEST(CrashSafety, SigkillDuringVersionedWritesLosesNoAcknowledgedVersion) {
  testing::TempDir dir;
  constexpr int kKeys = 5;
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  auto is_marker = [](int n) { return n % 4 == 0; };
  pid_t pid = Fork([&] {
    close(acks[0]);
    auto store = OpenDataDir(dir.path());
    if (!store || !testing::CreateBucketSync(*store->metadata, Bucket("b")) ||
        !testing::SetVersioningSync(*store->metadata, "b", VersioningState::kEnabled)) {
      _exit(1);
    }
    for (int n = 1;; ++n) {
      std::string key = "key" + std::to_string(n % kKeys);
      std::string id = "v" + std::to_string(n);
      if (is_marker(n)) {
        auto marker = testing::DeleteVersionSync(
            *store->metadata, {.bucket = "b", .key = key, .marker_version_id = id});
        if (!marker) _exit(3);
      } else {
        auto ref = testing::WriteBlob(*store->blobs, Content(n % kKeys, n));
        if (!ref) _exit(2);
        ObjectRecord o = testing::Version("b", key, id);
        o.blob = *ref;
        o.size = ref->size;
        auto put = testing::PutVersionSync(*store->metadata, o);
        if (!put || !put->unreferenced.empty()) _exit(4);
      }
      if (write(acks[1], &n, sizeof(n)) != sizeof(n)) _exit(5);
    }
  });
  close(acks[1]);
  auto [last, status] = KillAfterAck(acks[0], pid, 200);
  ASSERT_EQ(status, 128 + SIGKILL);
  ASSERT_GE(last, 200);

  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_GE(testing::SweptOrphans(*store), 0);
  size_t file_versions = 0;
  for (int n = 1; n <= last; ++n) {
    std::string key = "key" + std::to_string(n % kKeys);
    auto version = store->metadata->GetObject("b", key, "v" + std::to_string(n));
    ASSERT_TRUE(version) << n;
    ASSERT_EQ(version->is_delete_marker, is_marker(n)) << n;
    if (is_marker(n)) continue;
    EXPECT_EQ(*testing::ReadBlob(*store->blobs, version->blob), Content(n % kKeys, n)) << n;
    if (version->blob.kind == BlobRef::Kind::kFile) ++file_versions;
  }
  // At most one unacknowledged write may have landed too; its blob stays referenced.
  EXPECT_GE(CountBlobFiles(dir.path()), file_versions);
  EXPECT_LE(CountBlobFiles(dir.path()), file_versions + 1);
}

// Permanent version deletes (some of them of the current version, which promotes the previous
// one) and Object Lock changes (legal hold and retention set on a version), killed mid-stream:
// after the reopen every acknowledged delete is gone, every acknowledged lock change holds,
// nothing after the kill but the one write in flight changed, and each key's current version is
// its newest remaining one.
TEST(CrashSafety, SigkillDuringVersionDeletesAndLockChangesLosesNoAcknowledgedChange) {
  testing::TempDir dir;
  constexpr int kKeys = 5;
  constexpr int kVersions = 600;
  auto key_of = [](int n) { return "key" + std::to_string(n % kKeys); };
  auto id_of = [](int n) { return "v" + std::to_string(n); };
  const TimePoint far_future = std::chrono::system_clock::now() + std::chrono::hours(24 * 365);
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  pid_t pid = Fork([&] {
    close(acks[0]);
    auto store = OpenDataDir(dir.path());
    BucketRecord bucket = Bucket("b");
    bucket.versioning = VersioningState::kEnabled;
    bucket.object_lock_enabled = true;
    if (!store || !testing::CreateBucketSync(*store->metadata, bucket)) _exit(1);
    for (int n = 1; n <= kVersions; ++n) {
      if (!testing::PutVersionSync(*store->metadata, testing::Version("b", key_of(n), id_of(n)))) _exit(2);
    }
    LockContext lock{.now = std::chrono::system_clock::now()};
    for (int n = 1; n <= kVersions; ++n) {  // odd: delete the version; even: lock it
      if (n % 2 == 1) {
        if (!testing::DeleteVersionSync(*store->metadata,
                                        {.bucket = "b", .key = key_of(n), .version_id = id_of(n), .lock = lock})) {
          _exit(3);
        }
      } else {
        auto locked = testing::UpdateVersionSync(*store->metadata, "b", key_of(n), id_of(n), lock,
                                                 [&](ObjectRecord& o) -> Result<void> {
                                                   o.legal_hold = true;
                                                   o.retention_mode = RetentionMode::kGovernance;
                                                   o.retain_until = far_future;
                                                   return Ok();
                                                 });
        if (!locked) _exit(4);
      }
      if (write(acks[1], &n, sizeof(n)) != sizeof(n)) _exit(5);
    }
    _exit(6);  // the parent kills the child before the end
  });
  close(acks[1]);
  auto [last, status] = KillAfterAck(acks[0], pid, 200);
  ASSERT_EQ(status, 128 + SIGKILL);
  ASSERT_GE(last, 200);
  ASSERT_LT(last, kVersions);

  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  std::map<std::string, int> newest;  // key → its newest remaining version
  for (int n = 1; n <= kVersions; ++n) {
    auto version = store->metadata->GetObject("b", key_of(n), id_of(n));
    bool acknowledged = n <= last, in_flight = n == last + 1;
    if (n % 2 == 1) {
      if (acknowledged) {
        ASSERT_FALSE(version) << n;
        EXPECT_EQ(version.error().code, ErrorCode::kNoSuchVersion) << n;
      } else if (!in_flight) {
        ASSERT_TRUE(version) << n;
      }
    } else {
      ASSERT_TRUE(version) << n;
      if (acknowledged) {
        EXPECT_TRUE(version->legal_hold) << n;
        EXPECT_EQ(version->retention_mode, RetentionMode::kGovernance) << n;
      } else if (!in_flight) {
        EXPECT_FALSE(version->legal_hold) << n;
      }
    }
    if (version) newest[key_of(n)] = n;
  }
  for (const auto& [key, n] : newest) {
    auto current = store->metadata->GetObject("b", key);
    ASSERT_TRUE(current) << key;
    EXPECT_EQ(current->version_id, id_of(n)) << key;
  }
}

}  // namespace
}  // namespace kura::store
