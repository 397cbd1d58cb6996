#include "kms/kms_request.h"

#include <gtest/gtest.h>

#include "kms/kms_key.h"
#include "tests/kms/kms_fixture.h"

namespace kura::kms {
namespace {

TEST(KmsRequest, ReadsTypedMembersAndTreatsAnEmptyBodyAsNoMembers) {
  auto request = KmsRequest::Parse(
      R"({"KeyId":"k","Limit":5,"MultiRegion":false,"Plaintext":"aGk=","EncryptionContext":{"a":"b"}})");
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->RequiredString("KeyId").value(), "k");
  EXPECT_EQ(request->Int("Limit", 1, 1000).value(), 5);
  EXPECT_EQ(request->Bool("MultiRegion").value(), false);
  EXPECT_EQ(request->Blob("Plaintext", 4096).value()->Reveal(), "hi");
  EXPECT_EQ(request->StringMap("EncryptionContext").value(), (EncryptionContext{{"a", "b"}}));
  EXPECT_FALSE(request->String("Absent").value().has_value());
  EXPECT_TRUE(KmsRequest::Parse("").has_value());
}

TEST(KmsRequest, AnswersSerializationAndValidationErrors) {
  EXPECT_EQ(KmsRequest::Parse("[1]").error().code, ErrorCode::kKmsSerialization);
  EXPECT_EQ(KmsRequest::Parse("{").error().code, ErrorCode::kKmsSerialization);
  auto request = KmsRequest::Parse(
      R"({"KeyId":7,"Limit":0,"Plaintext":"!!","Big":"AAAA","EncryptionContext":{"a":1},"Empty":""})");
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->String("KeyId").error().code, ErrorCode::kKmsSerialization);
  EXPECT_EQ(request->Int("Limit", 1, 1000).error().code, ErrorCode::kKmsValidation);
  EXPECT_EQ(request->Blob("Plaintext", 4096).error().code, ErrorCode::kKmsSerialization);
  EXPECT_EQ(request->Blob("Big", 2).error().code, ErrorCode::kKmsValidation);
  EXPECT_EQ(request->StringMap("EncryptionContext").error().code, ErrorCode::kKmsSerialization);
  EXPECT_EQ(request->RequiredString("Empty").error().code, ErrorCode::kKmsValidation);
  EXPECT_EQ(request->RequiredString("Missing").error().code, ErrorCode::kKmsValidation);
}

TEST(KmsKey, EncodesAndDecodesEveryField) {
  testing::KmsFixture kms;
  KmsKey key = kms.registry->NewKey(testing::kAccount, "desc", DefaultKeyPolicy(testing::kAccount));
  key.state = KeyState::kPendingDeletion;
  key.deletion_date = testing::kEpoch + std::chrono::hours(24 * 7);
  key.rotation_enabled = true;
  key.rotation_period_days = 90;
  kms.registry->AddMaterial(key);
  auto decoded = DecodeKmsKey(EncodeKmsKey(key));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->Arn(), key.Arn());
  EXPECT_EQ(decoded->state, KeyState::kPendingDeletion);
  EXPECT_EQ(decoded->deletion_date, key.deletion_date);
  EXPECT_EQ(decoded->rotation_period_days, 90);
  EXPECT_EQ(decoded->sealed_materials, key.sealed_materials);
  EXPECT_EQ(decoded->policy, key.policy);
  EXPECT_FALSE(DecodeKmsKey("{}").has_value());
  EXPECT_EQ(key.key_id.size(), 36u);
  EXPECT_EQ(key.key_id[14], '4');
}

}  // namespace
}  // namespace kura::kms
