// Behaviour specific to the SQLite + filesystem store: durability ordering, group commit,
// savepoint isolation inside a batch, the on-disk layout, and schema migrations.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/fs/block_checksums.h"
#include "store/fs/fs_blob_store.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

using sqlite::CommitPhase;
using testing::Bucket;
using testing::CreateBucketSync;
using testing::DeleteSync;
using testing::Object;
using testing::PutSync;

TEST(SqliteStore, RunsTheCallbackOnlyAfterTheCommitAndTheWriteIsVisibleThen) {
  testing::TempDir dir;
  std::atomic<int> commits{0};
  sqlite::SqliteOptions options;
  options.commit_hook = [&](CommitPhase phase) {
    if (phase == CommitPhase::kAfterCommit) ++commits;
  };
  auto store = OpenDataDir(dir.path(), options);
  ASSERT_TRUE(store) << store.error().message;
  MetadataStore& meta = *store->metadata;
  ASSERT_TRUE(testing::CreateBucketSync(meta, Bucket("b")));
  int commits_seen_in_callback = -1;
  bool visible_in_callback = false;
  auto done = WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
    int before = commits.load();
    meta.PutObject(Object("b", "k"), {}, [&, before, cb](auto result) {
      commits_seen_in_callback = commits.load() - before;
      visible_in_callback = meta.GetObject("b", "k").has_value();  // another connection
      cb(std::move(result));
    });
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(commits_seen_in_callback, 1);
  EXPECT_TRUE(visible_in_callback);
}

// Holds the writer inside its first batch until released, so that later requests pile up and
// must be committed together in the next batch.
class WriterGate {
 public:
  void OnPhase(CommitPhase phase) {
    std::unique_lock lock(mu_);
    if (phase == CommitPhase::kAfterCommit) ++commits_;
    if (phase != CommitPhase::kBeforeCommit) return;
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void WaitUntilHeld() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int commits() {
    std::lock_guard lock(mu_);
    return commits_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  bool entered_ = false;
  int commits_ = 0;
};

TEST(SqliteStore, CommitsConcurrentWritesTogetherAndIsolatesAFailingOne) {
  testing::TempDir dir;
  WriterGate gate;
  sqlite::SqliteOptions options;
  options.commit_hook = [&](CommitPhase phase) { gate.OnPhase(phase); };
  std::mutex observed_mu;
  std::vector<size_t> observed_batches;  // what the metrics are told (SqliteOptions::on_commit)
  options.on_commit = [&](std::chrono::nanoseconds took, size_t writes) {
    EXPECT_GT(took.count(), 0);
    std::lock_guard lock(observed_mu);
    observed_batches.push_back(writes);
  };
  auto store = OpenDataDir(dir.path(), options);
  ASSERT_TRUE(store);
  MetadataStore& meta = *store->metadata;
  std::vector<std::future<Result<std::optional<BlobRef>>>> results;
  auto put = [&](ObjectRecord o, WritePrecondition p) {
    auto promise = std::make_shared<std::promise<Result<std::optional<BlobRef>>>>();
    results.push_back(promise->get_future());
    meta.PutObject(std::move(o), p, [promise](auto r) { promise->set_value(std::move(r)); });
  };
  auto created = std::make_shared<std::promise<Result<void>>>();
  meta.CreateBucket(Bucket("b"), [created](Result<void> r) { created->set_value(r); });
  gate.WaitUntilHeld();
  // The writer is now held in the bucket's batch; these 50 queue up behind it.
  for (int i = 0; i < 49; ++i) put(Object("b", "k" + std::to_string(i)), {});
  put(Object("b", "k0"), {.if_none_match_any = true});  // fails: k0 is put earlier in the batch
  gate.Open();
  ASSERT_TRUE(created->get_future().get());
  for (int i = 0; i < 49; ++i) EXPECT_TRUE(results[i].get()) << i;
  EXPECT_EQ(results[49].get().error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(gate.commits(), 2);  // the bucket's batch and one batch for all 50 puts
  {
    std::lock_guard lock(observed_mu);
    EXPECT_EQ(observed_batches, (std::vector<size_t>{1, 50}));
  }
  auto listed = meta.ListObjects({.bucket = "b"});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->objects.size(), 49u);
}

TEST(SqliteStore, StoresLargeBlobsUnderRandomIdsNeverTheKey) {
  testing::TempDir dir;
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  auto ref = testing::WriteBlob(*store->blobs, testing::Pattern(300000));
  ASSERT_TRUE(ref);
  ASSERT_EQ(ref->id.size(), 32u);
  auto path = dir.path() / "blobs" / ref->id.substr(0, 2) / ref->id.substr(2, 2) / ref->id;
  // The data, then its checksum footer (block_checksums.h).
  EXPECT_EQ(std::filesystem::file_size(path), 300000u + FooterBytes(300000));
  auto reader = store->blobs->Open(*ref);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->fd(), -1);  // verified reads pass through user space: no sendfile
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "tmp"));
  EXPECT_EQ(std::filesystem::status(dir.path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// The database holds sealed IAM secrets and every bucket and key name: owner-only, whatever the
// umask, and narrowed when an older kura left it 0644.
TEST(SqliteStore, KeepsTheDatabaseAndItsWalAndShmFilesOwnerOnly) {
  testing::TempDir dir;
  mode_t old_umask = ::umask(022);
  {
    auto created = OpenDataDir(dir.path());
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(CreateBucketSync(*created->metadata, Bucket("modes")));
    for (const char* name : {"meta.db", "meta.db-wal", "meta.db-shm"}) {
      EXPECT_EQ(ModeOf(dir.path() / name), 0600u) << name;
    }
  }
  ASSERT_EQ(::chmod((dir.path() / "meta.db").c_str(), 0644), 0);
  auto reopened = OpenDataDir(dir.path());
  ::umask(old_umask);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(ModeOf(dir.path() / "meta.db"), 0600u);
  EXPECT_EQ(ModeOf(dir.path() / "meta.db-wal"), 0600u);
}

TEST(SqliteStore, KeepsTheConfigurationGenerationAcrossARestart) {
  testing::TempDir dir;
  uint64_t before_restart = 0;
  {
    auto store = OpenDataDir(dir.path());
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE(CreateBucketSync(*store->metadata, Bucket("a")));
    ASSERT_TRUE(testing::PutDocumentsSync(*store->metadata, {{"user", "alice", std::string("{}")}}));
    before_restart = *store->metadata->ConfigGeneration();
    EXPECT_GE(before_restart, 2u);
  }
  auto reopened = OpenDataDir(dir.path());
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(*reopened->metadata->ConfigGeneration(), before_restart);
  ASSERT_TRUE(CreateBucketSync(*reopened->metadata, Bucket("b")));
  EXPECT_GT(*reopened->metadata->ConfigGeneration(), before_restart);
}

TEST(SqliteStore, RefusesADataDirAlreadyInUse) {
  testing::TempDir dir;
  auto first = OpenDataDir(dir.path());
  ASSERT_TRUE(first);
  auto second = OpenDataDir(dir.path());
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("in use"), std::string::npos);
}

TEST(SqliteStore, AWriterDestroyedWithoutSealLeavesNothing) {
  testing::TempDir dir;
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  {
    auto writer = store->blobs->NewWriter();
    ASSERT_TRUE(writer->Append(testing::Pattern(1 << 20)));
    EXPECT_FALSE(std::filesystem::is_empty(dir.path() / "tmp"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "tmp"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "blobs"));
}

TEST(SqliteStore, SweepsTempFilesAtOpenAndUnreferencedBlobsAfterwards) {
  testing::TempDir dir;
  BlobRef kept;
  {
    auto store = OpenDataDir(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(testing::CreateBucketSync(*store->metadata, Bucket("b")));
    auto referenced = testing::WriteBlob(*store->blobs, testing::Pattern(100000));
    auto orphan = testing::WriteBlob(*store->blobs, testing::Pattern(100000));
    ASSERT_TRUE(referenced && orphan);
    kept = *referenced;
    ObjectRecord o = Object("b", "k");
    o.blob = kept;
    o.size = kept.size;
    ASSERT_TRUE(PutSync(*store->metadata, o));
    auto abandoned = store->blobs->NewWriter();
    ASSERT_TRUE(abandoned->Append(testing::Pattern(100000)));
    std::filesystem::copy_file(std::filesystem::directory_iterator(dir.path() / "tmp")->path(),
                               dir.path() / "tmp" / "left-by-crash.tmp");
  }
  OpenStats stats;
  auto reopened = OpenDataDir(dir.path(), {}, &stats);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(stats.temp_files_removed, 1);
  EXPECT_EQ(testing::SweptOrphans(*reopened), 1);
  EXPECT_EQ(*testing::ReadBlob(*reopened->blobs, kept), testing::Pattern(100000));
}

TEST(SqliteStore, TheSweepSparesBlobsWrittenSinceOpenWhoseMetadataIsNotCommittedYet) {
  testing::TempDir dir;
  {
    auto store = OpenDataDir(dir.path());
    ASSERT_TRUE(store && testing::WriteBlob(*store->blobs, testing::Pattern(100000)));  // an orphan
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  // Sealed while serving, its PutObject still queued: the sweep must not take it.
  auto in_flight = testing::WriteBlob(*store->blobs, testing::Pattern(90000));
  ASSERT_TRUE(in_flight);
  EXPECT_EQ(testing::SweptOrphans(*store), 1);
  EXPECT_EQ(*testing::ReadBlob(*store->blobs, *in_flight), testing::Pattern(90000));
}

TEST(SqliteMigrations, UpgradesAVersionOneDatabaseKeepingItsData) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path());
  {
    auto db = sqlite::Db::Open(dir.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(sqlite::Migrate(**db, 1));
    EXPECT_EQ(*sqlite::SchemaVersion(**db), 1);
    ASSERT_TRUE((*db)->Exec(
        "INSERT INTO buckets (name, region, owner_id, created_ns) VALUES ('old', 'r', 'o', 0);"
        "INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, inline_data) "
        "VALUES ('old', 'k', 3, 'e', 0, 0, CAST('abc' AS BLOB));"));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  auto object = store->metadata->GetObject("old", "k");
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->blob.inline_data, "abc");
  // A bucket made before accounts has no owner account: s3 reads it as the management account's.
  auto bucket = store->metadata->GetBucket("old");
  ASSERT_TRUE(bucket);
  EXPECT_EQ(bucket->owner_account, "");
  auto db = sqlite::Db::Open(dir.path() / "meta.db");
  ASSERT_TRUE(db);
  EXPECT_EQ(*sqlite::SchemaVersion(**db), sqlite::LatestSchemaVersion());
  EXPECT_TRUE((*db)->Exec("SELECT upload_id, part_number, blob_id FROM parts"));
  EXPECT_TRUE((*db)->Exec("SELECT access_key_id, used_at_ms, service, region FROM key_last_used"));
}

// Rows as schema 2 held them: inline bodies in objects.inline_data.
constexpr const char kVersionTwoRows[] = R"sql(
INSERT INTO buckets (name, region, owner_id, created_ns) VALUES ('b', 'r', 'o', 0);
INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, inline_data)
  VALUES ('b', 'small', 3, 'e1', 0, 0, CAST('abc' AS BLOB));
INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, inline_data)
  VALUES ('b', 'empty', 0, 'e2', 0, 0, x'');
INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, blob_id)
  VALUES ('b', 'large', 100000, 'e3', 0, 1, 'blob-large');
INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, blob_parts,
                     inline_data)
  VALUES ('b', 'multi', 7, 'e4', 0, 2,
          x'0600000000000000706172742d310700000000000000', x'');
INSERT INTO objects (bucket, key, size, etag, last_modified_ns, content_type, blob_kind,
                     inline_data)
  VALUES ('b', 'tiny', 1, 'e5', 0, 'text/x', 0, CAST('z' AS BLOB));
)sql";

TEST(SqliteMigrations, MovesVersionTwoInlineBodiesToTheirOwnTableKeepingEveryObject) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path());
  {
    auto db = sqlite::Db::Open(dir.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(sqlite::Migrate(**db, 2));
    ASSERT_TRUE((*db)->Exec(kVersionTwoRows));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  MetadataStore& meta = *store->metadata;
  EXPECT_EQ(meta.GetObject("b", "small")->blob.inline_data, "abc");
  EXPECT_EQ(meta.GetObject("b", "tiny")->blob.inline_data, "z");
  EXPECT_EQ(meta.GetObject("b", "tiny")->content_type, "text/x");
  EXPECT_EQ(meta.GetObject("b", "empty")->blob.kind, BlobRef::Kind::kInline);
  EXPECT_EQ(meta.GetObject("b", "empty")->blob.inline_data, "");
  EXPECT_EQ(meta.GetObject("b", "large")->blob.id, "blob-large");
  ASSERT_EQ(meta.GetObject("b", "multi")->blob.parts.size(), 1u);
  EXPECT_EQ(meta.GetObject("b", "multi")->blob.parts[0].id, "part-1");
  EXPECT_EQ(meta.GetObjectMeta("b", "small")->blob.inline_data, "");
  EXPECT_EQ(meta.GetObjectMeta("b", "small")->size, 3u);

  auto page = meta.ListObjects({.bucket = "b"});
  ASSERT_TRUE(page);
  std::vector<std::string> keys;
  for (const auto& object : page->objects) keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"empty", "large", "multi", "small", "tiny"}));
  auto referenced = meta.ReferencedBlobIds();
  ASSERT_TRUE(referenced);
  EXPECT_EQ(*referenced, (std::unordered_set<std::string>{"blob-large", "part-1"}));

  // New bodies get fresh ids next to the migrated ones; overwrites and deletes keep them apart.
  ASSERT_TRUE(PutSync(meta, Object("b", "new", "fresh")));
  ASSERT_TRUE(PutSync(meta, Object("b", "small", "abcd")));
  ASSERT_TRUE(DeleteSync(meta, "b", "tiny"));
  EXPECT_EQ(meta.GetObject("b", "new")->blob.inline_data, "fresh");
  EXPECT_EQ(meta.GetObject("b", "small")->blob.inline_data, "abcd");
  EXPECT_EQ(meta.GetObject("b", "tiny").error().code, ErrorCode::kNoSuchKey);
  auto db = sqlite::Db::Open(dir.path() / "meta.db");
  ASSERT_TRUE(db);
  EXPECT_EQ(*sqlite::SchemaVersion(**db), sqlite::LatestSchemaVersion());
  auto bodies = (*db)->Prepare("SELECT count(*) FROM inline_blobs");
  ASSERT_TRUE(bodies && *(*bodies)->Step());
  EXPECT_EQ((*bodies)->Int(0), 2);  // "abcd" and "fresh": the deleted body went with its row
}

TEST(SqliteStore, KeepsInlineBodiesInStepWithTheirRowsAcrossOverwritesAndDeletes) {
  testing::TempDir dir;
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  MetadataStore& meta = *store->metadata;
  ASSERT_TRUE(CreateBucketSync(meta, Bucket("b")));
  ASSERT_TRUE(PutSync(meta, Object("b", "k", "one")));
  ASSERT_TRUE(PutSync(meta, Object("b", "k", "")));     // empty body: no body row
  ASSERT_TRUE(PutSync(meta, Object("b", "k", "three")));
  ObjectRecord large = Object("b", "k2", "");
  large.blob.kind = BlobRef::Kind::kFile;
  large.blob.id = "blob-1";
  ASSERT_TRUE(PutSync(meta, Object("b", "k2", "inline first")));
  ASSERT_TRUE(PutSync(meta, large));  // inline → file drops the body row
  ASSERT_TRUE(PutSync(meta, Object("b", "k3", "gone soon")));
  ASSERT_TRUE(DeleteSync(meta, "b", "k3"));
  auto tagged = WaitFor<void>([&](Callback<void> cb) {
    meta.UpdateObject("b", "k", [](ObjectRecord& o) -> Result<void> {
      o.tags = {{"t", "v"}};
      return Ok();
    }, std::move(cb));
  });
  ASSERT_TRUE(tagged);
  auto k = meta.GetObject("b", "k");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->blob.inline_data, "three");
  EXPECT_EQ(k->tags, (Pairs{{"t", "v"}}));
  EXPECT_EQ(meta.GetObject("b", "k2")->blob.id, "blob-1");
  EXPECT_EQ(meta.GetObject("b", "k2")->blob.inline_data, "");
  auto db = sqlite::Db::Open(dir.path() / "meta.db");
  ASSERT_TRUE(db);
  auto bodies = (*db)->Prepare("SELECT count(*) FROM inline_blobs");
  ASSERT_TRUE(bodies && *(*bodies)->Step());
  EXPECT_EQ((*bodies)->Int(0), 1);  // only "three"
}

TEST(SqliteMigrations, RefusesADatabaseFromANewerKura) {
  testing::TempDir dir;
  {
    auto db = sqlite::Db::Open(dir.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(sqlite::Migrate(**db));
    ASSERT_TRUE((*db)->Exec("UPDATE schema_version SET version = 999"));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

TEST(SqliteMigrations, AreNumberedWithoutGaps) {
  int expected = 1;
  for (const auto& migration : sqlite::Migrations()) EXPECT_EQ(migration.version, expected++);
}

}  // namespace
}  // namespace kura::store

namespace kura::store {
namespace {

// A data dir as schema 3 left it, then upgraded in place: every object reads back as its one
// "null" version, and the bucket takes versioning from there.
TEST(SqliteMigrations, UpgradesAVersionThreeDatabaseMakingEveryObjectItsNullVersion) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path());
  {
    auto db = sqlite::Db::Open(dir.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(sqlite::Migrate(**db, 3));
    ASSERT_TRUE((*db)->Exec(R"sql(
      INSERT INTO buckets (name, region, owner_id, created_ns) VALUES ('b', 'r', 'o', 0);
      INSERT INTO inline_blobs (id, data) VALUES (1, CAST('abc' AS BLOB));
      INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, inline_id)
        VALUES ('b', 'small', 3, 'e1', 0, 0, 1);
      INSERT INTO objects (bucket, key, size, etag, last_modified_ns, blob_kind, blob_id)
        VALUES ('b', 'large', 100000, 'e2', 0, 1, 'blob-large');
    )sql"));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  MetadataStore& meta = *store->metadata;
  auto small = meta.GetObject("b", "small", "null");
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->blob.inline_data, "abc");
  EXPECT_TRUE(small->is_latest);
  EXPECT_FALSE(small->is_delete_marker);
  EXPECT_EQ(small->retention_mode, RetentionMode::kNone);
  EXPECT_EQ(meta.GetObject("b", "large")->version_id, "null");
  auto bucket = meta.GetBucket("b");
  EXPECT_EQ(bucket->versioning, VersioningState::kUnversioned);
  EXPECT_FALSE(bucket->object_lock_enabled);
  auto versions = meta.ListObjectVersions({.bucket = "b"});
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->versions.size(), 2u);
  EXPECT_EQ(versions->versions[0].key, "large");
  EXPECT_EQ(versions->versions[1].version_id, "null");

  ASSERT_TRUE(testing::SetVersioningSync(meta, "b", VersioningState::kEnabled));
  ASSERT_TRUE(testing::PutVersionSync(meta, testing::Version("b", "small", "v1", "new")));
  EXPECT_EQ(meta.GetObject("b", "small", "null")->blob.inline_data, "abc");
  EXPECT_EQ(meta.GetObject("b", "small")->blob.inline_data, "new");
  EXPECT_EQ(*meta.ReferencedBlobIds(), (std::unordered_set<std::string>{"blob-large"}));
}

// A data dir as schema 4 left it: its buckets read back without a lifecycle configuration, and
// one set afterwards is stored with the bucket and survives a reopen.
TEST(SqliteMigrations, UpgradesAVersionFourDatabaseAddingTheLifecycleColumn) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path());
  {
    auto db = sqlite::Db::Open(dir.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE(sqlite::Migrate(**db, 4));
    ASSERT_TRUE((*db)->Exec(R"sql(
      INSERT INTO buckets (name, region, owner_id, created_ns, cors_xml, versioning)
        VALUES ('b', 'r', 'o', 0, '<CORSConfiguration/>', 1);
    )sql"));
  }
  {
    auto store = OpenDataDir(dir.path());
    ASSERT_TRUE(store) << store.error().message;
    auto bucket = store->metadata->GetBucket("b");
    ASSERT_TRUE(bucket);
    EXPECT_EQ(bucket->lifecycle_xml, "");
    EXPECT_EQ(bucket->cors_xml, "<CORSConfiguration/>");
    EXPECT_EQ(bucket->versioning, VersioningState::kEnabled);
    ASSERT_TRUE(testing::UpdateBucketSync(*store->metadata, "b", [](BucketRecord& b) -> Result<void> {
      b.lifecycle_xml = "<LifecycleConfiguration/>";
      return Ok();
    }));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->metadata->GetBucket("b")->lifecycle_xml, "<LifecycleConfiguration/>");
}

// Every versioned write is durable once acknowledged: reopening shows exactly the same versions.
TEST(SqliteStore, VersionsMarkersAndLocksSurviveAReopen) {
  testing::TempDir dir;
  LockContext lock{FromUnixSeconds(1700000000)};
  {
    auto store = OpenDataDir(dir.path());
    ASSERT_TRUE(store);
    MetadataStore& meta = *store->metadata;
    ASSERT_TRUE(CreateBucketSync(meta, Bucket("b")));
    ASSERT_TRUE(testing::UpdateBucketSync(meta, "b", [](BucketRecord& b) -> Result<void> {
      b.versioning = VersioningState::kEnabled;
      b.object_lock_enabled = true;
      b.default_retention = {.mode = RetentionMode::kGovernance, .years = 1};
      return Ok();
    }));
    ASSERT_TRUE(testing::PutVersionSync(meta, testing::Version("b", "k", "v1", "one"), lock));
    ASSERT_TRUE(testing::PutVersionSync(meta, testing::Version("b", "k", "v2", "two"), lock));
    ASSERT_TRUE(testing::DeleteVersionSync(
        meta, {.bucket = "b", .key = "k", .marker_version_id = "m1", .lock = lock}));
    ASSERT_TRUE(testing::UpdateVersionSync(meta, "b", "k", "v1", lock,
                                           [](ObjectRecord& o) -> Result<void> {
                                             o.legal_hold = true;
                                             return Ok();
                                           }));
  }
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store);
  MetadataStore& meta = *store->metadata;
  auto bucket = meta.GetBucket("b");
  EXPECT_EQ(bucket->default_retention.years, 1);
  EXPECT_TRUE(bucket->object_lock_enabled);
  auto page = meta.ListObjectVersions({.bucket = "b"});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->versions.size(), 3u);
  EXPECT_TRUE(page->versions[0].is_delete_marker);
  EXPECT_EQ(page->versions[1].version_id, "v2");
  EXPECT_EQ(page->versions[1].retention_mode, RetentionMode::kGovernance);
  EXPECT_TRUE(page->versions[2].legal_hold);
  EXPECT_EQ(meta.GetObject("b", "k", "v1")->blob.inline_data, "one");
}

}  // namespace
}  // namespace kura::store
