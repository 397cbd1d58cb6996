#include "kms/ciphertext_blob.h"

#include <gtest/gtest.h>

namespace kura::kms {
namespace {

const Secret kMaterial(std::string(32, 'm'));

TEST(CiphertextBlob, NamesItsKeyAndVersionAndOpensWithTheSameContext) {
  FakeRandom random(1);
  EncryptionContext context{{"purpose", "test"}, {"a", "b"}};
  std::string blob = SealCiphertext({"1234abcd-12ab-34cd-56ef-1234567890ab", 3}, kMaterial,
                                    "hello", context, random);
  auto header = PeekCiphertext(blob);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
  EXPECT_EQ(header->material_version, 3u);
  auto opened = OpenCiphertext(blob, kMaterial, context);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->Reveal(), "hello");
}

TEST(CiphertextBlob, AnotherContextOrAnyFlippedByteIsInvalidCiphertext) {
  FakeRandom random(1);
  std::string blob = SealCiphertext({"k", 0}, kMaterial, "hello", {{"a", "b"}}, random);
  for (const EncryptionContext& other :
       {EncryptionContext{}, EncryptionContext{{"a", "c"}}, EncryptionContext{{"a", "b"}, {"c", "d"}},
        EncryptionContext{{"ab", ""}}}) {
    EXPECT_EQ(OpenCiphertext(blob, kMaterial, other).error().code, ErrorCode::kKmsInvalidCiphertext);
  }
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string flipped = blob;
    flipped[i] ^= 0x04;
    EXPECT_FALSE(OpenCiphertext(flipped, kMaterial, {{"a", "b"}}).has_value()) << i;
  }
  EXPECT_FALSE(PeekCiphertext("").has_value());
  EXPECT_FALSE(PeekCiphertext(blob.substr(0, 20)).has_value());
}

}  // namespace
}  // namespace kura::kms
