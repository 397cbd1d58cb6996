#include "iam/iam_authorizer.h"

#include <gtest/gtest.h>

#include "iam_test_support.h"
#include "policy/arn.h"
#include "policy/resolved_identity.h"

namespace kura::iam {
namespace {
using namespace testing;

constexpr const char* kObject = "arn:aws:s3:::bucket/key";

Principal UserP(const User& u) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account_id = kAccount;
  p.arn = u.arn;
  p.user_id = u.id;
  p.user_name = u.name;
  return p;
}

Principal SessionP(const Role& r) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account_id = kAccount;
  p.arn = policy::AssumedRoleSessionArn(kAccount, r.name, "s1");
  p.user_id = r.id + ":s1";
  SessionInfo s;
  s.role_arn = r.arn;
  s.role_id = r.id;
  s.role_name = r.name;
  s.session_name = "s1";
  p.session = s;
  return p;
}

Principal RootP() {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account_id = kAccount;
  p.arn = policy::AccountRootArn(kAccount);
  p.user_id = kAccount;
  return p;
}

class IamAuthorizerTest : public ::testing::Test {
 protected:
  IamAuthorizerTest() : source_(IdentityState{}), clock_(TimePoint(std::chrono::seconds(1700000000))) {}

  // `bucket_policy`, when given, is every bucket's policy.
  IamAuthorizer Make(std::shared_ptr<const policy::CompiledPolicy> bucket_policy = nullptr) {
    bucket_policies_.policy = std::move(bucket_policy);
    return IamAuthorizer(source_, clock_, "us-east-1",
                         bucket_policies_.policy ? &bucket_policies_ : nullptr, acls_);
  }
  void Publish() { source_.Set(state_); }

  IdentityState state_;
  FixedSource source_;
  FakeClock clock_;
  struct OnePolicy final : policy::ResourcePolicySource {
    policy::ResourcePolicy ForBucket(std::string_view) override {
      return {policy, restrict_public, kAccount};
    }
    std::shared_ptr<const policy::CompiledPolicy> policy;
    bool restrict_public = false;
  } bucket_policies_;
  policy::RequestAttributes facts_;
  // An ACL that grants `granted` to everyone, counting how often it is asked.
  struct FakeAcls final : policy::AccessControlSource {
    bool AclGrants(const Principal&, std::string_view action, std::string_view,
                   const policy::RequestAttributes&) const override {
      ++asked;
      return action == granted;
    }
    std::string granted = "s3:GetObject";
    mutable int asked = 0;
  } fake_acls_;
  const policy::AccessControlSource* acls_ = nullptr;
};

TEST_F(IamAuthorizerTest, DeniesAUserWithoutPoliciesWithAwsWording) {
  auto u = MakeUser("alice");
  state_.users["alice"] = u;
  Publish();
  auto r = Make().Authorize(UserP(*u), "s3:GetObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(r.error().message,
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: "
            "s3:GetObject on resource: arn:aws:s3:::bucket/key because no identity-based policy "
            "allows the s3:GetObject action");
}

TEST_F(IamAuthorizerTest, AllowsByInlineAttachedOrGroupPolicy) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("p", Allow("s3:GetObject", "arn:aws:s3:::bucket/*")));
  auto managed = MakePolicy("put", Allow("s3:PutObject", "*"));
  u->attached_policy_arns.push_back(managed->arn);
  auto g = std::make_shared<Group>();
  g->name = "g";
  g->inline_policies.push_back(Inline("gp", Allow("s3:DeleteObject", "*")));
  u->groups.push_back("g");
  state_.users["alice"] = u;
  state_.policies["put"] = managed;
  state_.groups["g"] = g;
  Publish();
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:GetObject", kObject, facts_));
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:PutObject", kObject, facts_));
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:DeleteObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(UserP(*u), "s3:GetObject", "arn:aws:s3:::other/key", facts_));
}

TEST_F(IamAuthorizerTest, BoundaryCapsIdentityPolicies) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("all", Allow("*", "*")));
  auto boundary = MakePolicy("b", Allow("s3:GetObject", "*"));
  u->boundary_arn = boundary->arn;
  state_.users["alice"] = u;
  state_.policies["b"] = boundary;
  Publish();
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:GetObject", kObject, facts_));
  auto r = auth.Authorize(UserP(*u), "s3:PutObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("permissions boundary"), std::string::npos);
}

TEST_F(IamAuthorizerTest, ExplicitDenyWins) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("all", Allow("s3:*", "*")));
  u->inline_policies.push_back(Inline("no", Deny("s3:DeleteObject", "*")));
  state_.users["alice"] = u;
  Publish();
  auto r = Make().Authorize(UserP(*u), "s3:DeleteObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("with an explicit deny in a identity-based policy"),
            std::string::npos);
}

TEST_F(IamAuthorizerTest, DeniesAUserThatNoLongerExists) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("all", Allow("*", "*")));
  Publish();  // alice is not in the state
  EXPECT_FALSE(Make().Authorize(UserP(*u), "s3:GetObject", kObject, facts_));
}

TEST_F(IamAuthorizerTest, RootIsAllowedUnlessABucketPolicyDenies) {
  Publish();
  auto bucket_policy = policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]})",
      policy::PolicyKind::kResource, "bucket");
  ASSERT_TRUE(bucket_policy.has_value());
  auto auth = Make(*bucket_policy);
  facts_.bucket = "bucket";
  EXPECT_TRUE(auth.Authorize(RootP(), "s3:GetObject", kObject, facts_));
  auto r = auth.Authorize(RootP(), "s3:DeleteObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("arn:aws:iam::111122223333:root"), std::string::npos);
}

TEST_F(IamAuthorizerTest, RootIsDeniedByABucketPolicyConditionOnTheRequest) {
  Publish();
  auto bucket_policy = policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
        "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})",
      policy::PolicyKind::kResource, "bucket");
  ASSERT_TRUE(bucket_policy.has_value());
  auto auth = Make(*bucket_policy);
  facts_.bucket = "bucket";
  facts_.secure_transport = false;
  EXPECT_FALSE(auth.Authorize(RootP(), "s3:GetObject", kObject, facts_));
  facts_.secure_transport = true;
  EXPECT_TRUE(auth.Authorize(RootP(), "s3:GetObject", kObject, facts_));
  // Without a bucket policy nothing can deny the root.
  facts_.secure_transport = false;
  EXPECT_TRUE(Make().Authorize(RootP(), "s3:GetObject", kObject, facts_));
}

TEST_F(IamAuthorizerTest, ResourceVariablesSeeThePrincipal) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline(
      "p", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]})"));
  state_.users["alice"] = u;
  Publish();
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:GetObject", "arn:aws:s3:::bucket/alice/a", facts_));
  EXPECT_FALSE(auth.Authorize(UserP(*u), "s3:GetObject", "arn:aws:s3:::bucket/bob/a", facts_));
}

TEST_F(IamAuthorizerTest, AnonymousIsAllowedOnlyByABucketPolicy) {
  Publish();
  auto bucket_policy = policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]})",
      policy::PolicyKind::kResource, "bucket");
  Principal anonymous;
  EXPECT_FALSE(Make().Authorize(anonymous, "s3:GetObject", kObject, facts_));
  auto auth = Make(*bucket_policy);
  facts_.bucket = "bucket";
  EXPECT_TRUE(auth.Authorize(anonymous, "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(anonymous, "s3:PutObject", kObject, facts_));
}

TEST_F(IamAuthorizerTest, SessionsUseTheRolesCurrentPoliciesAndDieWithTheRole) {
  auto role = MakeRole("app");
  role->inline_policies.push_back(Inline("p", Allow("s3:GetObject", "*")));
  state_.roles["app"] = role;
  Publish();
  auto auth = Make();
  Principal session = SessionP(*role);
  EXPECT_TRUE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(session, "s3:PutObject", kObject, facts_));
  // A policy change applies to the live session at once.
  auto changed = std::make_shared<Role>(*role);
  changed->inline_policies.clear();
  state_.roles["app"] = changed;
  Publish();
  EXPECT_FALSE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
  // A deleted role denies.
  state_.roles.clear();
  Publish();
  EXPECT_FALSE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
}

TEST_F(IamAuthorizerTest, SessionPoliciesIntersectAndAMissingPolicyArnAllowsNothing) {
  auto role = MakeRole("app");
  role->inline_policies.push_back(Inline("p", Allow("s3:*", "*")));
  auto managed = MakePolicy("readonly", Allow("s3:GetObject", "*"));
  state_.roles["app"] = role;
  state_.policies["readonly"] = managed;
  Publish();
  auto auth = Make();
  Principal session = SessionP(*role);
  session.session->session_policy_arns.push_back(managed->arn);
  EXPECT_TRUE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
  auto r = auth.Authorize(session, "s3:PutObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("session policy"), std::string::npos);
  state_.policies.clear();
  Publish();
  EXPECT_FALSE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
}

TEST_F(IamAuthorizerTest, SessionInlinePolicyIntersects) {
  auto role = MakeRole("app");
  role->inline_policies.push_back(Inline("p", Allow("s3:*", "*")));
  state_.roles["app"] = role;
  Publish();
  Principal session = SessionP(*role);
  session.session->has_session_policy = true;
  auto inline_policy = Compile(Allow("s3:PutObject", "*"), "session");
  auto role_policy = Compile(Allow("s3:*", "*"), "role");
  const policy::CompiledPolicy* identity[] = {role_policy.get()};
  policy::ResolvedIdentity resolved;
  resolved.principal = &session;
  resolved.identity = identity;
  resolved.session_policies = {inline_policy.get()};
  policy::RequestAttributes facts = facts_;
  facts.grants = &resolved;
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(session, "s3:PutObject", kObject, facts));
  EXPECT_FALSE(auth.Authorize(session, "s3:GetObject", kObject, facts));
  // Without what its credential resolution found, the inline policy is not at hand: deny.
  EXPECT_FALSE(auth.Authorize(session, "s3:PutObject", kObject, facts_));
}

// The role session's policies come from its credential resolution (one role lookup per
// request), not from another lookup: the snapshot's role is not consulted.
TEST_F(IamAuthorizerTest, RoleSessionUsesResolvedPolicies) {
  auto role = MakeRole("app");
  state_.roles["app"] = role;  // no policies in the snapshot
  Publish();
  Principal session = SessionP(*role);
  auto role_policy = Compile(Allow("s3:GetObject", "*"), "role");
  const policy::CompiledPolicy* identity[] = {role_policy.get()};
  policy::ResolvedIdentity resolved;
  resolved.principal = &session;
  resolved.identity = identity;
  policy::RequestAttributes facts = facts_;
  facts.grants = &resolved;
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(session, "s3:GetObject", kObject, facts));
  EXPECT_FALSE(auth.Authorize(session, "s3:GetObject", kObject, facts_));
  // Grants resolved for another principal are ignored.
  Principal other = SessionP(*role);
  EXPECT_FALSE(auth.Authorize(other, "s3:GetObject", kObject, facts));
}

TEST_F(IamAuthorizerTest, ConditionsSeeS3KeysAndPrincipalTags) {
  auto u = MakeUser("alice");
  u->tags.push_back(Tag{"team", "blue"});
  u->inline_policies.push_back(Inline(
      "p", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
        "Condition":{"StringLike":{"s3:prefix":"${aws:username}/*"},"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]})"));
  state_.users["alice"] = u;
  Publish();
  auto auth = Make();
  facts_.prefix = "alice/docs";
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:ListBucket", "arn:aws:s3:::bucket", facts_));
  facts_.prefix = "bob/docs";
  EXPECT_FALSE(auth.Authorize(UserP(*u), "s3:ListBucket", "arn:aws:s3:::bucket", facts_));
}

TEST_F(IamAuthorizerTest, ExplainNamesTheDecidingStatement) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("p", Allow("s3:GetObject", "*")));
  state_.users["alice"] = u;
  Publish();
  Explanation e = Make().Explain(UserP(*u), "s3:GetObject", kObject, facts_);
  EXPECT_EQ(e.result.decision, policy::Decision::kAllow);
  ASSERT_TRUE(e.result.decided_by.has_value());
  EXPECT_EQ(e.result.decided_by->policy_id, "p");
}

// ACLs are asked only when the policies deny implicitly: never on the allowed path (so an
// allowed GET costs nothing more) and never after an explicit Deny.
TEST_F(IamAuthorizerTest, AclsAreAskedOnlyAfterAnImplicitDeny) {
  auto u = MakeUser("alice");
  u->inline_policies.push_back(Inline("put", Allow("s3:PutObject", "*")));
  u->inline_policies.push_back(Inline("no", Deny("s3:GetObject", "arn:aws:s3:::bucket/secret")));
  state_.users["alice"] = u;
  Publish();
  acls_ = &fake_acls_;
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:PutObject", kObject, facts_));
  EXPECT_TRUE(auth.Authorize(RootP(), "s3:GetObject", kObject, facts_));
  EXPECT_EQ(fake_acls_.asked, 0);
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:GetObject", kObject, facts_));  // the ACL grants
  EXPECT_EQ(fake_acls_.asked, 1);
  EXPECT_FALSE(auth.Authorize(UserP(*u), "s3:GetObject", "arn:aws:s3:::bucket/secret", facts_));
  EXPECT_EQ(fake_acls_.asked, 1);
  Principal anonymous;
  EXPECT_TRUE(auth.Authorize(anonymous, "s3:GetObject", kObject, facts_));
  auto r = auth.Authorize(anonymous, "s3:DeleteObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
}

TEST_F(IamAuthorizerTest, AUserThatNoLongerExistsGetsNothingFromAnAcl) {
  auto u = MakeUser("alice");
  Publish();  // alice is not in the state
  acls_ = &fake_acls_;
  EXPECT_FALSE(Make().Authorize(UserP(*u), "s3:GetObject", kObject, facts_));
  EXPECT_EQ(fake_acls_.asked, 0);
}

// RestrictPublicBuckets on a public bucket policy: anonymous callers lose what only the policy
// gave them; the account's users keep it.
TEST_F(IamAuthorizerTest, ARestrictedPublicPolicyGrantsOnlyTheAccount) {
  auto u = MakeUser("alice");
  state_.users["alice"] = u;
  state_.account_id = kAccount;
  Publish();
  auto bucket_policy = policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]})",
      policy::PolicyKind::kResource, "bucket");
  ASSERT_TRUE(bucket_policy.has_value());
  auto auth = Make(*bucket_policy);
  bucket_policies_.restrict_public = true;
  facts_.bucket = "bucket";
  Principal anonymous;
  EXPECT_FALSE(auth.Authorize(anonymous, "s3:GetObject", kObject, facts_));
  EXPECT_TRUE(auth.Authorize(UserP(*u), "s3:GetObject", kObject, facts_));
  bucket_policies_.restrict_public = false;
  EXPECT_TRUE(auth.Authorize(anonymous, "s3:GetObject", kObject, facts_));
}

// --- accounts (#15): kAccount owns the bucket, principals of kOther ask ---

constexpr const char* kOther = "444455556666";
constexpr const char* kOtherBucket = "arn:aws:s3:::bucket";

Principal OtherRoot() {
  Principal p = RootP();
  p.account_id = kOther;
  p.arn = policy::AccountRootArn(kOther);
  p.user_id = kOther;
  return p;
}

Principal OtherUser(const User& u) {
  Principal p = UserP(u);
  p.account_id = kOther;
  return p;
}

// Two accounts: kAccount owns "bucket"; kOther's root and user "bob" ask for it.
class CrossAccountTest : public ::testing::Test {
 protected:
  CrossAccountTest() : clock_(TimePoint(std::chrono::seconds(1700000000))) {
    bob_ = MakeUser("bob");
    bob_->arn = IamArn(kOther, "user", "/", "bob");
    facts_.bucket = "bucket";
  }

  // Publishes both accounts (kOther closed when `other_closed`) and bob with `bob_policy`.
  void Publish(const std::string& bob_policy = "", bool owner_closed = false) {
    IdentityState owner;
    owner.account_id = kAccount;
    AccountInfo owner_info = ManagementAccount();
    if (owner_closed) owner_info.status = AccountStatus::kSuspended;
    owner.account = std::make_shared<const AccountInfo>(owner_info);
    IdentityState other;
    other.account_id = kOther;
    other.account = std::make_shared<const AccountInfo>(AccountInfo{.id = kOther, .name = "other"});
    if (!bob_policy.empty()) bob_->inline_policies = {Inline("p", bob_policy)};
    other.users["bob"] = bob_;
    source_.directory = std::make_shared<const IdentityDirectory>(
        kAccount, std::map<std::string, std::shared_ptr<const IdentitySnapshot>>{
                      {kAccount, std::make_shared<const IdentitySnapshot>(std::move(owner))},
                      {kOther, std::make_shared<const IdentitySnapshot>(std::move(other))}});
  }

  IamAuthorizer Make(const std::string& bucket_policy_json = "") {
    bucket_.policy = nullptr;
    if (!bucket_policy_json.empty()) {
      auto parsed = policy::ParsePolicy(bucket_policy_json, policy::PolicyKind::kResource,
                                        "arn:aws:s3:::bucket", kAccount);
      EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
      if (parsed) bucket_.policy = *parsed;
    }
    return IamAuthorizer(source_, clock_, "us-east-1", &bucket_, acls_);
  }

  static std::string BucketPolicy(const std::string& effect, const std::string& principal,
                                  const std::string& condition = "") {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":")" + effect +
           R"(","Principal":)" + principal +
           R"(,"Action":"s3:*","Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"])" +
           (condition.empty() ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  struct TwoAccounts final : IdentitySource {
    std::shared_ptr<const IdentityDirectory> Directory() const override { return directory; }
    std::shared_ptr<const IdentityDirectory> directory;
  } source_;
  struct OwnedBucket final : policy::ResourcePolicySource {
    policy::ResourcePolicy ForBucket(std::string_view name) override {
      if (name != "bucket") return {};
      return {policy, restrict_public, kAccount};
    }
    std::shared_ptr<const policy::CompiledPolicy> policy;
    bool restrict_public = false;
  } bucket_;
  // Grants s3:GetObject to the account kOther (its canonical id), as an ACL would.
  struct AccountGrant final : policy::AccessControlSource {
    bool AclGrants(const Principal& principal, std::string_view action, std::string_view,
                   const policy::RequestAttributes&) const override {
      return principal.IsRoot() && principal.account_id == kOther && action == "s3:GetObject";
    }
  } account_grant_;
  const policy::AccessControlSource* acls_ = nullptr;
  FakeClock clock_;
  std::shared_ptr<User> bob_;
  policy::RequestAttributes facts_;
};

TEST_F(CrossAccountTest, WithoutABucketPolicyNotEvenTheOtherRootGetsIn) {
  Publish(Allow("s3:*", "*"));
  auto auth = Make();
  auto r = auth.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  EXPECT_TRUE(auth.Authorize(RootP(), "s3:GetObject", kObject, facts_));  // the owner's root
}

TEST_F(CrossAccountTest, APolicyNamingTheAccountLetsItsRootInAndItsUsersOnlyWithTheirOwnAllow) {
  Publish();
  auto auth = Make(BucketPolicy("Allow", R"({"AWS":"arn:aws:iam::444455556666:root"})"));
  EXPECT_TRUE(auth.Authorize(OtherRoot(), "s3:PutObject", kObject, facts_));
  auto r = auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("identity-based policy"), std::string::npos);
  Publish(Allow("s3:GetObject", "arn:aws:s3:::bucket/*"));
  EXPECT_TRUE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:PutObject", kObject, facts_));
}

TEST_F(CrossAccountTest, APolicyNamingTheUserStillNeedsTheUsersOwnAllow) {
  Publish();
  auto auth = Make(BucketPolicy("Allow", R"({"AWS":"arn:aws:iam::444455556666:user/bob"})"));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  Publish(Allow("s3:*", "*"));
  EXPECT_TRUE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
}

TEST_F(CrossAccountTest, AnExplicitDenyInTheBucketPolicyDeniesTheOtherRoot) {
  Publish();
  std::string json =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"},)"
      R"({"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"}]})";
  auto auth = Make(json);
  EXPECT_TRUE(auth.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
  auto r = auth.Authorize(OtherRoot(), "s3:DeleteObject", kObject, facts_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("explicit deny"), std::string::npos);
}

TEST_F(CrossAccountTest, AnIdentityDenyOfTheUsersAccountWins) {
  Publish(Deny("s3:*", "*"));
  auto auth = Make(BucketPolicy("Allow", R"("*")"));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
}

// An empty account field in the bucket policy names the bucket owner's account, not the caller's.
TEST_F(CrossAccountTest, AnEmptyAccountInTheBucketPolicyNamesTheOwnersUser) {
  Publish(Allow("s3:*", "*"));
  auto auth = Make(BucketPolicy("Allow", R"({"AWS":"arn:aws:iam:::user/bob"})"));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  ASSERT_NE(bucket_.policy, nullptr);
  EXPECT_EQ(bucket_.policy->statements()[0].principal.arns[0], "arn:aws:iam::111122223333:user/bob");
}

TEST_F(CrossAccountTest, AnAclGrantToTheAccountNeedsTheUsersOwnAllowToo) {
  Publish();
  acls_ = &account_grant_;
  auto auth = Make();
  EXPECT_TRUE(auth.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  Publish(Allow("s3:GetObject", "*"));
  EXPECT_TRUE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:PutObject", kObject, facts_));
}

TEST_F(CrossAccountTest, AClosedAccountsBucketAnswersAllAccessDisabledToEveryoneElse) {
  Publish(Allow("s3:*", "*"), /*owner_closed=*/true);
  auto auth = Make(BucketPolicy("Allow", R"("*")"));
  for (const Principal& p : {OtherRoot(), OtherUser(*bob_), Principal{}}) {
    auto r = auth.Authorize(p, "s3:GetObject", kObject, facts_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kAllAccessDisabled);
  }
}

// Bucket names are global: creating one another account holds is the store's BucketAlreadyExists,
// not a request on that account's bucket.
TEST_F(CrossAccountTest, CreateBucketOfANameAnotherAccountHoldsIsNotDeniedHere) {
  Publish();
  auto auth = Make(BucketPolicy("Deny", R"("*")"));
  EXPECT_TRUE(auth.Authorize(OtherRoot(), "s3:CreateBucket", kOtherBucket, facts_));
}

TEST_F(CrossAccountTest, ARestrictedPublicPolicyGrantsNothingToTheOtherAccount) {
  Publish(Allow("s3:*", "*"));
  auto auth = Make(BucketPolicy("Allow", R"("*")"));
  EXPECT_TRUE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  bucket_.restrict_public = true;
  EXPECT_FALSE(auth.Authorize(OtherUser(*bob_), "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(auth.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
}

TEST_F(CrossAccountTest, AccountConditionKeysNameBothAccountsAndTheOrganization) {
  Publish(Allow("s3:*", "*"));
  std::string org = policy::OrganizationId(kAccount);
  auto by_account = Make(BucketPolicy(
      "Allow", R"("*")", R"({"StringEquals":{"aws:PrincipalAccount":"444455556666","aws:ResourceAccount":"111122223333","s3:ResourceAccount":"111122223333"}})"));
  EXPECT_TRUE(by_account.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
  auto by_org = Make(BucketPolicy("Allow", R"("*")",
                                  R"({"StringEquals":{"aws:PrincipalOrgID":")" + org + R"("}})"));
  EXPECT_TRUE(by_org.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
  EXPECT_FALSE(by_org.Authorize(Principal{}, "s3:GetObject", kObject, facts_));  // anonymous
  auto other_org = Make(BucketPolicy("Allow", R"("*")",
                                     R"({"StringEquals":{"aws:PrincipalOrgID":"o-0000000000"}})"));
  EXPECT_FALSE(other_org.Authorize(OtherRoot(), "s3:GetObject", kObject, facts_));
}

}  // namespace
}  // namespace kura::iam
