// The evaluation table: whole requests through Authorize, with AWS documentation examples where
// they exist (IAM User Guide "Example policies", "Policy evaluation logic", S3 bucket policy
// examples). One account, 111122223333; alice and bob are IAM users; "session" is
// arn:aws:sts::111122223333:assumed-role/Reader/app (tag team=blue, issued 2020-09-13T12:26:40Z).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "policy/context_keys.h"
#include "policy_test_support.h"

namespace kura::policy {
namespace {

using Values = std::vector<std::pair<std::string, std::vector<std::string>>>;
enum class Who { kAlice, kBob, kSession, kRoot, kAnonymous };

struct EvalCase {
  const char* name;
  std::vector<const char*> identity = {};
  const char* bucket_policy = nullptr;
  const char* boundary = nullptr;
  std::vector<const char*> session = {};
  Who who = Who::kAlice;
  const char* action = "s3:GetObject";
  const char* resource = "arn:aws:s3:::bucket/key";
  Values context = {};
  Decision expected = Decision::kAllow;
};

void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.name; }

Principal PrincipalFor(Who who) {
  switch (who) {
    case Who::kAlice: return testing::User("alice");
    case Who::kBob: return testing::User("bob");
    case Who::kSession: return testing::RoleSession();
    case Who::kRoot: return testing::Root();
    case Who::kAnonymous: break;
  }
  return testing::Anonymous();
}

class AuthorizeTable : public ::testing::TestWithParam<EvalCase> {};

TEST_P(AuthorizeTable, DecidesAsAwsDocuments) {
  const EvalCase& c = GetParam();
  std::vector<std::shared_ptr<const CompiledPolicy>> keep;
  auto parse = [&](const char* json, PolicyKind kind) -> const CompiledPolicy* {
    if (json == nullptr) return nullptr;
    keep.push_back(testing::MustParse(json, kind, "policy" + std::to_string(keep.size())));
    return keep.back().get();
  };
  AuthorizationInput input;
  for (const char* j : c.identity) input.identity_policies.push_back(parse(j, PolicyKind::kIdentity));
  input.resource_policy = parse(c.bucket_policy, PolicyKind::kResource);
  input.permissions_boundary = parse(c.boundary, PolicyKind::kIdentity);
  for (const char* j : c.session) input.session_policies.push_back(parse(j, PolicyKind::kSession));

  Principal principal = PrincipalFor(c.who);
  RequestFacts facts;
  facts.now = FromUnixSeconds(1'600'100'000);
  facts.secure_transport = true;
  facts.source_ip = "203.0.113.10";
  RequestContext context = BuildRequestContext(principal, facts);
  for (const auto& [k, v] : c.context) context.SetMulti(k, v);
  Request request{.action = c.action, .resource = c.resource, .principal = principal,
                  .context = context};
  AuthorizationResult result = Authorize(input, request);
  EXPECT_EQ(static_cast<int>(result.decision), static_cast<int>(c.expected)) << result.reason;
  if (result.decision == Decision::kExplicitDeny) {
    EXPECT_TRUE(result.decided_by.has_value());
  }
}

constexpr auto kAllow = Decision::kAllow;
constexpr auto kExplicitDeny = Decision::kExplicitDeny;
constexpr auto kImplicitDeny = Decision::kImplicitDeny;

#define POLICY(statements) "{\"Version\":\"2012-10-17\",\"Statement\":" statements "}"
constexpr char kAllowGet[] = POLICY(R"([{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}])");
constexpr char kAllowS3[] = POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})");
constexpr char kAllowSqs[] = POLICY(R"({"Effect":"Allow","Action":"sqs:*","Resource":"*"})");
// IAM User Guide: "Allows IAM users to access their own home directory in Amazon S3".
constexpr char kHomeFolder[] = POLICY(R"([
  {"Sid":"AllowListingOfUserFolder","Effect":"Allow","Action":"s3:ListBucket",
   "Resource":"arn:aws:s3:::amzn-s3-demo-bucket",
   "Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},
  {"Sid":"AllowAllS3ActionsInUserFolder","Effect":"Allow","Action":"s3:*",
   "Resource":"arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}])");
// IAM User Guide: "Allows MFA-authenticated IAM users to manage their own credentials" (core).
constexpr char kDenyAllButIamWithoutMfa[] = POLICY(R"([
  {"Effect":"Allow","Action":"*","Resource":"*"},
  {"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:*","sts:GetSessionToken"],
   "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}])");
// IAM User Guide: "Denies access to resources outside a bucket" (NotResource).
constexpr char kDenyOutsideHrBucket[] = POLICY(R"([
  {"Effect":"Allow","Action":"s3:*","Resource":"*"},
  {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}])");
// IAM User Guide: "Revoking IAM role temporary security credentials" (AWSRevokeOlderSessions).
constexpr char kRevokeBefore0914[] = POLICY(R"({"Effect":"Deny","Action":"*","Resource":"*",
  "Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-09-14T00:00:00Z"}}})");
constexpr char kRevokeBefore0901[] = POLICY(R"({"Effect":"Deny","Action":"*","Resource":"*",
  "Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-09-01T00:00:00Z"}}})");
// S3 User Guide: enforce encryption in transit (aws:SecureTransport).
constexpr char kBucketDenyInsecure[] = POLICY(R"({"Sid":"RestrictToTLSRequestsOnly","Effect":"Deny",
  "Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"],
  "Condition":{"Bool":{"aws:SecureTransport":"false"}}})");
// IAM User Guide: "Denies access to AWS based on the source IP".
constexpr char kDenyOutsideIps[] = POLICY(R"([{"Effect":"Allow","Action":"s3:*","Resource":"*"},
  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{
   "NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},
   "Bool":{"aws:ViaAWSService":"false"}}}])");
constexpr char kBucketGrantsBob[] = POLICY(R"({"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})");
constexpr char kBucketGrantsAccount[] = POLICY(R"({"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})");
constexpr char kBucketGrantsSession[] = POLICY(R"({"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Reader/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})");
constexpr char kBucketGrantsRole[] = POLICY(R"({"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::111122223333:role/Reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})");
constexpr char kBucketPublicRead[] = POLICY(R"({"Sid":"PublicRead","Effect":"Allow","Principal":"*",
  "Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::bucket/*"})");
constexpr char kBucketDenyDeleteToAll[] = POLICY(R"({"Effect":"Deny","Principal":{"AWS":"*"},
  "Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::bucket"})");
constexpr char kBucketDenyAllButBob[] = POLICY(R"({"Effect":"Deny","NotPrincipal":{"AWS":[
  "arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"*"})");
constexpr char kBucketDenyAllButBobArnOnly[] = POLICY(R"({"Effect":"Deny","NotPrincipal":{"AWS":
  "arn:aws:iam::111122223333:user/bob"},"Action":"s3:*","Resource":"*"})");
constexpr char kBucketDenyAllButSession[] = POLICY(R"({"Effect":"Deny","NotPrincipal":{"AWS":[
  "arn:aws:sts::111122223333:assumed-role/Reader/app","arn:aws:iam::111122223333:role/Reader",
  "111122223333"]},"Action":"s3:*","Resource":"*"})");

const EvalCase kCases[] = {
    {.name = "NoPolicyIsImplicitDeny", .expected = kImplicitDeny},
    {.name = "IdentityAllowGrants", .identity = {kAllowGet}},
    {.name = "AnyOfSeveralIdentityPoliciesSuffices", .identity = {kAllowSqs, kAllowGet}},
    {.name = "ActionIsCaseInsensitive", .identity = {POLICY(R"({"Effect":"Allow","Action":"S3:getobject","Resource":"*"})")}, .action = "s3:GetObject"},
    {.name = "ActionWildcardPrefix", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:Get*","Resource":"*"})")}, .action = "s3:GetObjectTagging"},
    {.name = "ActionWildcardDoesNotCrossServices", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})")}, .action = "sqs:SendMessage", .expected = kImplicitDeny},
    {.name = "ResourceIsCaseSensitive", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::Bucket/*"})")}, .expected = kImplicitDeny},
    {.name = "MidArnWildcardMatches", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*/private/*"})")}, .resource = "arn:aws:s3:::bucket/alice/private/a.txt"},
    {.name = "MidArnWildcardRejectsOtherPaths", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*/private/*"})")}, .resource = "arn:aws:s3:::bucket/alice/public/a.txt", .expected = kImplicitDeny},
    {.name = "ExplicitDenyBeatsAllowInAnotherPolicy", .identity = {kAllowS3, POLICY(R"({"Effect":"Deny","Action":"s3:GetObject","Resource":"*"})")}, .expected = kExplicitDeny},
    {.name = "DenyWithNotActionDeniesOtherActionsWithoutMfa", .identity = {kDenyAllButIamWithoutMfa}, .expected = kExplicitDeny},
    {.name = "DenyWithNotActionSparesListedActions", .identity = {kDenyAllButIamWithoutMfa}, .action = "iam:ListUsers", .resource = "*"},
    {.name = "DenyWithNotActionNotAppliedWithMfa", .identity = {kDenyAllButIamWithoutMfa}, .context = {{"aws:MultiFactorAuthPresent", {"true"}}}},
    {.name = "DenyNotResourceDeniesOutside", .identity = {kDenyOutsideHrBucket}, .resource = "arn:aws:s3:::OtherBucket/x", .expected = kExplicitDeny},
    {.name = "DenyNotResourceSparesListedResource", .identity = {kDenyOutsideHrBucket}, .resource = "arn:aws:s3:::HRBucket/Payroll/2020.csv"},
    {.name = "AllowNotResourceExcludesResource", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::bucket/secret/*"})")}, .resource = "arn:aws:s3:::bucket/secret/x", .expected = kImplicitDeny},
    {.name = "HomeFolderOwnObject", .identity = {kHomeFolder}, .resource = "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/notes.txt"},
    {.name = "HomeFolderOtherUsersObject", .identity = {kHomeFolder}, .resource = "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/notes.txt", .expected = kImplicitDeny},
    {.name = "HomeFolderListOwnPrefix", .identity = {kHomeFolder}, .action = "s3:ListBucket", .resource = "arn:aws:s3:::amzn-s3-demo-bucket", .context = {{"s3:prefix", {"home/alice/photos"}}}},
    {.name = "HomeFolderListRootPrefix", .identity = {kHomeFolder}, .action = "s3:ListBucket", .resource = "arn:aws:s3:::amzn-s3-demo-bucket", .context = {{"s3:prefix", {""}}}},
    {.name = "HomeFolderListOtherPrefix", .identity = {kHomeFolder}, .action = "s3:ListBucket", .resource = "arn:aws:s3:::amzn-s3-demo-bucket", .context = {{"s3:prefix", {"home/bob/"}}}, .expected = kImplicitDeny},
    {.name = "HomeFolderUnresolvableUsernameForSessions", .identity = {kHomeFolder}, .who = Who::kSession, .resource = "arn:aws:s3:::amzn-s3-demo-bucket/home//x", .expected = kImplicitDeny},
    {.name = "PrincipalTagVariableInResource", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"})")}, .who = Who::kSession, .resource = "arn:aws:s3:::bucket/blue/x"},
    {.name = "VariableNotSubstitutedWithoutVersion", .identity = {R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}})"}, .resource = "arn:aws:s3:::bucket/alice/x", .expected = kImplicitDeny},
    {.name = "BoundaryLimitsIdentityAllow", .identity = {kAllowS3}, .boundary = kAllowGet, .action = "s3:PutObject", .expected = kImplicitDeny},
    {.name = "BoundaryAndIdentityBothAllow", .identity = {kAllowS3}, .boundary = kAllowGet},
    {.name = "BoundaryAloneGrantsNothing", .boundary = kAllowS3, .expected = kImplicitDeny},
    {.name = "BoundaryExplicitDeny", .identity = {kAllowS3}, .boundary = POLICY(R"([{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}])"), .expected = kExplicitDeny},
    {.name = "SessionPolicyLimitsRolePolicy", .identity = {kAllowS3}, .session = {kAllowGet}, .who = Who::kSession, .action = "s3:PutObject", .expected = kImplicitDeny},
    {.name = "SessionPolicyAndRolePolicyBothAllow", .identity = {kAllowS3}, .session = {kAllowGet}, .who = Who::kSession},
    {.name = "SessionPolicyCannotExceedRolePolicy", .identity = {kAllowGet}, .session = {kAllowS3}, .who = Who::kSession, .action = "s3:PutObject", .expected = kImplicitDeny},
    {.name = "SessionPoliciesAreAUnion", .identity = {kAllowS3}, .session = {kAllowSqs, kAllowGet}, .who = Who::kSession},
    {.name = "SessionPolicyExplicitDeny", .identity = {kAllowS3}, .session = {POLICY(R"({"Effect":"Deny","Action":"s3:*","Resource":"*"})")}, .who = Who::kSession, .expected = kExplicitDeny},
    {.name = "BucketPolicyGrantsAnotherUserOfTheAccount", .bucket_policy = kBucketGrantsBob, .who = Who::kBob},
    {.name = "BucketPolicyGrantToBobIsNotForAlice", .bucket_policy = kBucketGrantsBob, .expected = kImplicitDeny},
    {.name = "BucketPolicyUserGrantIgnoresBoundary", .bucket_policy = kBucketGrantsBob, .boundary = kAllowSqs, .who = Who::kBob},
    {.name = "BucketPolicyAccountGrantNeedsIdentityAllow", .bucket_policy = kBucketGrantsAccount, .expected = kImplicitDeny},
    {.name = "BucketPolicyAccountGrantWithIdentityAllow", .identity = {kAllowGet}, .bucket_policy = kBucketGrantsAccount},
    {.name = "BucketPolicySessionGrantIgnoresSessionPolicy", .bucket_policy = kBucketGrantsSession, .session = {kAllowSqs}, .who = Who::kSession},
    {.name = "BucketPolicySessionGrantIgnoresBoundary", .bucket_policy = kBucketGrantsSession, .boundary = kAllowSqs, .who = Who::kSession},
    {.name = "BucketPolicyRoleGrantWithoutRolePolicy", .bucket_policy = kBucketGrantsRole, .who = Who::kSession},
    {.name = "BucketPolicyRoleGrantIsSubjectToSessionPolicy", .bucket_policy = kBucketGrantsRole, .session = {kAllowSqs}, .who = Who::kSession, .expected = kImplicitDeny},
    {.name = "BucketPolicyRoleGrantWithAllowingSessionPolicy", .bucket_policy = kBucketGrantsRole, .session = {kAllowGet}, .who = Who::kSession},
    {.name = "BucketPolicyRoleGrantIsSubjectToBoundary", .bucket_policy = kBucketGrantsRole, .boundary = kAllowSqs, .who = Who::kSession, .expected = kImplicitDeny},
    {.name = "BucketPolicyExplicitDenyBeatsIdentityAllow", .identity = {kAllowS3}, .bucket_policy = kBucketDenyDeleteToAll, .action = "s3:DeleteBucket", .resource = "arn:aws:s3:::bucket", .expected = kExplicitDeny},
    {.name = "RootIsAllowedWithoutPolicies", .who = Who::kRoot, .action = "s3:DeleteBucket", .resource = "arn:aws:s3:::bucket"},
    {.name = "ExplicitDenyInBucketPolicyBeatsRoot", .bucket_policy = kBucketDenyDeleteToAll, .who = Who::kRoot, .action = "s3:DeleteBucket", .resource = "arn:aws:s3:::bucket", .expected = kExplicitDeny},
    {.name = "RootIsNotBoundByIdentityPolicies", .identity = {POLICY(R"({"Effect":"Deny","Action":"*","Resource":"*"})")}, .who = Who::kRoot},
    {.name = "AnonymousPublicRead", .bucket_policy = kBucketPublicRead, .who = Who::kAnonymous},
    {.name = "AnonymousPublicReadDoesNotAllowWrite", .bucket_policy = kBucketPublicRead, .who = Who::kAnonymous, .action = "s3:PutObject", .expected = kImplicitDeny},
    {.name = "AnonymousIsNotAnAccountPrincipal", .bucket_policy = kBucketGrantsAccount, .who = Who::kAnonymous, .expected = kImplicitDeny},
    {.name = "PublicReadReachesUsersWithoutIdentityAllow", .bucket_policy = kBucketPublicRead, .who = Who::kBob},
    {.name = "RevokeOlderSessionsDeniesEarlierToken", .identity = {kAllowS3, kRevokeBefore0914}, .who = Who::kSession, .expected = kExplicitDeny},
    {.name = "RevokeOlderSessionsSparesNewerToken", .identity = {kAllowS3, kRevokeBefore0901}, .who = Who::kSession},
    {.name = "RevokeOlderSessionsSparesLongTermKeys", .identity = {kAllowS3, kRevokeBefore0914}},
    {.name = "SecureTransportDenyOnPlainHttp", .identity = {kAllowS3}, .bucket_policy = kBucketDenyInsecure, .context = {{"aws:SecureTransport", {"false"}}}, .expected = kExplicitDeny},
    {.name = "SecureTransportDenyPassesOverTls", .identity = {kAllowS3}, .bucket_policy = kBucketDenyInsecure},
    {.name = "SourceIpDenyOutsideRanges", .identity = {kDenyOutsideIps}, .context = {{"aws:SourceIp", {"198.51.100.1"}}}, .expected = kExplicitDeny},
    {.name = "SourceIpDenyInsideRange", .identity = {kDenyOutsideIps}},
    {.name = "SourceIpV6OutsideV4Ranges", .identity = {kDenyOutsideIps}, .context = {{"aws:SourceIp", {"2001:db8::1"}}}, .expected = kExplicitDeny},
    {.name = "NotPrincipalDenySparesListedUserAndAccount", .identity = {kAllowS3}, .bucket_policy = kBucketDenyAllButBob, .who = Who::kBob},
    {.name = "NotPrincipalDenyHitsOthers", .identity = {kAllowS3}, .bucket_policy = kBucketDenyAllButBob, .expected = kExplicitDeny},
    {.name = "NotPrincipalWithoutAccountStillDeniesTheUser", .identity = {kAllowS3}, .bucket_policy = kBucketDenyAllButBobArnOnly, .who = Who::kBob, .expected = kExplicitDeny},
    {.name = "NotPrincipalSessionListedWithRoleAndAccount", .identity = {kAllowS3}, .bucket_policy = kBucketDenyAllButSession, .who = Who::kSession},
    {.name = "NotPrincipalSessionListedWithoutRoleDenies", .identity = {kAllowS3}, .bucket_policy = kBucketDenyAllButBob, .who = Who::kSession, .expected = kExplicitDeny},
    {.name = "PrincipalTypeCondition", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"AssumedRole","aws:PrincipalArn":"arn:aws:iam::111122223333:role/Reader"}}})")}, .who = Who::kSession},
    {.name = "ConditionOnMultipleKeysAllMustHold", .identity = {POLICY(R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice","aws:PrincipalType":"AssumedRole"}}})")}, .expected = kImplicitDeny},
};

INSTANTIATE_TEST_SUITE_P(Requests, AuthorizeTable, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Authorize, ReportsWhichStatementDecided) {
  auto identity = testing::MustParse(
      POLICY(R"([{"Sid":"Reads","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
                 {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket/secret/*"}])"),
      PolicyKind::kIdentity, "arn:aws:iam::111122223333:policy/readers");
  Principal alice = testing::User("alice");
  RequestContext context;
  AuthorizationInput input{.identity_policies = {identity.get()}};
  Request get{.action = "s3:GetObject", .resource = "arn:aws:s3:::bucket/a", .principal = alice,
              .context = context};
  AuthorizationResult allowed = Authorize(input, get);
  ASSERT_EQ(allowed.decision, Decision::kAllow);
  EXPECT_EQ(*allowed.decided_by,
            (MatchedStatement{"arn:aws:iam::111122223333:policy/readers", "Reads", 0}));
  Request secret{.action = "s3:GetObject", .resource = "arn:aws:s3:::bucket/secret/a",
                 .principal = alice, .context = context};
  AuthorizationResult denied = Authorize(input, secret);
  ASSERT_EQ(denied.decision, Decision::kExplicitDeny);
  EXPECT_EQ(denied.decided_by->sid, "NoSecrets");
  EXPECT_EQ(denied.decided_by->index, 1u);
  EXPECT_EQ(denied.reason, "with an explicit deny in a identity-based policy");
  Request put{.action = "s3:PutObject", .resource = "arn:aws:s3:::bucket/a", .principal = alice,
              .context = context};
  EXPECT_EQ(Authorize(input, put).reason,
            "because no identity-based policy allows the s3:PutObject action");
}

TEST(Authorize, TrustPolicyMustAllowEvenForRoot) {
  auto trust = testing::MustParse(
      POLICY(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"})"),
      PolicyKind::kTrust, "trust:Reader");
  RequestContext context;
  Principal root = testing::Root();
  Principal bob = testing::User("bob");
  Principal alice = testing::User("alice");
  auto assume = [&](const Principal& p, std::vector<const CompiledPolicy*> identity) {
    AuthorizationInput input{.identity_policies = std::move(identity),
                             .resource_policy = trust.get()};
    Request r{.action = "sts:AssumeRole", .resource = testing::kRoleArn, .principal = p,
              .context = context};
    return Authorize(input, r).decision;
  };
  auto allow_all = testing::MustParse(POLICY(R"({"Effect":"Allow","Action":"*","Resource":"*"})"),
                                      PolicyKind::kIdentity);
  EXPECT_EQ(assume(bob, {}), Decision::kAllow);  // named directly: no identity allow needed
  EXPECT_EQ(assume(alice, {allow_all.get()}), Decision::kImplicitDeny);
  EXPECT_EQ(assume(root, {}), Decision::kImplicitDeny);
}

TEST(Authorize, TrustPolicyNamingTheAccountNeedsIdentityAllow) {
  auto trust = testing::MustParse(
      POLICY(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"})"),
      PolicyKind::kTrust, "trust:Reader");
  auto allow_assume = testing::MustParse(
      POLICY(R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/*"})"),
      PolicyKind::kIdentity);
  RequestContext context;
  Principal alice = testing::User("alice");
  Request r{.action = "sts:AssumeRole", .resource = testing::kRoleArn, .principal = alice,
            .context = context};
  EXPECT_EQ(Authorize({.resource_policy = trust.get()}, r).decision, Decision::kImplicitDeny);
  EXPECT_EQ(Authorize({.identity_policies = {allow_assume.get()}, .resource_policy = trust.get()}, r)
                .decision,
            Decision::kAllow);
}

TEST(Authorize, WebIdentityTrustMatchesTheFederatedProvider) {
  auto trust = testing::MustParse(
      POLICY(R"({"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/auth.example.com"},
        "Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringEquals":{"auth.example.com:aud":"my-app"}}})"),
      PolicyKind::kTrust, "trust:Web");
  Principal anonymous = testing::Anonymous();
  RequestContext context;
  context.Set("auth.example.com:aud", "my-app");
  Request r{.action = "sts:AssumeRoleWithWebIdentity", .resource = testing::kRoleArn,
            .principal = anonymous, .context = context,
            .federated_provider = "arn:aws:iam::111122223333:oidc-provider/auth.example.com"};
  EXPECT_EQ(Authorize({.resource_policy = trust.get()}, r).decision, Decision::kAllow);
  context.Set("auth.example.com:aud", "other-app");
  EXPECT_EQ(Authorize({.resource_policy = trust.get()}, r).decision, Decision::kImplicitDeny);
}

TEST(Evaluate, IgnoresPrincipalInIdentityPoliciesAndChecksItInResourcePolicies) {
  auto bucket = testing::MustParse(kBucketGrantsBob, PolicyKind::kResource);
  Principal alice = testing::User("alice");
  Principal bob = testing::User("bob");
  RequestContext context;
  Request as_alice{.action = "s3:GetObject", .resource = "arn:aws:s3:::bucket/k", .principal = alice,
                   .context = context};
  Request as_bob{.action = "s3:GetObject", .resource = "arn:aws:s3:::bucket/k", .principal = bob,
                 .context = context};
  EXPECT_EQ(Evaluate(*bucket, as_alice).effect, Effect::kNotApplicable);
  EXPECT_EQ(Evaluate(*bucket, as_bob).effect, Effect::kAllow);
}

}  // namespace
}  // namespace kura::policy
