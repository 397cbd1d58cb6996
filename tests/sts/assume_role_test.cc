#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "policy/policy.h"
#include "policy/resolved_identity.h"
#include "tests/sts/sts_fixture.h"

namespace kura::sts::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kSessionArn[] = "arn:aws:sts::123456789012:assumed-role/uploader/s3";
const std::string kDenied = std::string("User: ") + kUserArn +
                            " is not authorized to perform: sts:AssumeRole on resource: " +
                            kRoleArn;

void ExpectError(const Result<std::string>& r, ErrorCode code, const std::string& message = "") {
  ASSERT_FALSE(r.has_value()) << *r;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  if (!message.empty()) {
    EXPECT_EQ(r.error().message, message);
  }
}

TEST(AssumeRole, UserNamedInTheTrustPolicyGetsRoleCredentials) {
  StsFixture sts;
  auto r = sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "900"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_THAT(*r, HasSubstr("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
  EXPECT_EQ(ElementText(*r, "AssumedRoleId"), std::string(kRoleId) + ":s3");
  EXPECT_EQ(ElementText(*r, "Arn"), kSessionArn);
  EXPECT_TRUE(ElementText(*r, "AccessKeyId").starts_with("ASIA"));
  EXPECT_EQ(ElementText(*r, "SecretAccessKey").size(), 40u);
  EXPECT_EQ(ElementText(*r, "Expiration"),
            FormatIso8601Seconds(TestEpoch() + std::chrono::seconds(900)));
  EXPECT_EQ(ElementText(*r, "RequestId"), "REQ0001");
  EXPECT_EQ(ElementText(*r, "PackedPolicySize"), "");

  auto session = sts.SessionOf(*r);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->type, PrincipalType::kAssumedRole);
  EXPECT_EQ(session->arn, kSessionArn);
  EXPECT_EQ(session->user_id, std::string(kRoleId) + ":s3");
  ASSERT_TRUE(session->session.has_value());
  EXPECT_EQ(session->session->role_arn, kRoleArn);
  EXPECT_EQ(session->session->role_name, "uploader");
  EXPECT_EQ(session->session->issued_at, TestEpoch());
  EXPECT_FALSE(session->session->chained);
}

TEST(AssumeRole, DefaultsToOneHour) {
  StsFixture sts;
  auto r = sts.AssumeRole(UserPrincipal());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(ElementText(*r, "Expiration"),
            FormatIso8601Seconds(TestEpoch() + std::chrono::hours(1)));
}

TEST(AssumeRole, RootCannotAssumeRoles) {
  StsFixture sts;
  sts.PutRole(TrustJson("arn:aws:iam::123456789012:root"));
  ExpectError(sts.AssumeRole(RootPrincipal()), ErrorCode::kAccessDenied,
              "Roles may not be assumed by root accounts.");
}

TEST(AssumeRole, UnknownRoleAndUntrustedCallerGetTheSameAccessDenied) {
  StsFixture sts;
  sts.PutRole(TrustJson("arn:aws:iam::123456789012:user/bob"));
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied, kDenied);
  sts.roles.DeleteRole(kRoleArn);
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied, kDenied);
}

TEST(AssumeRole, TrustNamingTheAccountNeedsTheCallersIdentityPolicyToo) {
  StsFixture sts;
  sts.PutRole(TrustJson("arn:aws:iam::123456789012:root"));
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied, kDenied);
  sts.PutIdentityPolicy(kUserArn, AllowJson("sts:AssumeRole", kRoleArn));
  EXPECT_TRUE(sts.AssumeRole(UserPrincipal()).has_value());
}

TEST(AssumeRole, ExplicitDenyInTheCallersPolicyWinsOverTheTrustPolicy) {
  StsFixture sts;
  sts.PutIdentityPolicy(kUserArn, AllowJson("sts:*", "*", "Deny"));
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied, kDenied);
}

TEST(AssumeRole, RoleSessionNameIsValidatedWithAwsMessages) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", "x"}}),
              ErrorCode::kValidationError,
              "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy "
              "constraint: Member must have length greater than or equal to 2");
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", "a b"}}),
              ErrorCode::kValidationError,
              "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", std::string(65, 'a')}}),
              ErrorCode::kValidationError);
  EXPECT_TRUE(sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", "a+=,.@-_9"}}).has_value());
}

TEST(AssumeRole, MissingRoleArnIsAValidationError) {
  StsFixture sts;
  ExpectError(sts.Call(UserPrincipal(), "AssumeRole", {{"RoleSessionName", "s3"}}),
              ErrorCode::kValidationError,
              "1 validation error detected: Value null at 'roleArn' failed to satisfy "
              "constraint: Member must not be null");
}

TEST(AssumeRole, SeveralFailuresAreReportedTogether) {
  StsFixture sts;
  auto r = sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", "x"}, {"DurationSeconds", "10"}});
  ExpectError(r, ErrorCode::kValidationError);
  EXPECT_THAT(r.error().message, HasSubstr("2 validation errors detected: "));
  EXPECT_THAT(r.error().message, HasSubstr("; Value '10' at 'durationSeconds'"));
}

TEST(AssumeRole, DurationBelowTheMinimumIsAValidationError) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "899"}}),
              ErrorCode::kValidationError,
              "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
              "constraint: Member must have value greater than or equal to 900");
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "soon"}}),
              ErrorCode::kValidationError);
}

TEST(AssumeRole, MinimumDurationIsConfigurable) {
  StsFixture sts(/*min_duration=*/2);
  auto r = sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "2"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto session = sts.SessionOf(*r);
  ASSERT_NE(session, nullptr);
  sts.clock.Advance(std::chrono::seconds(2));
  auto expired = sts.resolver.Resolve(ElementText(*r, "AccessKeyId"), ElementText(*r, "SessionToken"));
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code, ErrorCode::kExpiredToken);
}

TEST(AssumeRole, DurationAboveTheRolesMaximumIsRefused) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "3601"}}),
              ErrorCode::kValidationError,
              "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  sts.PutRole(TrustJson(kUserArn), 43200);
  EXPECT_TRUE(sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "43200"}}).has_value());
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "43201"}}),
              ErrorCode::kValidationError);
}

TEST(AssumeRole, RoleChainingIsCappedAtOneHour) {
  StsFixture sts;
  sts.PutRole(TrustJson(UserAndRole()), 43200);
  auto first = sts.AssumeRole(UserPrincipal(), {{"DurationSeconds", "7200"}});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto session = sts.SessionOf(*first);
  ExpectError(sts.AssumeRole(*session, {{"DurationSeconds", "3601"}}), ErrorCode::kValidationError,
              "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
              "by role chaining.");
  auto chained = sts.AssumeRole(*session, {{"RoleSessionName", "again"}});
  ASSERT_TRUE(chained.has_value()) << chained.error().message;
  EXPECT_EQ(ElementText(*chained, "Expiration"),
            FormatIso8601Seconds(TestEpoch() + std::chrono::hours(1)));
  EXPECT_TRUE(sts.SessionOf(*chained)->session->chained);
}

TEST(AssumeRole, SessionPolicyIsCheckedAndTravelsCompiled) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"Policy", "{not json"}}),
              ErrorCode::kMalformedPolicyDocument);
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"Policy", std::string(2049, ' ')}}),
              ErrorCode::kValidationError);
  std::string policy = AllowJson("s3:GetObject", "arn:aws:s3:::b/*");
  auto r = sts.AssumeRole(UserPrincipal(), {{"Policy", policy}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_NE(ElementText(*r, "PackedPolicySize"), "");
  auto session = sts.SessionOf(*r);
  EXPECT_TRUE(session->session->has_session_policy);
  // The compiled inline policy travels beside the principal, for the authorizer.
  auto resolved = sts.resolver.Resolve(ElementText(*r, "AccessKeyId"), ElementText(*r, "SessionToken"));
  ASSERT_TRUE(resolved.has_value());
  const auto* identity = policy::ResolvedFor(resolved->grants.get(), *resolved->principal);
  ASSERT_NE(identity, nullptr);
  ASSERT_EQ(identity->session_policies.size(), 1u);
  EXPECT_EQ(identity->session_policies[0]->kind(), policy::PolicyKind::kSession);
}

TEST(AssumeRole, PolicyArnsMustExistAndAreLimitedToTen) {
  StsFixture sts;
  std::string arn = "arn:aws:iam::123456789012:policy/read-only";
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"PolicyArns.member.1.arn", arn}}),
              ErrorCode::kInvalidParameterValue,
              "Policy " + arn + " does not exist or is not attachable.");
  sts.roles.PutManagedPolicy(arn, Compile(AllowJson("s3:*", "*"), policy::PolicyKind::kIdentity));
  auto r = sts.AssumeRole(UserPrincipal(), {{"PolicyArns.member.1.arn", arn}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(sts.SessionOf(*r)->session->session_policy_arns, std::vector<std::string>{arn});
  std::map<std::string, std::string> many;
  for (int i = 1; i <= 11; ++i) many["PolicyArns.member." + std::to_string(i) + ".arn"] = arn;
  ExpectError(sts.AssumeRole(UserPrincipal(), many), ErrorCode::kValidationError);
}

TEST(AssumeRole, ExternalIdIsTheStsExternalIdConditionKey) {
  StsFixture sts;
  sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole")",
                        R"({"StringEquals":{"sts:ExternalId":"Unique-42"}})"));
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied, kDenied);
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"ExternalId", "wrong-id"}}),
              ErrorCode::kAccessDenied);
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"ExternalId", "x"}}), ErrorCode::kValidationError);
  EXPECT_TRUE(sts.AssumeRole(UserPrincipal(), {{"ExternalId", "Unique-42"}}).has_value());
}

TEST(AssumeRole, RoleSessionNameAndSourceIpAreConditionKeys) {
  StsFixture sts;
  sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole")",
                        R"({"StringLike":{"sts:RoleSessionName":"ci-*"},)"
                        R"("IpAddress":{"aws:SourceIp":"192.0.2.0/24"}})"));
  ExpectError(sts.AssumeRole(UserPrincipal()), ErrorCode::kAccessDenied);
  EXPECT_TRUE(sts.AssumeRole(UserPrincipal(), {{"RoleSessionName", "ci-7"}}).has_value());
}

TEST(AssumeRole, SessionTagsNeedTagSessionAndBecomePrincipalTags) {
  StsFixture sts;
  std::map<std::string, std::string> tags = {{"Tags.member.1.Key", "team"},
                                             {"Tags.member.1.Value", "storage"}};
  ExpectError(sts.AssumeRole(UserPrincipal(), tags), ErrorCode::kAccessDenied,
              std::string("User: ") + kUserArn +
                  " is not authorized to perform: sts:TagSession on resource: " + kRoleArn);
  sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole","sts:TagSession")",
                        R"({"StringEquals":{"aws:RequestTag/team":"storage"}})"));
  auto r = sts.AssumeRole(UserPrincipal(), tags);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto session = sts.SessionOf(*r);
  EXPECT_EQ(session->session->tags, (TagList{{"team", "storage"}}));
  tags["Tags.member.1.Value"] = "other";
  ExpectError(sts.AssumeRole(UserPrincipal(), tags), ErrorCode::kAccessDenied);
}

TEST(AssumeRole, TagLimitsAndDuplicateKeysAreRefused) {
  StsFixture sts;
  sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole","sts:TagSession")"));
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"Tags.member.1.Key", "Team"},
                                               {"Tags.member.1.Value", "a"},
                                               {"Tags.member.2.Key", "team"},
                                               {"Tags.member.2.Value", "b"}}),
              ErrorCode::kInvalidParameterValue);
  std::map<std::string, std::string> many;
  for (int i = 1; i <= 51; ++i) {
    many["Tags.member." + std::to_string(i) + ".Key"] = "k" + std::to_string(i);
    many["Tags.member." + std::to_string(i) + ".Value"] = "v";
  }
  ExpectError(sts.AssumeRole(UserPrincipal(), many), ErrorCode::kValidationError);
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"Tags.member.1.Key", std::string(129, 'k')},
                                               {"Tags.member.1.Value", "v"}}),
              ErrorCode::kValidationError);
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"Tags.member.1.Key", "a"},
                                               {"Tags.member.1.Value", "v"},
                                               {"TransitiveTagKeys.member.1", "b"}}),
              ErrorCode::kInvalidParameterValue);
}

TEST(AssumeRole, HugeTagsAreRefusedAsPackedPolicyTooLarge) {
  StsFixture sts;
  sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole","sts:TagSession")"));
  std::map<std::string, std::string> many;
  for (int i = 1; i <= 50; ++i) {
    many["Tags.member." + std::to_string(i) + ".Key"] = std::string(120, 'k') + std::to_string(i);
    many["Tags.member." + std::to_string(i) + ".Value"] = std::string(256, 'v');
  }
  ExpectError(sts.AssumeRole(UserPrincipal(), many), ErrorCode::kPackedPolicyTooLarge);
}

TEST(AssumeRole, TransitiveTagsCarryThroughChainingAndCannotBeOverridden) {
  StsFixture sts;
  sts.PutRole(TrustJson(UserAndRole(),
                        R"("sts:AssumeRole","sts:TagSession")"));
  auto first = sts.AssumeRole(UserPrincipal(), {{"Tags.member.1.Key", "team"},
                                                {"Tags.member.1.Value", "storage"},
                                                {"Tags.member.2.Key", "temp"},
                                                {"Tags.member.2.Value", "x"},
                                                {"TransitiveTagKeys.member.1", "team"}});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto session = sts.SessionOf(*first);
  auto chained = sts.AssumeRole(*session, {{"RoleSessionName", "second"}});
  ASSERT_TRUE(chained.has_value()) << chained.error().message;
  auto second = sts.SessionOf(*chained);
  EXPECT_EQ(second->session->tags, (TagList{{"team", "storage"}}));
  EXPECT_EQ(second->session->transitive_tag_keys, std::vector<std::string>{"team"});
  ExpectError(sts.AssumeRole(*session, {{"Tags.member.1.Key", "TEAM"},
                                        {"Tags.member.1.Value", "other"}}),
              ErrorCode::kInvalidParameterValue);
}

TEST(AssumeRole, SourceIdentityNeedsSetSourceIdentityAndIsSticky) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"SourceIdentity", "alice"}}),
              ErrorCode::kAccessDenied,
              std::string("User: ") + kUserArn +
                  " is not authorized to perform: sts:SetSourceIdentity on resource: " + kRoleArn);
  sts.PutRole(TrustJson(UserAndRole(),
                        R"("sts:AssumeRole","sts:SetSourceIdentity")",
                        R"({"StringLike":{"sts:SourceIdentity":"ali*"}})"));
  auto r = sts.AssumeRole(UserPrincipal(), {{"SourceIdentity", "alice"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(ElementText(*r, "SourceIdentity"), "alice");
  auto session = sts.SessionOf(*r);
  EXPECT_EQ(session->session->source_identity, "alice");
  ExpectError(sts.AssumeRole(*session, {{"SourceIdentity", "alina"}}), ErrorCode::kAccessDenied);
  auto chained = sts.AssumeRole(*session, {{"RoleSessionName", "next"}});
  ASSERT_TRUE(chained.has_value()) << chained.error().message;
  EXPECT_EQ(ElementText(*chained, "SourceIdentity"), "alice");
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"SourceIdentity", "aws:x"}}),
              ErrorCode::kValidationError);
}

TEST(AssumeRole, MfaCodesNeverVerify) {
  StsFixture sts;
  ExpectError(sts.AssumeRole(UserPrincipal(), {{"SerialNumber", "arn:aws:iam::123456789012:mfa/a"},
                                               {"TokenCode", "123456"}}),
              ErrorCode::kAccessDenied);
}

TEST(StsService, UnknownActionsAreInvalidAction) {
  StsFixture sts;
  ExpectError(sts.Call(UserPrincipal(), "GetWidgets", {}), ErrorCode::kInvalidAction,
              "Could not find operation GetWidgets for version 2011-06-15");
}

TEST(StsService, OnlyTheTableSaysWhichActionsMayBeUnsigned) {
  StsFixture sts;
  using policy::Access;
  EXPECT_EQ(sts.service->Find("AssumeRoleWithWebIdentity")->access, Access::kAnonymousAllowed);
  EXPECT_EQ(sts.service->Find("AssumeRoleWithSAML")->access, Access::kAnonymousAllowed);
  EXPECT_EQ(sts.service->Find("AssumeRole")->access, Access::kSignedOnly);
  EXPECT_EQ(sts.service->Find("GetSessionToken")->access, Access::kSignedOnly);
  EXPECT_EQ(sts.service->Find("GetWidgets"), nullptr);
}

TEST(StsService, ActionsKnownButNotImplementedAnswerInvalidAction) {
  StsFixture sts;
  ASSERT_NE(sts.service->Find("GetFederationToken"), nullptr);
  ExpectError(sts.Call(UserPrincipal(), "GetFederationToken", {}), ErrorCode::kInvalidAction,
              "kura does not implement GetFederationToken");
}

}  // namespace
}  // namespace kura::sts::testing

namespace kura::sts::testing {
namespace {

class AllowAll final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal&, std::string_view, std::string_view,
                         const policy::RequestAttributes&) const override {
    ++asked;
    return Ok();
  }
  mutable int asked = 0;
};

Result<const policy::EndpointRule*> AuthorizeUnsigned(StsFixture& sts, const std::string& action,
                                                      const AllowAll& authorizer) {
  static const sigv4::AuthResult kAnonymous;  // type kAnonymous
  query::QueryCall call;
  call.action = action;
  call.auth = &kAnonymous;
  call.principal = std::make_shared<Principal>();
  return query::AuthorizeCall(*sts.service, call, authorizer);
}

TEST(StsAuthorization, UnsignedCallsPassOnlyWhereTheTableAllowsThem) {
  StsFixture sts;
  AllowAll authorizer;
  auto web = AuthorizeUnsigned(sts, "AssumeRoleWithWebIdentity", authorizer);
  ASSERT_TRUE(web.has_value());
  EXPECT_EQ((*web)->name, "AssumeRoleWithWebIdentity");
  for (const char* action : {"AssumeRole", "GetSessionToken", "GetCallerIdentity", "GetWidgets"}) {
    auto refused = AuthorizeUnsigned(sts, action, authorizer);
    ASSERT_FALSE(refused.has_value()) << action;
    EXPECT_EQ(refused.error().code, ErrorCode::kMissingAuthenticationToken) << action;
  }
  // The handlers evaluate trust policies themselves: the pipeline's authorizer is not asked.
  EXPECT_EQ(authorizer.asked, 0);
}

}  // namespace
}  // namespace kura::sts::testing
