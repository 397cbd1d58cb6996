#include "iam/identity_store.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <future>

#include "iam/identity_codec.h"
#include "iam_test_support.h"
#include "store/memory/memory_metadata_store.h"
#include "store/store.h"
#include "store/wait.h"

namespace kura::iam {
namespace {
using namespace testing;

Result<void> UpdateNow(IdentityStore& store, const IdentityStore::Mutation& m) {
  std::promise<Result<void>> done;
  auto f = done.get_future();
  store.Update(kAccount, m, [&done](Result<void> r) { done.set_value(std::move(r)); });
  return f.get();
}

Result<void> AddUser(IdentityStore& store, const std::string& name) {
  return UpdateNow(store, [&](IdentityState& s) -> Result<void> {
    auto u = MakeUser(name);
    u->access_keys.push_back(AccessKey{"AKIA" + name, Secret("secret-" + name), true, {}});
    u->inline_policies.push_back(Inline("p", Allow("s3:*", "*")));
    s.users[NameKey(name)] = u;
    return Ok();
  });
}

TEST(IdentityStore, PublishesAWriteAfterItIsDurable) {
  store::MemoryMetadataStore metadata;
  auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(store.has_value());
  auto before = (*store)->Current(kAccount);
  ASSERT_TRUE(AddUser(**store, "alice"));
  EXPECT_EQ(before->FindUser("alice"), nullptr);  // old snapshots are immutable
  EXPECT_NE((*store)->Current(kAccount)->FindUser("alice"), nullptr);
  auto doc = metadata.GetDocument(kUserKind, "alice");
  ASSERT_TRUE(doc.has_value());
  EXPECT_TRUE(doc->has_value());
}

TEST(IdentityStore, AFailedMutationChangesNothing) {
  store::MemoryMetadataStore metadata;
  auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(AddUser(**store, "alice"));
  auto r = UpdateNow(**store, [](IdentityState& s) -> Result<void> {
    s.users.clear();
    return MakeError(ErrorCode::kDeleteConflict, "no");
  });
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDeleteConflict);
  EXPECT_NE((*store)->Current(kAccount)->FindUser("alice"), nullptr);
  EXPECT_EQ(metadata.ListDocuments(kUserKind)->size(), 1u);
}

TEST(IdentityStore, ReloadsEverythingFromTheStoreCompiled) {
  store::MemoryMetadataStore metadata;
  {
    auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(AddUser(**store, "alice"));
    ASSERT_TRUE(UpdateNow(**store, [](IdentityState& s) -> Result<void> {
      s.roles["app"] = MakeRole("app");
      s.policies["read"] = MakePolicy("read", Allow("s3:GetObject", "*"));
      auto g = std::make_shared<Group>();
      g->name = "devs";
      g->inline_policies.push_back(Inline("x", Deny("s3:*", "*")));
      s.groups["devs"] = g;
      return Ok();
    }));
  }
  auto reopened = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(reopened.has_value());
  auto snap = (*reopened)->Current(kAccount);
  const User* alice = snap->FindUser("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->access_keys.at(0).secret.Reveal(), "secret-alice");
  ASSERT_NE(alice->inline_policies.at(0).compiled, nullptr);
  ASSERT_NE(snap->FindRoleByName("app"), nullptr);
  EXPECT_NE(snap->FindRoleByName("app")->trust_policy, nullptr);
  EXPECT_NE(snap->FindCompiledPolicy(IamArn(kAccount, "policy", "/", "read")), nullptr);
  EXPECT_NE(snap->FindGroup("devs"), nullptr);
}

TEST(IdentityStore, WritesOnlyTheEntitiesAMutationChanged) {
  IdentityState before;
  before.users["a"] = MakeUser("a");
  before.users["b"] = MakeUser("b");
  IdentityState after = before;
  after.users["b"] = MakeUser("b");  // replaced
  after.users.erase("a");            // deleted
  after.roles["r"] = MakeRole("r");  // added
  auto writes = DiffStates(before, after, TestSealer());
  ASSERT_EQ(writes.size(), 3u);
  int deletes = 0;
  for (const auto& w : writes) deletes += w.value.has_value() ? 0 : 1;
  EXPECT_EQ(deletes, 1);
}

TEST(IdentityStore, SurvivesARestartOfTheSqliteStore) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kura-iam-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto opened = store::OpenDataDir(dir);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    auto store = IdentityStore::Open(*opened->metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(AddUser(**store, "carol"));
  }
  {
    auto opened = store::OpenDataDir(dir);
    ASSERT_TRUE(opened.has_value());
    auto store = IdentityStore::Open(*opened->metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(store.has_value());
    EXPECT_NE((*store)->Current(kAccount)->FindUserByAccessKey("AKIAcarol"), nullptr);
  }
  std::filesystem::remove_all(dir);
}

// The plaintext form of a user document, as kura wrote it before secrets were sealed.
std::string PlaintextUserDocument(const std::string& name, const std::string& key_id,
                                  const std::string& secret) {
  return R"({"v":1,"name":")" + name + R"(","path":"/","id":"AIDA)" + name +
         R"(","arn":"arn:aws:iam::111122223333:user/)" + name +
         R"(","created":0,"tags":[],"boundary":"","groups":[],"inline":[],"attached":[],)"
         R"("keys":[{"id":")" + key_id + R"(","secret":")" + secret +
         R"(","active":true,"created":0}]})";
}

TEST(IdentityStore, StoresSecretsSealedNeverInPlaintext) {
  store::MemoryMetadataStore metadata;
  auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(AddUser(**store, "alice"));
  auto doc = metadata.GetDocument(kUserKind, "alice");
  ASSERT_TRUE(doc && *doc);
  EXPECT_EQ((*doc)->find("secret-alice"), std::string::npos) << **doc;
  EXPECT_NE((*doc)->find("\"secret\":\"v1:" + TestSealer().key_id() + ":"), std::string::npos) << **doc;
}

TEST(IdentityStore, SealsThePlaintextSecretsOfAnOlderStoreWhenItOpens) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kura-iam-upgrade-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY01";
  {
    auto opened = store::OpenDataDir(dir);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    std::vector<store::DocumentWrite> old_format{
        {std::string(kUserKind), "bob", PlaintextUserDocument("bob", "AKIABOB", secret)}};
    ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> done) {
      opened->metadata->PutDocuments(std::move(old_format), std::move(done));
    }));
  }
  {
    auto opened = store::OpenDataDir(dir);
    ASSERT_TRUE(opened.has_value());
    auto store = IdentityStore::Open(*opened->metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    const User* bob = (*store)->Current(kAccount)->FindUserByAccessKey("AKIABOB");
    ASSERT_NE(bob, nullptr);
    EXPECT_EQ(bob->access_keys.at(0).secret.Reveal(), secret);
    auto doc = opened->metadata->GetDocument(kUserKind, "bob");
    ASSERT_TRUE(doc && *doc);
    EXPECT_EQ((*doc)->find(secret), std::string::npos) << **doc;
    EXPECT_NE((*doc)->find("\"secret\":\"v1:"), std::string::npos) << **doc;
  }
  {  // and it opens sealed the next time
    auto opened = store::OpenDataDir(dir);
    ASSERT_TRUE(opened.has_value());
    auto store = IdentityStore::Open(*opened->metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    const User* bob = (*store)->Current(kAccount)->FindUserByAccessKey("AKIABOB");
    ASSERT_NE(bob, nullptr);
    EXPECT_EQ(bob->access_keys.at(0).secret.Reveal(), secret);
  }
  std::filesystem::remove_all(dir);
}

TEST(IdentityStore, RefusesToOpenSecretsSealedUnderAnotherKey) {
  store::MemoryMetadataStore metadata;
  {
    auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(AddUser(**store, "alice"));
  }
  SecureRandom random;
  auto other = SecretSealer::Create(Secret(std::string(32, 'o')), random);
  ASSERT_TRUE(other);
  auto store = IdentityStore::Open(metadata, ManagementAccount(), *other);
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message.find("sealed with secrets key " + TestSealer().key_id()),
            std::string::npos)
      << store.error().message;
}

TEST(IdentityCodec, RejectsACorruptDocument) {
  EXPECT_FALSE(DecodeUser("not json", TestSealer()));
  EXPECT_FALSE(DecodeUser(R"({"name": 5})", TestSealer()));
  EXPECT_FALSE(DecodePolicy(R"({"name":"p","versions":[]})"));
}

TEST(IdentityCodec, RoundTripsAManagedPolicyWithVersions) {
  auto p = MakePolicy("p", Allow("s3:*", "*"));
  p->versions.push_back(PolicyVersion{"v2", Deny("s3:*", "*"), {}, nullptr});
  p->default_version_id = "v2";
  p->next_version = 3;
  p->tags.push_back(Tag{"team", "blue"});
  auto back = DecodePolicy(EncodePolicy(*p));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ((*back)->versions.size(), 2u);
  EXPECT_EQ((*back)->default_version_id, "v2");
  EXPECT_EQ((*back)->next_version, 3);
  EXPECT_EQ((*back)->tags, p->tags);
  EXPECT_NE((*back)->compiled(), nullptr);
}

}  // namespace
}  // namespace kura::iam
