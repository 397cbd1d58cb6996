// DocumentNodeState: node state shared through one MetadataStore (issue #20). Each test runs
// over the in-memory store and the SQLite store; "nodes" are several DocumentNodeStates over the
// one store instance, as several kura processes over one PostgreSQL database would be.
#include "node/document_node_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "common/encoding.h"
#include "node/node_documents.h"
#include "sts/key_ring_watcher.h"
#include "tests/node/node_test_support.h"

namespace kura::node {
namespace {

struct MemoryStore {
  static Result<store::Store> Open(const std::filesystem::path&) { return store::NewMemoryStore(); }
};
struct SqliteStore {
  static Result<store::Store> Open(const std::filesystem::path& dir) {
    return store::OpenDataDir(dir / "data");
  }
};

Secret KeyOf(char fill) { return Secret(std::string(32, fill)); }

template <typename Impl>
class DocumentNodeStateTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  // A fresh, empty store (one per round of a race).
  void Reopen() {
    store_.metadata.reset();
    store_.blobs.reset();
    std::filesystem::remove_all(dir_.path() / "data");
    auto opened = Impl::Open(dir_.path());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(opened).value();
  }
  store::MetadataStore& meta() { return *store_.metadata; }
  DocumentNodeState Node() { return DocumentNodeState(meta(), sealer_, random_); }
  std::string AllDocuments() {
    std::string all;
    for (std::string_view kind : {kNodeStateKind, kAccountCredentialsKind}) {
      auto documents = meta().ListDocuments(kind);
      if (!documents) return "(unreadable: " + documents.error().message + ")";
      for (const auto& [id, value] : *documents) all += id + "=" + value + "\n";
    }
    return all;
  }

  testing::ClearedRootEnvironment no_root_env_;
  testing::TempDir dir_;
  SecureRandom random_;
  iam::SecretSealer sealer_ = std::move(iam::SecretSealer::Create(KeyOf('k'), random_)).value();
  store::Store store_;
};

using Stores = ::testing::Types<MemoryStore, SqliteStore>;
class StoreNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryStore> ? "Memory" : "Sqlite";
  }
};
TYPED_TEST_SUITE(DocumentNodeStateTest, Stores, StoreNames);

// What one node reads at start.
struct StartedNode {
  std::string account_id;
  api::RootCredentials root;
  std::string active_token_key;
};

TYPED_TEST(DocumentNodeStateTest, NodesStartingAtOnceAgreeOnOneAccountRootAndKeyRing) {
  constexpr int kRounds = 20;
  constexpr int kNodes = 4;
  for (int round = 0; round < kRounds; ++round) {
    this->Reopen();
    std::vector<StartedNode> started(kNodes);
    std::vector<std::thread> nodes;
    std::atomic<bool> go{false};
    for (int i = 0; i < kNodes; ++i) {
      nodes.emplace_back([this, i, &started, &go] {
        while (!go.load()) std::this_thread::yield();
        DocumentNodeState node = this->Node();
        started[i].account_id = node.LoadOrCreateAccountId().value();
        started[i].root = node.LoadOrCreateRootCredentials().value();
        auto ring = node.OpenTokenKeyRing(FromUnixSeconds(1700000000)).value();
        started[i].active_token_key = std::string(ring->Snapshot()->Active().material.Reveal());
      });
    }
    go = true;
    for (auto& node : nodes) node.join();
    int printed = 0;
    for (const StartedNode& node : started) {
      EXPECT_EQ(node.account_id, started[0].account_id);
      EXPECT_EQ(node.account_id.size(), 12u);
      EXPECT_EQ(node.root.access_key_id, started[0].root.access_key_id);
      EXPECT_EQ(node.root.secret_key.Reveal(), started[0].root.secret_key.Reveal());
      EXPECT_EQ(node.active_token_key, started[0].active_token_key);
      printed += node.root.newly_created ? 1 : 0;
    }
    EXPECT_EQ(printed, 1) << "exactly the node that stored the root credentials prints them";
  }
}

TYPED_TEST(DocumentNodeStateTest, ARestartedNodeReadsWhatWasStored) {
  DocumentNodeState first = this->Node();
  std::string id = *first.LoadOrCreateAccountId();
  api::RootCredentials root = *first.LoadOrCreateRootCredentials();
  EXPECT_TRUE(root.newly_created);
  DocumentNodeState second = this->Node();
  EXPECT_EQ(*second.LoadOrCreateAccountId(), id);
  auto again = second.LoadOrCreateRootCredentials();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->newly_created);
  EXPECT_EQ(again->access_key_id, root.access_key_id);
  EXPECT_EQ(again->secret_key.Reveal(), root.secret_key.Reveal());
}

TYPED_TEST(DocumentNodeStateTest, ARotationOnOneNodeIsSeenByAnotherAtItsNextPoll) {
  DocumentNodeState node_a = this->Node(), node_b = this->Node();
  auto ring_a = std::move(node_a.OpenTokenKeyRing(FromUnixSeconds(1700000000))).value();
  auto ring_b = std::move(node_b.OpenTokenKeyRing(FromUnixSeconds(1700000000))).value();
  sts::KeyRingWatcher watcher_b(*ring_b);
  EXPECT_FALSE(*watcher_b.Poll()) << "nothing changed yet";

  ASSERT_TRUE(ring_a->Rotate(FromUnixSeconds(1700000100)));
  EXPECT_EQ(ring_b->Snapshot()->Active().id, 1u) << "not before its poll";
  auto polled = watcher_b.Poll();
  ASSERT_TRUE(polled) << polled.error().message;
  EXPECT_TRUE(*polled);
  auto keys_b = ring_b->Snapshot();
  EXPECT_EQ(keys_b->Active().id, 2u);
  EXPECT_EQ(keys_b->Active().material.Reveal(), ring_a->Snapshot()->Active().material.Reveal());
  ASSERT_NE(keys_b->Find(1), nullptr) << "the retired key still opens older tokens";
  EXPECT_FALSE(*watcher_b.Poll());
}

TYPED_TEST(DocumentNodeStateTest, RotationsOnTwoNodesAtOnceAreBothKept) {
  DocumentNodeState node_a = this->Node(), node_b = this->Node();
  auto ring_a = std::move(node_a.OpenTokenKeyRing(FromUnixSeconds(1700000000))).value();
  auto ring_b = std::move(node_b.OpenTokenKeyRing(FromUnixSeconds(1700000000))).value();
  std::thread rotate_a([&] { ASSERT_TRUE(ring_a->Rotate(FromUnixSeconds(1700000100))); });
  std::thread rotate_b([&] { ASSERT_TRUE(ring_b->Rotate(FromUnixSeconds(1700000100))); });
  rotate_a.join();
  rotate_b.join();
  ASSERT_TRUE(ring_a->Reload());
  ASSERT_TRUE(ring_b->Reload());
  auto keys = ring_a->Snapshot();
  ASSERT_EQ(keys->keys.size(), 3u) << "no rotation lost";
  EXPECT_EQ(keys->Active().id, 3u);
  EXPECT_EQ(ring_b->Snapshot()->Active().material.Reveal(), keys->Active().material.Reveal());
}

TYPED_TEST(DocumentNodeStateTest, StoredSecretsAreSealedNeverPlain) {
  DocumentNodeState node = this->Node();
  api::RootCredentials root = *node.LoadOrCreateRootCredentials();
  auto ring = std::move(node.OpenTokenKeyRing(FromUnixSeconds(1700000000))).value();
  ASSERT_TRUE(ring->Rotate(FromUnixSeconds(1700000100)));
  ASSERT_TRUE(node.AccountCredentials().Write("210987654321", "AKIAMEMBERACCOUNT001",
                                              Secret("MemberSecretKeyThatMustNotLeak0123456789")));
  std::string stored = this->AllDocuments();
  ASSERT_NE(stored.find(root.access_key_id), std::string::npos) << "access key ids are not secret";
  EXPECT_EQ(stored.find(root.secret_key.Reveal()), std::string::npos);
  EXPECT_EQ(stored.find("MemberSecretKeyThatMustNotLeak"), std::string::npos);
  for (const RingKey& key : ring->Snapshot()->keys) {
    EXPECT_EQ(stored.find(Base64Encode(key.material.Reveal())), std::string::npos);
    EXPECT_EQ(stored.find(key.material.Reveal()), std::string::npos);
  }
  EXPECT_EQ(stored.find("kura-session-token-keys"), std::string::npos) << "sealed whole";
  auto ring_value = *this->meta().GetDocument(kNodeStateKind, kTokenKeysDocument);
  ASSERT_TRUE(ring_value);
  EXPECT_TRUE(iam::SecretSealer::IsSealed(*ring_value));
}

TYPED_TEST(DocumentNodeStateTest, MemberAccountCredentialsRoundTripThroughTheirDocument) {
  AccountCredentialDocuments documents(this->meta(), this->sealer_);
  ASSERT_TRUE(documents.Write("210987654321", "AKIAMEMBERACCOUNT001", Secret("member-secret")));
  auto read = documents.Read("210987654321");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->access_key_id, "AKIAMEMBERACCOUNT001");
  EXPECT_EQ(read->secret_key.Reveal(), "member-secret");
  EXPECT_EQ(documents.Read("111111111111").error().code, ErrorCode::kNoSuchEntity);
}

TYPED_TEST(DocumentNodeStateTest, ANodeWithAnotherSecretsKeyRefusesToStartWithAClearReason) {
  DocumentNodeState node = this->Node();
  ASSERT_TRUE(node.LoadOrCreateRootCredentials());
  ASSERT_TRUE(node.OpenTokenKeyRing(FromUnixSeconds(1700000000)));
  auto other_sealer = std::move(iam::SecretSealer::Create(KeyOf('x'), this->random_)).value();
  DocumentNodeState stranger(this->meta(), other_sealer, this->random_);
  auto root = stranger.LoadOrCreateRootCredentials();
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().message.find("sealed with secrets key"), std::string::npos)
      << root.error().message;
  auto ring = stranger.OpenTokenKeyRing(FromUnixSeconds(1700000000));
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().message.find("sealed with secrets key"), std::string::npos)
      << ring.error().message;
}

TYPED_TEST(DocumentNodeStateTest, RootCredentialsFromTheEnvironmentAreNeverStored) {
  ::setenv("KURA_ROOT_ACCESS_KEY", "AKIAFROMENVIRONMENT1", 1);
  ::setenv("KURA_ROOT_SECRET_KEY", "from-the-environment", 1);
  auto root = this->Node().LoadOrCreateRootCredentials();
  ::unsetenv("KURA_ROOT_ACCESS_KEY");
  ::unsetenv("KURA_ROOT_SECRET_KEY");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->access_key_id, "AKIAFROMENVIRONMENT1");
  EXPECT_EQ(*this->meta().GetDocument(kNodeStateKind, kRootCredentialsDocument), std::nullopt);
}

}  // namespace
}  // namespace kura::node
