#include "kms/builtin_key_provider.h"

#include <gtest/gtest.h>

#include "tests/kms/kms_fixture.h"

namespace kura::kms {
namespace {

using testing::kAccount;

class BuiltinKeyProviderTest : public ::testing::Test {
 protected:
  BuiltinKeyProviderTest() : provider_(*kms_.master, kms_.random, kms_.registry.get()) {}

  void SetState(const std::string& arn, KeyState state) {
    auto key = kms_.registry->Resolve(kAccount, arn);
    ASSERT_TRUE(key.has_value());
    key->state = state;
    if (state == KeyState::kPendingDeletion) key->deletion_date = testing::kEpoch + std::chrono::hours(24 * 7);
    kms_.Save(*key);
  }

  testing::KmsFixture kms_;
  BuiltinKeyProvider provider_;
};

TEST_F(BuiltinKeyProviderTest, SealsEachSseS3DataKeyUnderTheNewestMasterKey) {
  auto first = provider_.NewMasterSealedKey();
  auto second = provider_.NewMasterSealedKey();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->plaintext.Reveal().size(), 32u);
  EXPECT_NE(first->plaintext.Reveal(), second->plaintext.Reveal());
  EXPECT_EQ(first->sealed.find(first->plaintext.Reveal()), std::string::npos);

  ASSERT_TRUE(kms_.master->Rotate(testing::kEpoch).has_value());
  auto reopened = provider_.OpenMasterSealedKey(first->sealed);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  EXPECT_EQ(reopened->Reveal(), first->plaintext.Reveal());
  auto third = provider_.NewMasterSealedKey();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->sealed[5], '\x02');  // sealed under the new active key
}

TEST_F(BuiltinKeyProviderTest, RefusesATamperedSealedKeyWithAnInternalError) {
  auto key = provider_.NewMasterSealedKey();
  ASSERT_TRUE(key.has_value());
  std::string tampered = key->sealed;
  tampered.back() ^= 0x80;
  auto opened = provider_.OpenMasterSealedKey(tampered);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kInternalError);
}

TEST_F(BuiltinKeyProviderTest, CreatesTheManagedS3KeyOnFirstUseOnly) {
  auto first = provider_.ResolveKeyArn(kAccount, "");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->starts_with("arn:aws:kms:us-east-1:123456789012:key/"));
  EXPECT_EQ(provider_.ResolveKeyArn(kAccount, "").value(), *first);
  EXPECT_EQ(provider_.ResolveKeyArn(kAccount, "alias/aws/s3").value(), *first);
  auto keys = kms_.registry->Keys(kAccount);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].aws_managed);
}

TEST_F(BuiltinKeyProviderTest, ResolvesIdsArnsAndAliasesAndAnswersS3sNotFound) {
  KmsKey key = kms_.SavedKey();
  EXPECT_EQ(provider_.ResolveKeyArn(kAccount, key.key_id).value(), key.Arn());
  EXPECT_EQ(provider_.ResolveKeyArn(kAccount, key.Arn()).value(), key.Arn());
  auto missing = provider_.ResolveKeyArn(kAccount, "alias/nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kS3KmsNotFound);
  EXPECT_EQ(provider_.ResolveKeyArn("999999999999", key.Arn()).error().code,
            ErrorCode::kS3KmsNotFound);
}

TEST_F(BuiltinKeyProviderTest, ADisabledKeysDataKeysOpenAgainOnceReEnabled) {
  std::string arn = kms_.SavedKey().Arn();
  EncryptionContext context{{"aws:s3:arn", "arn:aws:s3:::b/k"}};
  auto data_key = provider_.GenerateDataKey(arn, context);
  ASSERT_TRUE(data_key.has_value()) << data_key.error().message;

  SetState(arn, KeyState::kDisabled);
  EXPECT_EQ(provider_.Decrypt(arn, data_key->sealed, context).error().code, ErrorCode::kS3KmsDisabled);
  EXPECT_EQ(provider_.GenerateDataKey(arn, context).error().code, ErrorCode::kS3KmsDisabled);
  SetState(arn, KeyState::kPendingDeletion);
  EXPECT_EQ(provider_.Decrypt(arn, data_key->sealed, context).error().code,
            ErrorCode::kS3KmsInvalidState);
  SetState(arn, KeyState::kEnabled);
  auto opened = provider_.Decrypt(arn, data_key->sealed, context);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->Reveal(), data_key->plaintext.Reveal());
}

TEST_F(BuiltinKeyProviderTest, ADataKeyOpensOnlyWithItsContextAndKey) {
  std::string arn = kms_.SavedKey().Arn(), other = kms_.SavedKey().Arn();
  auto data_key = provider_.GenerateDataKey(arn, {{"a", "1"}});
  ASSERT_TRUE(data_key.has_value());
  EXPECT_EQ(provider_.Decrypt(arn, data_key->sealed, {{"a", "2"}}).error().code,
            ErrorCode::kInternalError);
  EXPECT_EQ(provider_.Decrypt(other, data_key->sealed, {{"a", "1"}}).error().code,
            ErrorCode::kInternalError);
}

TEST_F(BuiltinKeyProviderTest, AKeyWhoseDeletionIsDueIsGone) {
  std::string arn = kms_.SavedKey().Arn();
  SetState(arn, KeyState::kPendingDeletion);
  kms_.clock.Advance(std::chrono::hours(24 * 7));
  EXPECT_EQ(provider_.GenerateDataKey(arn, {}).error().code, ErrorCode::kS3KmsNotFound);
  kms_.registry->Purge();
  EXPECT_FALSE(kms_.metadata.GetDocument(kKeyDocumentKind, arn.substr(arn.find('/') + 1))
                   .value()
                   .has_value());
}

}  // namespace
}  // namespace kura::kms
