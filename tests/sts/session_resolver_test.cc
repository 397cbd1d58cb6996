#include <gtest/gtest.h>

#include "common/encoding.h"
#include "sts/session_cache.h"
#include "tests/sts/sts_fixture.h"

namespace kura::sts::testing {
namespace {

struct Issued {
  std::string key;
  std::string token;
};

Issued IssueRoleSession(StsFixture& sts, std::map<std::string, std::string> params = {}) {
  auto r = sts.AssumeRole(UserPrincipal(), std::move(params));
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return {ElementText(*r, "AccessKeyId"), ElementText(*r, "SessionToken")};
}

ErrorCode ResolveError(const StsFixture& sts, std::string_view key, std::string_view token) {
  auto r = sts.resolver.Resolve(key, token);
  EXPECT_FALSE(r.has_value());
  return r ? ErrorCode::kInternalError : r.error().code;
}

class MapResolver final : public sigv4::CredentialResolver {
 public:
  Result<sigv4::ResolvedCredential> Resolve(std::string_view key, std::string_view) const override {
    if (key != "AKIALONGTERMKEY00001") return MakeError(ErrorCode::kInvalidAccessKeyId);
    return sigv4::ResolvedCredential{Secret("s"), std::make_shared<Principal>(UserPrincipal())};
  }
};

TEST(SessionCredentialResolver, ResolvesTheSecretAndPrincipalOfAToken) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  auto r = sts.resolver.Resolve(s.key, s.token);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->secret_key.Reveal().size(), 40u);
  EXPECT_EQ(r->principal->access_key_id, s.key);
  EXPECT_EQ(r->principal->type, PrincipalType::kAssumedRole);
}

TEST(SessionCredentialResolver, CachesOnePrincipalPerToken) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  auto a = sts.resolver.Resolve(s.key, s.token);
  auto b = sts.resolver.Resolve(s.key, s.token);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->principal.get(), b->principal.get());
  EXPECT_EQ(sts.resolver.cached_sessions(), 1u);
}

TEST(SessionCredentialResolver, ATokenIssuedForAnotherKeyIsInvalid) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  EXPECT_EQ(ResolveError(sts, "ASIAOTHERKEY00000001", s.token), ErrorCode::kInvalidToken);
}

TEST(SessionCredentialResolver, TamperedTruncatedForeignAndGarbageTokensAreInvalid) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  std::string tampered = s.token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(ResolveError(sts, s.key, tampered), ErrorCode::kInvalidToken);
  EXPECT_EQ(ResolveError(sts, s.key, s.token.substr(0, s.token.size() - 8)),
            ErrorCode::kInvalidToken);
  EXPECT_EQ(ResolveError(sts, s.key, "not a token at all"), ErrorCode::kInvalidToken);
  EXPECT_EQ(ResolveError(sts, s.key, std::string(20000, 'A')), ErrorCode::kInvalidToken);
  StsFixture other;  // same seed, but a key ring of its own would seal differently:
  ASSERT_TRUE(other.ring->Rotate(TestEpoch()).has_value());
  ASSERT_TRUE(other.ring->Prune(TestEpoch() + kTokenKeyRetention).has_value());
  Issued foreign = IssueRoleSession(other);
  EXPECT_EQ(ResolveError(sts, foreign.key, foreign.token), ErrorCode::kInvalidToken);
}

// The cache finds entries by the token's tail (its GCM tag); a token that shares the tail of a
// cached one but differs anywhere else is opened afresh, and fails.
TEST(SessionCredentialResolver, ACachedTokensTailDoesNotAdmitAnotherBody) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  ASSERT_TRUE(sts.resolver.Resolve(s.key, s.token).has_value());  // cached now
  for (size_t at : {size_t{0}, size_t{5}, s.token.size() / 2, s.token.size() - 25}) {
    std::string forged = s.token;
    forged[at] = forged[at] == 'A' ? 'B' : 'A';
    EXPECT_EQ(ResolveError(sts, s.key, forged), ErrorCode::kInvalidToken) << "changed at " << at;
  }
  std::string longer = "AAAA" + s.token;  // same tail, more in front
  EXPECT_EQ(ResolveError(sts, s.key, longer), ErrorCode::kInvalidToken);
  EXPECT_TRUE(sts.resolver.Resolve(s.key, s.token).has_value());
  EXPECT_EQ(sts.resolver.cached_sessions(), 1u);
}

TEST(SessionCredentialResolver, AnExpiredSessionIsExpiredEvenWhenCached) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts, {{"DurationSeconds", "900"}});
  ASSERT_TRUE(sts.resolver.Resolve(s.key, s.token).has_value());
  sts.clock.Advance(std::chrono::seconds(899));
  ASSERT_TRUE(sts.resolver.Resolve(s.key, s.token).has_value());
  sts.clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(ResolveError(sts, s.key, s.token), ErrorCode::kExpiredToken);
}

TEST(SessionCredentialResolver, DeletingTheRoleEndsItsSessions) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  ASSERT_TRUE(sts.resolver.Resolve(s.key, s.token).has_value());
  sts.roles.DeleteRole(kRoleArn);
  EXPECT_EQ(ResolveError(sts, s.key, s.token), ErrorCode::kInvalidToken);
}

TEST(SessionCredentialResolver, ARoleRecreatedUnderTheSameNameDoesNotReviveSessions) {
  StsFixture sts;
  Issued s = IssueRoleSession(sts);
  sts.PutRole(TrustJson(kUserArn), 3600, "AROARECREATEDROLE001");
  EXPECT_EQ(ResolveError(sts, s.key, s.token), ErrorCode::kInvalidToken);
}

TEST(SessionCredentialResolver, RequestsWithoutATokenGoToTheNextResolver) {
  StsFixture sts;
  EXPECT_EQ(ResolveError(sts, "AKIALONGTERMKEY00001", ""), ErrorCode::kInvalidAccessKeyId);
  MapResolver keys;
  sigv4::CredentialResolverChain chain({&keys, &sts.resolver});
  EXPECT_TRUE(chain.Resolve("AKIALONGTERMKEY00001", "").has_value());
  EXPECT_EQ(chain.Resolve("AKIAUNKNOWNKEY000001", "").error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST(SessionCredentialResolver, TokensOfARotatedKeyStayValidUntilTheyExpire) {
  StsFixture sts;
  Issued before = IssueRoleSession(sts);
  ASSERT_TRUE(sts.ring->Rotate(TestEpoch()).has_value());
  Issued after = IssueRoleSession(sts);
  SessionCredentialResolver fresh(*sts.codec, sts.clock, &sts.roles);  // nothing cached
  EXPECT_TRUE(fresh.Resolve(before.key, before.token).has_value());
  EXPECT_TRUE(fresh.Resolve(after.key, after.token).has_value());
  EXPECT_NE(before.token.substr(0, 8), after.token.substr(0, 8));  // version + key id differ
}

TEST(SessionCredentialResolver, GetSessionTokenSessionsKeepTheCallersIdentity) {
  StsFixture sts;
  auto r = sts.Call(UserPrincipal(), "GetSessionToken", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto p = sts.SessionOf(*r);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type, PrincipalType::kUser);
  EXPECT_EQ(p->arn, kUserArn);
  EXPECT_EQ(p->user_name, "alice");
  EXPECT_EQ(p->user_id, "AIDAALICEUSER0000001");
  ASSERT_TRUE(p->session.has_value());
  EXPECT_EQ(p->session->role_arn, "");

  auto root = sts.SessionOf(*sts.Call(RootPrincipal(), "GetSessionToken", {}));
  EXPECT_TRUE(root->IsRoot());
  EXPECT_EQ(root->user_id, kAccount);
}

TEST(SessionCache, EvictsTheLeastRecentlyUsedEntryOfAShard) {
  SessionCache cache(16);  // one entry per shard
  auto entry = std::make_shared<CachedSession>();
  std::string a(32, '\x01'), b(32, '\x01');
  b[1] = 2;  // same shard (first byte), different digest
  cache.Put(a, entry);
  EXPECT_NE(cache.Get(a), nullptr);
  cache.Put(b, entry);
  EXPECT_EQ(cache.Get(a), nullptr);
  EXPECT_NE(cache.Get(b), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace kura::sts::testing
