#include "kms/kms_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

#include "tests/kms/kms_fixture.h"
#include "tests/support/memory_exchange.h"

namespace kura::kms {
namespace {

namespace json = boost::json;
using testing::kAccount;

// IAM policies reduced to a set of (action, resource) pairs that are allowed (and root, who may
// do everything, as IamAuthorizer).
class FakeAuthorizer final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal& principal, std::string_view action,
                         std::string_view resource, const policy::RequestAttributes&) const override {
    if (principal.IsRoot() || allowed.contains(std::string(action) + " " + std::string(resource))) return Ok();
    return MakeError(ErrorCode::kAccessDenied, "denied " + std::string(action));
  }
  std::set<std::string> allowed;
};

Principal Root() {
  Principal root;
  root.type = PrincipalType::kRoot;
  root.account_id = kAccount;
  root.arn = "arn:aws:iam::123456789012:root";
  return root;
}

Principal Alice() {
  Principal alice;
  alice.type = PrincipalType::kUser;
  alice.account_id = kAccount;
  alice.arn = "arn:aws:iam::123456789012:user/alice";
  alice.user_name = "alice";
  return alice;
}

class KmsServiceTest : public ::testing::Test {
 protected:
  Result<json::object> Call(const Principal& who, std::string_view operation,
                            const json::object& body) {
    std::string text = json::serialize(body);
    auto answer = kura::testing::RunToEnd(
        service_.Handle(KmsCall{operation, text, who, facts_}));
    if (!answer) return answer.error();
    return json::parse(*answer).as_object();
  }
  std::string NewKey(const json::object& body = {}) {
    auto created = Call(Root(), "CreateKey", body);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return std::string(created->at("KeyMetadata").at("Arn").as_string());
  }
  ErrorCode CodeOf(const Result<json::object>& result) {
    return result ? ErrorCode::kInternalError : result.error().code;
  }

  testing::KmsFixture kms_;
  FakeAuthorizer authorizer_;
  policy::RequestAttributes facts_;
  KmsService service_{*kms_.registry, authorizer_};
};

TEST_F(KmsServiceTest, EncryptsAndDecryptsWithTheContextBound) {
  std::string arn = NewKey();
  auto encrypted = Call(Root(), "Encrypt", {{"KeyId", arn}, {"Plaintext", "aGVsbG8="},
                                            {"EncryptionContext", {{"a", "b"}}}});
  ASSERT_TRUE(encrypted.has_value()) << encrypted.error().message;
  json::value blob = encrypted->at("CiphertextBlob");
  auto decrypted = Call(Root(), "Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", {{"a", "b"}}}});
  ASSERT_TRUE(decrypted.has_value()) << decrypted.error().message;
  EXPECT_EQ(decrypted->at("Plaintext").as_string(), "aGVsbG8=");
  EXPECT_EQ(decrypted->at("KeyId").as_string(), arn);
  EXPECT_EQ(CodeOf(Call(Root(), "Decrypt", {{"CiphertextBlob", blob}})), ErrorCode::kKmsInvalidCiphertext);
}

TEST_F(KmsServiceTest, AnswersKmsErrorsForUnknownOperationsAndBadInput) {
  EXPECT_EQ(CodeOf(Call(Root(), "Sign", {})), ErrorCode::kKmsUnknownOperation);
  EXPECT_EQ(CodeOf(Call(Root(), "DescribeKey", {{"KeyId", 5}})), ErrorCode::kKmsSerialization);
  EXPECT_EQ(CodeOf(Call(Root(), "DescribeKey", {})), ErrorCode::kKmsValidation);
  EXPECT_EQ(CodeOf(Call(Root(), "DescribeKey", {{"KeyId", "alias/none"}})), ErrorCode::kKmsNotFound);
  EXPECT_EQ(CodeOf(Call(Root(), "CreateKey", {{"KeySpec", "RSA_2048"}})),
            ErrorCode::kKmsUnsupportedOperation);
  EXPECT_EQ(CodeOf(Call(Root(), "CreateKey", {{"Policy", "{"}})),
            ErrorCode::kKmsMalformedPolicyDocument);
  EXPECT_EQ(RenderKmsError(MakeError(ErrorCode::kKmsNotFound, "gone")),
            R"({"__type":"NotFoundException","message":"gone"})");
}

TEST_F(KmsServiceTest, TheDefaultKeyPolicyHandsTheDecisionToIam) {
  std::string arn = NewKey();
  auto denied = Call(Alice(), "DescribeKey", {{"KeyId", arn}});
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, ErrorCode::kKmsAccessDenied);
  authorizer_.allowed.insert("kms:DescribeKey " + arn);
  EXPECT_TRUE(Call(Alice(), "DescribeKey", {{"KeyId", arn}}).has_value());
  EXPECT_EQ(CodeOf(Call(Alice(), "ListKeys", {})), ErrorCode::kKmsAccessDenied);
  authorizer_.allowed.insert("kms:ListKeys *");
  EXPECT_TRUE(Call(Alice(), "ListKeys", {}).has_value());
}

TEST_F(KmsServiceTest, AKeyPolicyNamingTheUserAllowsAndItsDenyWins) {
  std::string policy = R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"kms:*","Resource":"*"},
    {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]})";
  std::string arn = NewKey({{"Policy", policy}});
  auto encrypted = Call(Alice(), "Encrypt", {{"KeyId", arn}, {"Plaintext", "eA=="}});
  ASSERT_TRUE(encrypted.has_value()) << encrypted.error().message;
  authorizer_.allowed.insert("kms:Decrypt " + arn);
  EXPECT_EQ(CodeOf(Call(Alice(), "Decrypt", {{"CiphertextBlob", encrypted->at("CiphertextBlob")}})),
            ErrorCode::kKmsAccessDenied);
  // The root user of the key's account may do everything.
  EXPECT_TRUE(Call(Root(), "Decrypt", {{"CiphertextBlob", encrypted->at("CiphertextBlob")}}));
}

TEST_F(KmsServiceTest, AKeyPolicyWithoutTheUserOrTheAccountDenies) {
  std::string policy = R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"kms:*","Resource":"*"}]})";
  std::string arn = NewKey({{"Policy", policy}});
  authorizer_.allowed.insert("kms:DescribeKey " + arn);
  EXPECT_EQ(CodeOf(Call(Alice(), "DescribeKey", {{"KeyId", arn}})), ErrorCode::kKmsAccessDenied);
}

TEST_F(KmsServiceTest, ScheduledDeletionBlocksUseAndADueKeyIsGone) {
  std::string arn = NewKey();
  auto scheduled = Call(Root(), "ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}});
  ASSERT_TRUE(scheduled.has_value()) << scheduled.error().message;
  EXPECT_EQ(scheduled->at("KeyState").as_string(), "PendingDeletion");
  EXPECT_EQ(CodeOf(Call(Root(), "Encrypt", {{"KeyId", arn}, {"Plaintext", "eA=="}})),
            ErrorCode::kKmsInvalidState);
  EXPECT_EQ(CodeOf(Call(Root(), "ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 31}})),
            ErrorCode::kKmsValidation);
  kms_.clock.Advance(std::chrono::hours(24 * 7));
  EXPECT_EQ(CodeOf(Call(Root(), "DescribeKey", {{"KeyId", arn}})), ErrorCode::kKmsNotFound);
  auto listed = Call(Root(), "ListKeys", {});
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->at("Keys").as_array().empty());
}

TEST_F(KmsServiceTest, RotationAppendsMaterialAndOldCiphertextsStillDecrypt) {
  std::string arn = NewKey();
  ASSERT_TRUE(Call(Root(), "EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 90}}));
  auto before = Call(Root(), "Encrypt", {{"KeyId", arn}, {"Plaintext", "b2xk"}});
  ASSERT_TRUE(before.has_value());
  kms_.clock.Advance(std::chrono::hours(24 * 90));
  auto after = Call(Root(), "Encrypt", {{"KeyId", arn}, {"Plaintext", "bmV3"}});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(kms_.registry->Resolve(kAccount, arn)->sealed_materials.size(), 2u);
  auto old_plain = Call(Root(), "Decrypt", {{"CiphertextBlob", before->at("CiphertextBlob")}});
  ASSERT_TRUE(old_plain.has_value());
  EXPECT_EQ(old_plain->at("Plaintext").as_string(), "b2xk");
}

TEST_F(KmsServiceTest, AliasesResolveAndAwsPrefixIsReserved) {
  std::string arn = NewKey();
  ASSERT_TRUE(Call(Root(), "CreateAlias", {{"AliasName", "alias/app"}, {"TargetKeyId", arn}}));
  EXPECT_EQ(CodeOf(Call(Root(), "CreateAlias", {{"AliasName", "alias/app"}, {"TargetKeyId", arn}})),
            ErrorCode::kKmsAlreadyExists);
  EXPECT_EQ(CodeOf(Call(Root(), "CreateAlias", {{"AliasName", "alias/aws/x"}, {"TargetKeyId", arn}})),
            ErrorCode::kKmsInvalidAliasName);
  auto described = Call(Root(), "DescribeKey", {{"KeyId", "alias/app"}});
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->at("KeyMetadata").at("Arn").as_string(), arn);
  ASSERT_TRUE(Call(Root(), "DeleteAlias", {{"AliasName", "alias/app"}}));
  EXPECT_EQ(CodeOf(Call(Root(), "DescribeKey", {{"KeyId", "alias/app"}})), ErrorCode::kKmsNotFound);
}

}  // namespace
}  // namespace kura::kms
