// The group committer on a full disk: SQLite's max_page_count stands in for the file system's
// size (SQLITE_FULL either way), and raising it for releasing the ballast.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "store/sqlite/group_commit.h"
#include "store_test_util.h"

namespace kura::store::sqlite {
namespace {

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<Db> db;
  Db* raw = nullptr;
  Fixture() {
    auto opened = Db::Open(dir.path() / "t.db");
    EXPECT_TRUE(opened) << opened.error().message;
    db = std::move(opened).value();
    raw = db.get();
    EXPECT_TRUE(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB)"));
    // A few pages more than the schema: a 64 KiB row does not fit.
    EXPECT_TRUE(db->Exec("PRAGMA max_page_count=4"));
  }
};

GroupCommitter::Apply Insert(int id, int bytes) {
  return [id, bytes](Db& db) -> Result<void> {
    auto stmt = db.Prepare("INSERT INTO t(id, data) VALUES(?1, zeroblob(?2))");
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, int64_t{id}).Bind(2, int64_t{bytes});
    return (*stmt)->Run();
  };
}

// Submits the writes as one batch (the committer is blocked in the first one's Apply until
// all are queued) and returns their results.
std::vector<Result<void>> RunBatch(GroupCommitter& committer,
                                   std::vector<GroupCommitter::Apply> applies) {
  std::vector<std::promise<Result<void>>> promises(applies.size());
  std::promise<void> queued;
  std::shared_future<void> all_queued = queued.get_future().share();
  auto gate = [all_queued](Db&) -> Result<void> {
    all_queued.wait();
    return Ok();
  };
  std::promise<Result<void>> gate_done;
  committer.Submit(gate, [&gate_done](Result<void> r) { gate_done.set_value(std::move(r)); });
  for (size_t i = 0; i < applies.size(); ++i) {
    committer.Submit(applies[i], [&promises, i](Result<void> r) { promises[i].set_value(std::move(r)); });
  }
  queued.set_value();
  (void)gate_done.get_future().get();
  std::vector<Result<void>> results;
  for (auto& promise : promises) results.push_back(promise.get_future().get());
  return results;
}

int64_t Count(Db& db) {
  auto stmt = db.Prepare("SELECT count(*) FROM t");
  EXPECT_TRUE(stmt);
  EXPECT_TRUE((*stmt)->Step());
  return (*stmt)->Int(0);
}

TEST(GroupCommitFull, AWriteThatFindsNoRoomIsInsufficientStorageWithoutAReleaseHook) {
  Fixture f;
  auto check = Db::Open(f.dir.path() / "t.db");
  ASSERT_TRUE(check);
  {
    GroupCommitter committer(std::move(f.db), {});
    auto results = RunBatch(committer, {Insert(1, 10), Insert(2, 64 << 10)});
    EXPECT_TRUE(results[0]);
    ASSERT_FALSE(results[1]);
    EXPECT_EQ(results[1].error().code, ErrorCode::kInsufficientStorage);
  }
  EXPECT_EQ(Count(**check), 1);
}

TEST(GroupCommitFull, ReleasingSpaceRetriesTheWholeBatchOnceAndAppliesEachWriteOnce) {
  Fixture f;
  auto check = Db::Open(f.dir.path() / "t.db");
  ASSERT_TRUE(check);
  int releases = 0;
  Db* raw = f.raw;
  {
    GroupCommitter committer(std::move(f.db), {}, [&releases, raw] {
      ++releases;
      return static_cast<bool>(raw->Exec("PRAGMA max_page_count=100000"));
    });
    auto results = RunBatch(committer, {Insert(1, 10), Insert(2, 64 << 10), Insert(3, 10)});
    for (auto& result : results) EXPECT_TRUE(result) << result.error().message;
  }
  EXPECT_EQ(releases, 1);
  EXPECT_EQ(Count(**check), 3);  // the first write was not committed twice (it would collide)
}

TEST(GroupCommitFull, WhenNothingCanBeReleasedTheWritesThatFitStillCommit) {
  Fixture f;
  auto check = Db::Open(f.dir.path() / "t.db");
  ASSERT_TRUE(check);
  int releases = 0;
  {
    GroupCommitter committer(std::move(f.db), {}, [&releases] {
      ++releases;
      return false;
    });
    auto results = RunBatch(committer, {Insert(1, 10), Insert(2, 64 << 10), Insert(3, 10)});
    EXPECT_TRUE(results[0]);
    ASSERT_FALSE(results[1]);
    EXPECT_EQ(results[1].error().code, ErrorCode::kInsufficientStorage);
    EXPECT_TRUE(results[2]);
  }
  EXPECT_EQ(releases, 1);
  EXPECT_EQ(Count(**check), 2);
}

}  // namespace
}  // namespace kura::store::sqlite
