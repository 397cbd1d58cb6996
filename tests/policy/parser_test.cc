// ParsePolicy: accepted shapes and IAM's rejection messages.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace kura::policy {
namespace {

struct ErrorCase {
  const char* name;
  PolicyKind kind;
  const char* json;
  const char* message_contains;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class ParserRejects : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserRejects, WithIamsMessage) {
  const ErrorCase& c = GetParam();
  auto parsed = ParsePolicy(c.json, c.kind, "p");
  ASSERT_FALSE(parsed.has_value()) << c.json;
  EXPECT_NE(parsed.error().message.find(c.message_contains), std::string::npos)
      << parsed.error().message;
  EXPECT_EQ(parsed.error().code, c.kind == PolicyKind::kResource ? ErrorCode::kMalformedPolicy
                                                                 : ErrorCode::kMalformedPolicyDocument);
}

constexpr PolicyKind kId = PolicyKind::kIdentity;
constexpr PolicyKind kRes = PolicyKind::kResource;
constexpr PolicyKind kTrust = PolicyKind::kTrust;

const ErrorCase kErrors[] = {
    {"NotJson", kId, "{", "Syntax errors in policy."},
    {"NotAnObject", kId, "[]", "Syntax errors in policy."},
    {"TrailingGarbage", kId, R"({"Statement":[]} x)", "Syntax errors in policy."},
    {"UnknownTopLevelElement", kId, R"({"Version":"2012-10-17","Statment":[]})", "Unknown field Statment"},
    {"BadVersion", kId, R"({"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})", "legacy parsing"},
    {"MissingStatement", kId, R"({"Version":"2012-10-17"})", "Missing required field Statement"},
    {"EmptyStatement", kId, R"({"Version":"2012-10-17","Statement":[]})", "Statement must not be empty"},
    {"StatementNotObject", kId, R"({"Statement":["x"]})", "Syntax errors in policy."},
    {"UnknownStatementElement", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}})", "Unknown field Foo"},
    {"MissingEffect", kId, R"({"Statement":{"Action":"s3:*","Resource":"*"}})", "Missing required field Effect"},
    {"BadEffect", kId, R"({"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}})", "Invalid effect: allow"},
    {"MissingAction", kId, R"({"Statement":{"Effect":"Allow","Resource":"*"}})", "Policy statement must contain actions."},
    {"ActionAndNotAction", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}})", "both Action and NotAction"},
    {"ActionWithoutVendor", kId, R"({"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}})", "must be prefaced by a vendor"},
    {"ActionWrongType", kId, R"({"Statement":{"Effect":"Allow","Action":7,"Resource":"*"}})", "Action must be a string"},
    {"MissingResource", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*"}})", "Policy statement must contain resources."},
    {"ResourceNotArn", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket/*"}})", "Resource bucket/* must be in ARN format or \"*\"."},
    {"PrincipalInIdentityPolicy", kId, R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}})", "Policy document should not specify a principal."},
    {"PrincipalInSessionPolicy", PolicyKind::kSession, R"({"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}})", "should not specify a principal"},
    {"BucketPolicyWithoutPrincipal", kRes, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})", "Missing required field Principal"},
    {"TrustPolicyWithoutPrincipal", kTrust, R"({"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}})", "Missing required field Principal"},
    {"TrustPolicyWithResource", kTrust, R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}})", "Has prohibited field Resource"},
    {"InvalidPrincipalValue", kRes, R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:*","Resource":"*"}})", "Invalid principal in policy: \"AWS\":\"bob\""},
    {"WildcardInsidePrincipalArn", kRes, R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"s3:*","Resource":"*"}})", "Invalid principal in policy"},
    {"UnknownPrincipalType", kRes, R"({"Statement":{"Effect":"Allow","Principal":{"Amazon":"x"},"Action":"s3:*","Resource":"*"}})", "Invalid principal in policy"},
    {"UnknownConditionOperator", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}})", "Invalid Condition type : StringEqualz"},
    {"NullIfExistsIsNotAnOperator", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}})", "Invalid Condition type : NullIfExists"},
    {"ConditionKeyWithoutVendor", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}})", "must be prefaced by a vendor"},
    {"ConditionValueObject", kId, R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}}})", "Condition values must be"},
    {"DuplicateSid", kId, R"({"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]})", "must be unique"},
    {"NonAlphanumericSidInIam", kId, R"({"Statement":{"Sid":"a b","Effect":"Allow","Action":"s3:*","Resource":"*"}})", "must be alpha-numeric"},
};

INSTANTIATE_TEST_SUITE_P(Documents, ParserRejects, ::testing::ValuesIn(kErrors),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ParsePolicy, AcceptsASingleStatementObjectAndStringsOrArrays) {
  auto parsed = ParsePolicy(
      R"({"Version":"2012-10-17","Id":"x","Statement":{"Sid":"One","Effect":"Allow",
          "Action":["s3:GetObject","s3:Put*"],"Resource":"arn:aws:s3:::b/*"}})",
      PolicyKind::kIdentity, "arn:aws:iam::111122223333:policy/p");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const CompiledPolicy& p = **parsed;
  EXPECT_EQ(p.policy_id(), "arn:aws:iam::111122223333:policy/p");
  EXPECT_EQ(p.version(), "2012-10-17");
  ASSERT_EQ(p.statements().size(), 1u);
  EXPECT_EQ(p.statements()[0].sid, "One");
  EXPECT_EQ(p.statements()[0].actions.size(), 2u);
}

TEST(ParsePolicy, BucketPolicySidsMayHoldSpacesAndPrincipalsEveryForm) {
  auto parsed = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Sid":"Allow public read","Effect":"Allow",
          "Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:root",
                              "arn:aws:iam::111122223333:user/bob","*"],
                       "Service":"cloudtrail.amazonaws.com","CanonicalUser":"79a59df9",
                       "Federated":"accounts.google.com"},
          "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})",
      PolicyKind::kResource, "bucket:b");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const PrincipalSpec& spec = (*parsed)->statements()[0].principal;
  EXPECT_TRUE(spec.everyone);
  EXPECT_EQ(spec.accounts.size(), 2u);
  EXPECT_EQ(spec.arns.size(), 1u);
}

// arn:aws:iam:::user/NAME (Ceph RGW's habit) names the policy owner's own account (#15).
TEST(ParsePolicy, AnEmptyAccountInAnIamArnNamesThePolicysOwner) {
  auto bucket = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"AWS":["arn:aws:iam:::user/bob","arn:aws:sts:::assumed-role/r/s"]},
          "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})",
      PolicyKind::kResource, "bucket:b", "111122223333");
  ASSERT_TRUE(bucket) << bucket.error().message;
  const PrincipalSpec& spec = (*bucket)->statements()[0].principal;
  EXPECT_EQ(spec.arns, (std::vector<std::string>{"arn:aws:iam::111122223333:user/bob",
                                                 "arn:aws:sts::111122223333:assumed-role/r/s"}));
  EXPECT_EQ((*bucket)->statements()[0].resources[0].text(), "arn:aws:s3:::b/*");

  auto identity = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser",
          "Resource":"arn:aws:iam:::user/bob"}})",
      PolicyKind::kIdentity, "p", "444455556666");
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ((*identity)->statements()[0].resources[0].text(),
            "arn:aws:iam::444455556666:user/bob");
  // Without an owner the ARN is accepted as written (and matches no principal).
  auto unowned = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::user/bob"},
          "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}})",
      PolicyKind::kResource, "bucket:b");
  ASSERT_TRUE(unowned) << unowned.error().message;
  EXPECT_EQ((*unowned)->statements()[0].principal.arns[0], "arn:aws:iam:::user/bob");
}

TEST(ParsePolicy, TrustPolicyForWebIdentity) {
  auto parsed = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
          "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/auth.example.com"},
          "Action":"sts:AssumeRoleWithWebIdentity",
          "Condition":{"StringEquals":{"auth.example.com:aud":"my-app"}}}})",
      PolicyKind::kTrust, "role:R");
  ASSERT_TRUE(parsed) << parsed.error().message;
}

TEST(ParsePolicy, ConditionNumbersAndBooleansBecomeStrings) {
  auto parsed = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket",
          "Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":[10, 2.5]},
          "Bool":{"aws:SecureTransport":true}}}})",
      PolicyKind::kIdentity, "p");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)->statements()[0].conditions.size(), 2u);
}

TEST(ParsePolicy, KnowsWhetherEvaluationReadsTheRequestContext) {
  auto plain = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}})",
      PolicyKind::kIdentity, "p");
  auto condition = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
          {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})",
      PolicyKind::kIdentity, "p");
  auto variable = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b/${aws:username}"}})",
      PolicyKind::kIdentity, "p");
  auto old_version = ParsePolicy(
      R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}})",
      PolicyKind::kIdentity, "p");
  ASSERT_TRUE(plain && condition && variable && old_version);
  EXPECT_FALSE((*plain)->reads_context());
  EXPECT_TRUE((*condition)->reads_context());
  EXPECT_TRUE((*variable)->reads_context());
  EXPECT_FALSE((*old_version)->reads_context());  // no variables before 2012-10-17
}

TEST(ParsePolicy, DeeplyNestedJsonIsASyntaxErrorNotACrash) {
  std::string deep(10000, '[');
  auto parsed = ParsePolicy("{\"Statement\":" + deep, PolicyKind::kIdentity, "p");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "Syntax errors in policy.");
}

}  // namespace
}  // namespace kura::policy
