// PostgresMetadataStore beyond the contract suites: several stores on one database (as several
// kura nodes), lost connections, the integrity of inline bodies, keys holding any byte.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <thread>

#include "postgres_test_db.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

using postgres::PgParams;
using postgres::PostgresMetadataStore;
using testing::Bucket;
using testing::CreateBucketSync;
using testing::Object;
using testing::PostgresSchema;
using testing::PutSync;

class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::PostgresSkipReason()) GTEST_SKIP() << *why;
    auto schema = PostgresSchema::Create();
    ASSERT_TRUE(schema) << schema.error().message;
    schema_ = std::move(schema).value();
  }

  std::unique_ptr<PostgresMetadataStore> OpenStore(const std::string& url) {
    auto store = PostgresMetadataStore::Open(url);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(store).value() : nullptr;
  }

  int64_t Count(const std::string& query, PgParams params = {}) {
    auto result = schema_->admin().Exec(query, params);
    EXPECT_TRUE(result) << result.error().message;
    return result ? result->row(0).Int(0) : -1;
  }

  std::unique_ptr<PostgresSchema> schema_;
};

TEST_F(PostgresStore, NodesOpeningAtOnceMigrateTheSchemaOnce) {
  std::vector<std::future<Result<std::unique_ptr<PostgresMetadataStore>>>> opening;
  for (int i = 0; i < 4; ++i) {
    opening.push_back(std::async(std::launch::async,
                                 [&] { return PostgresMetadataStore::Open(schema_->url()); }));
  }
  for (auto& open : opening) {
    auto store = open.get();
    EXPECT_TRUE(store) << store.error().message;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM schema_version"), 1);
}

// One acknowledged write of a client: the key and the version (or delete marker) it made.
struct Made {
  std::string key;
  std::string version_id;
};

// Two stores (two nodes) put and delete the same few keys of a versioned bucket at once, from
// eight client threads. Every acknowledged version must exist exactly once, each key must have
// one current version, newer than its noncurrent ones, and each client's writes of a key must
// be ordered as the client made them.
TEST_F(PostgresStore, TwoNodesWritingTheSameKeysKeepEveryVersionInOrder) {
  auto node_a = OpenStore(schema_->url());
  auto node_b = OpenStore(schema_->url());
  ASSERT_TRUE(node_a && node_b);
  ASSERT_TRUE(CreateBucketSync(*node_a, Bucket("v")));
  ASSERT_TRUE(testing::SetVersioningSync(*node_b, "v", VersioningState::kEnabled));
  constexpr int kClients = 8;
  constexpr int kOpsEach = 40;
  const std::vector<std::string> keys = {"k0", "k1", "k2"};
  std::vector<std::vector<Made>> made(kClients);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      MetadataStore& node = c % 2 == 0 ? *node_a : *node_b;
      for (int i = 0; i < kOpsEach; ++i) {
        std::string key = keys[(c + i) % keys.size()];
        std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
        bool ok;
        if (i % 3 == 2) {
          DeleteRequest request{.bucket = "v", .key = key, .marker_version_id = id};
          ok = static_cast<bool>(testing::DeleteVersionSync(node, request));
        } else {
          ok = static_cast<bool>(testing::PutVersionSync(node, testing::Version("v", key, id)));
        }
        if (!ok) ++failures;
        if (ok) made[c].push_back({key, id});
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0);

  // The listing, newest first per key: position of each version id.
  std::map<std::string, std::pair<std::string, size_t>> listed;  // id -> (key, position)
  std::map<std::string, int> latest_per_key;
  VersionListQuery query{.bucket = "v"};
  std::map<std::string, size_t> position;
  while (true) {
    auto page = node_b->ListObjectVersions(query);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& version : page->versions) {
      EXPECT_TRUE(listed.emplace(version.version_id,
                                 std::pair{version.key, position[version.key]++}).second);
      if (version.is_latest) ++latest_per_key[version.key];
    }
    if (!page->is_truncated) break;
    query.key_marker = page->next_key_marker;
    query.version_id_marker = page->next_version_id_marker;
  }
  size_t acknowledged = 0;
  for (const auto& ops : made) acknowledged += ops.size();
  EXPECT_EQ(listed.size(), acknowledged);  // nothing lost, nothing extra
  for (const auto& key : keys) EXPECT_EQ(latest_per_key[key], 1) << key;
  for (const auto& ops : made) {
    std::map<std::string, size_t> previous;  // key -> listing position of the client's last op
    for (const auto& op : ops) {
      auto found = listed.find(op.version_id);
      ASSERT_NE(found, listed.end()) << op.version_id;
      EXPECT_EQ(found->second.first, op.key);
      auto before = previous.find(op.key);
      if (before != previous.end()) {
        EXPECT_LT(found->second.second, before->second) << op.version_id;  // listed newer
      }
      previous[op.key] = found->second.second;
    }
  }
  // In the rows themselves: one current row per key, with the key's highest sequence.
  for (const auto& key : keys) {
    EXPECT_EQ(Count("SELECT count(*) FROM objects WHERE key = $1", PgParams().Bytes(key)), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM object_versions v JOIN objects o USING (bucket, key) "
                    "WHERE v.key = $1 AND v.seq >= o.seq",
                    PgParams().Bytes(key)),
              0);
  }
}

// The store's connections are killed between operations and in the middle of a write: the
// write in flight fails with kServiceUnavailable, and the next calls reconnect and succeed.
TEST_F(PostgresStore, SurvivesItsConnectionsBeingTerminated) {
  std::string application = "victim_" + schema_->name();
  auto store = OpenStore(testing::WithParameter(schema_->url(), "application_name=" + application));
  ASSERT_TRUE(store);
  ASSERT_TRUE(CreateBucketSync(*store, Bucket("b")));
  ASSERT_TRUE(PutSync(*store, Object("b", "k", "one")));
  ASSERT_TRUE(store->GetObject("b", "k"));
  std::string terminate = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE application_name = convert_from($1, 'UTF8')";
  auto terminate_all = [&] { return Count(terminate, PgParams().Bytes(application)); };
  EXPECT_GT(terminate_all(), 0);
  // Between operations: the idle connections are found dead and replaced.
  auto read = store->GetObject("b", "k");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->blob.inline_data, "one");
  ASSERT_TRUE(PutSync(*store, Object("b", "k", "two")));
  // In the middle of a write: the mutation kills the connection running it.
  auto killed = testing::UpdateBucketSync(*store, "b", [&](BucketRecord& bucket) -> Result<void> {
    terminate_all();
    bucket.policy_json = "{}";
    return Ok();
  });
  ASSERT_FALSE(killed);
  EXPECT_EQ(killed.error().code, ErrorCode::kServiceUnavailable) << killed.error().message;
  EXPECT_EQ(store->GetBucket("b")->policy_json, "");
  ASSERT_TRUE(PutSync(*store, Object("b", "k", "three")));
  EXPECT_EQ(store->GetObject("b", "k")->blob.inline_data, "three");
}

// The connection is lost as COMMIT is sent: the store asks a fresh connection what became of the
// transaction (here: aborted with its backend) rather than guess.
TEST_F(PostgresStore, AWriteWhoseCommitLostItsConnectionReportsWhatHappened) {
  std::string application = "victim_" + schema_->name();
  std::atomic<bool> kill{false};
  postgres::PostgresOptions options;
  options.before_commit = [&] {
    if (kill) {
      // Waits (up to 5 s) until the backend is gone, so COMMIT surely meets a dead connection.
      Count("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
            "WHERE application_name = convert_from($1, 'UTF8')",
            PgParams().Bytes(application));
    }
  };
  auto store = PostgresMetadataStore::Open(
      testing::WithParameter(schema_->url(), "application_name=" + application), options);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE(CreateBucketSync(**store, Bucket("b")));
  kill = true;
  auto put = PutSync(**store, Object("b", "k"));
  kill = false;
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kServiceUnavailable) << put.error().message;
  EXPECT_EQ((*store)->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_TRUE(PutSync(**store, Object("b", "k")));
}

TEST_F(PostgresStore, AnUnreachableServerFailsOpenQuickly) {
  auto store = PostgresMetadataStore::Open("postgresql:///postgres?host=/nonexistent&user=postgres");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kServiceUnavailable);
}

TEST_F(PostgresStore, DetectsACorruptInlineBody) {
  auto store = OpenStore(schema_->url());
  ASSERT_TRUE(store);
  ASSERT_TRUE(CreateBucketSync(*store, Bucket("b")));
  ASSERT_TRUE(PutSync(*store, Object("b", "k", "the bytes")));
  ASSERT_TRUE(schema_->admin().Exec("UPDATE inline_blobs SET data = $1",
                                    PgParams().Bytes("the bytez")));
  auto read = store->GetObject("b", "k");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kCorruptData);
  EXPECT_TRUE(store->GetObjectMeta("b", "k"));  // metadata reads never load the body
}

TEST_F(PostgresStore, KeysMayHoldAnyByteAndListInByteOrder) {
  auto store = OpenStore(schema_->url());
  ASSERT_TRUE(store);
  ASSERT_TRUE(CreateBucketSync(*store, Bucket("b")));
  const std::vector<std::string> keys = {std::string("a"), std::string("a\0", 2),
                                         std::string("a\0b", 3), std::string("a\x7f"),
                                         std::string("a\xc3\xa9"), std::string("b")};
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    ASSERT_TRUE(PutSync(*store, Object("b", *it, *it)));
  }
  auto page = store->ListObjects({.bucket = "b"});
  ASSERT_TRUE(page);
  std::vector<std::string> listed;
  for (const auto& object : page->objects) listed.push_back(object.key);
  EXPECT_EQ(listed, keys);
  EXPECT_EQ(store->GetObject("b", std::string("a\0b", 3))->blob.inline_data,
            std::string("a\0b", 3));
}

TEST_F(PostgresStore, ClosingCompletesEveryQueuedWrite) {
  auto store = OpenStore(schema_->url());
  ASSERT_TRUE(store);
  ASSERT_TRUE(CreateBucketSync(*store, Bucket("b")));
  std::atomic<int> completed{0};
  for (int i = 0; i < 200; ++i) {
    store->PutObject(Object("b", "k" + std::to_string(i)), {},
                     [&](Result<std::optional<BlobRef>> done) {
                       if (done) ++completed;
                     });
  }
  store.reset();
  EXPECT_EQ(completed.load(), 200);
  EXPECT_EQ(Count("SELECT count(*) FROM objects"), 200);
}

TEST_F(PostgresStore, ASingleNodeStoreKeepsASecondOneOutUntilItCloses) {
  postgres::PostgresOptions single;
  single.single_node = true;
  auto first = PostgresMetadataStore::Open(schema_->url(), single);
  ASSERT_TRUE(first) << first.error().message;
  auto second = PostgresMetadataStore::Open(schema_->url(), single);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kServiceUnavailable);
  EXPECT_NE(second.error().message.find("another kura node"), std::string::npos);
  // Stores that do not ask for the lock (tests, tools) still open beside it.
  EXPECT_TRUE(PostgresMetadataStore::Open(schema_->url()));
  first->reset();
  EXPECT_TRUE(PostgresMetadataStore::Open(schema_->url(), single));
}

}  // namespace
}  // namespace kura::store

