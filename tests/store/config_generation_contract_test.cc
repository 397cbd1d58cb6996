// The configuration generation and conditional document batches (MetadataStore::ConfigGeneration,
// PutDocumentsIf), run against every store implementation: how nodes sharing a store notice each
// other's configuration changes and keep IAM writes from losing updates (issue #20).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "contract_fixture.h"
#include "store/node_registry.h"

namespace kura::store {
namespace {

using testing::Bucket;
using testing::CreateBucketSync;
using testing::DeleteBucketSync;
using testing::Object;
using testing::PutDocumentIfSync;
using testing::PutDocumentsSync;
using testing::PutSync;
using testing::UpdateBucketSync;

template <typename Impl>
class ConfigGenerationContract : public StoreContract<Impl> {
 protected:
  uint64_t Generation() {
    auto generation = this->meta().ConfigGeneration();
    EXPECT_TRUE(generation) << generation.error().message;
    return generation ? *generation : 0;
  }
  // Every store is also a node registry (store/node_registry.h).
  NodeRegistry& registry() { return dynamic_cast<NodeRegistry&>(this->meta()); }
  Result<uint64_t> PutDocumentsIfSync(std::vector<DocumentWrite> writes, uint64_t expected) {
    return WaitFor<uint64_t>([&](Callback<uint64_t> cb) {
      this->meta().PutDocumentsIf(std::move(writes), expected, std::move(cb));
    });
  }
};

TYPED_TEST_SUITE(ConfigGenerationContract, Implementations, ImplNames);

TYPED_TEST(ConfigGenerationContract, GrowsWithEveryDocumentWrite) {
  uint64_t start = this->Generation();
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"user", "alice", std::string("{a}")}}));
  uint64_t after_put = this->Generation();
  EXPECT_GT(after_put, start);
  ASSERT_TRUE(*PutDocumentIfSync(this->meta(), {"node", "ring", "v1"}, std::nullopt));
  uint64_t after_cas = this->Generation();
  EXPECT_GT(after_cas, after_put);
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"user", "alice", std::nullopt}}));
  EXPECT_GT(this->Generation(), after_cas);
}

TYPED_TEST(ConfigGenerationContract, StaysWhenACompareAndSetDoesNotWrite) {
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"node", "ring", "v1"}}));
  uint64_t before = this->Generation();
  ASSERT_FALSE(*PutDocumentIfSync(this->meta(), {"node", "ring", "v3"}, "v2"));
  EXPECT_EQ(this->Generation(), before);
}

TYPED_TEST(ConfigGenerationContract, GrowsWithBucketConfigurationButNotWithObjects) {
  uint64_t start = this->Generation();
  ASSERT_TRUE(CreateBucketSync(this->meta(), Bucket("c")));
  uint64_t after_create = this->Generation();
  EXPECT_GT(after_create, start);
  ASSERT_TRUE(UpdateBucketSync(this->meta(), "c", [](BucketRecord& b) -> Result<void> {
    b.policy_json = R"({"Version":"2012-10-17","Statement":[]})";
    return Ok();
  }));
  uint64_t after_update = this->Generation();
  EXPECT_GT(after_update, after_create);
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k")));
  EXPECT_EQ(this->Generation(), after_update);
  ASSERT_TRUE(DeleteBucketSync(this->meta(), "c"));
  EXPECT_GT(this->Generation(), after_update);
}

TYPED_TEST(ConfigGenerationContract, StaysWhenABucketWriteFails) {
  uint64_t before = this->Generation();
  EXPECT_FALSE(CreateBucketSync(this->meta(), Bucket("b")));
  EXPECT_FALSE(DeleteBucketSync(this->meta(), "missing"));
  EXPECT_EQ(this->Generation(), before);
}

TYPED_TEST(ConfigGenerationContract, ConditionalBatchWritesAtTheExpectedGeneration) {
  uint64_t before = this->Generation();
  auto written = this->PutDocumentsIfSync(
      {{"user", "alice", std::string("{a}")}, {"user", "bob", std::string("{b}")}}, before);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_GT(*written, before);
  EXPECT_EQ(this->Generation(), *written);
  EXPECT_EQ(this->meta().ListDocuments("user")->size(), 2u);
}

TYPED_TEST(ConfigGenerationContract, ConditionalBatchRefusedOnceTheGenerationMoved) {
  uint64_t loaded = this->Generation();
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"user", "alice", std::nullopt}}));
  uint64_t moved = this->Generation();
  auto refused = this->PutDocumentsIfSync(
      {{"user", "alice", std::string("{resurrected}")}, {"user", "bob", std::string("{b}")}},
      loaded);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConcurrentModification);
  EXPECT_EQ(this->Generation(), moved);
  EXPECT_EQ(this->meta().ListDocuments("user")->size(), 0u);
}

TYPED_TEST(ConfigGenerationContract, ConcurrentConditionalBatchesAtOneGenerationLeaveOneWinner) {
  constexpr int kWriters = 6;
  uint64_t loaded = this->Generation();
  std::vector<std::thread> writers;
  std::atomic<int> winners{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([this, i, loaded, &winners] {
      auto won = this->PutDocumentsIfSync({{"node", "race", std::to_string(i)}}, loaded);
      if (won) ++winners;
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(winners.load(), 1);
}

// --- the node registry (ConfirmFollowing, NodesBehind, LeaveFollowing) ---

constexpr std::chrono::milliseconds kLive{60'000};

TYPED_TEST(ConfigGenerationContract, ANodeIsBehindUntilItConfirmsTheGeneration) {
  ASSERT_TRUE(this->registry().ConfirmFollowing("node-a", 0));
  ASSERT_TRUE(this->registry().ConfirmFollowing("node-b", 0));
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"user", "alice", std::string("{a}")}}));
  uint64_t written = this->Generation();
  EXPECT_EQ(*this->registry().NodesBehind(written, kLive), (std::vector<std::string>{"node-a", "node-b"}));
  ASSERT_TRUE(this->registry().ConfirmFollowing("node-a", written));
  EXPECT_EQ(*this->registry().NodesBehind(written, kLive), std::vector<std::string>{"node-b"});
  ASSERT_TRUE(this->registry().ConfirmFollowing("node-b", written + 5));  // ahead counts as current
  EXPECT_TRUE(this->registry().NodesBehind(written, kLive)->empty());
  EXPECT_EQ(this->Generation(), written) << "the registry is not configuration";
}

TYPED_TEST(ConfigGenerationContract, ANodeWhoseHeartbeatAgedOutIsNotWaitedFor) {
  ASSERT_TRUE(this->registry().ConfirmFollowing("gone", 0));
  EXPECT_EQ(this->registry().NodesBehind(1, kLive)->size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_TRUE(this->registry().NodesBehind(1, std::chrono::milliseconds(10))->empty());
  ASSERT_TRUE(this->registry().ConfirmFollowing("gone", 0));  // a heartbeat makes it live again
  EXPECT_EQ(this->registry().NodesBehind(1, std::chrono::milliseconds(10'000))->size(), 1u);
}

TYPED_TEST(ConfigGenerationContract, ANodeThatLeftIsNotWaitedFor) {
  ASSERT_TRUE(this->registry().ConfirmFollowing("leaving", 0));
  ASSERT_TRUE(this->registry().LeaveFollowing("leaving"));
  EXPECT_TRUE(this->registry().NodesBehind(1, kLive)->empty());
  EXPECT_TRUE(this->registry().LeaveFollowing("never-there"));
}

}  // namespace
}  // namespace kura::store
