#include "iam/secret_sealer.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/encoding.h"

namespace kura::iam {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

SecretSealer Sealer(char fill, Random& random) {
  auto sealer = SecretSealer::Create(Secret(std::string(32, fill)), random);
  EXPECT_TRUE(sealer.has_value());
  return std::move(*sealer);
}

TEST(SecretSealer, OpensWhatItSealedAndNeverShowsThePlaintext) {
  FakeRandom random(1);
  SecretSealer sealer = Sealer('k', random);
  std::string sealed = sealer.Seal("AKIAEXAMPLE", Secret(std::string(kSecret)));
  EXPECT_TRUE(sealed.starts_with("v1:" + sealer.key_id() + ":")) << sealed;
  EXPECT_EQ(sealer.key_id().size(), 8u);
  EXPECT_TRUE(SecretSealer::IsSealed(sealed));
  EXPECT_FALSE(SecretSealer::IsSealed(kSecret));
  EXPECT_EQ(sealed.find(kSecret), std::string::npos);
  auto opened = sealer.Open("AKIAEXAMPLE", sealed);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(opened->Reveal(), kSecret);
}

TEST(SecretSealer, UsesAFreshNonceEachTime) {
  FakeRandom random(2);
  SecretSealer sealer = Sealer('k', random);
  Secret secret{std::string(kSecret)};
  EXPECT_NE(sealer.Seal("AKIAEXAMPLE", secret), sealer.Seal("AKIAEXAMPLE", secret));
}

TEST(SecretSealer, RefusesASecretMovedToAnotherAccessKey) {
  FakeRandom random(3);
  SecretSealer sealer = Sealer('k', random);
  std::string sealed = sealer.Seal("AKIAALICE", Secret(std::string(kSecret)));
  auto swapped = sealer.Open("AKIAMALLORY", sealed);
  ASSERT_FALSE(swapped.has_value());
  EXPECT_EQ(swapped.error().code, ErrorCode::kInternalError);
  EXPECT_NE(swapped.error().message.find("AKIAMALLORY"), std::string::npos);
}

TEST(SecretSealer, RefusesAnyAlteredByte) {
  FakeRandom random(4);
  SecretSealer sealer = Sealer('k', random);
  std::string sealed = sealer.Seal("AKIAEXAMPLE", Secret(std::string(kSecret)));
  size_t body_at = sealed.rfind(':') + 1;
  auto raw = Base64Decode(std::string_view(sealed).substr(body_at));
  ASSERT_TRUE(raw.has_value());
  for (size_t i = 0; i < raw->size(); ++i) {  // nonce, ciphertext and tag alike
    std::string altered = *raw;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_FALSE(sealer.Open("AKIAEXAMPLE", sealed.substr(0, body_at) + Base64Encode(altered)))
        << "byte " << i;
  }
  EXPECT_FALSE(sealer.Open("AKIAEXAMPLE", sealed.substr(0, sealed.size() - 4)));
}

TEST(SecretSealer, NamesTheKeyWhenASecretWasSealedUnderAnother) {
  FakeRandom random(5);
  SecretSealer ours = Sealer('k', random);
  SecretSealer theirs = Sealer('t', random);
  EXPECT_NE(ours.key_id(), theirs.key_id());
  std::string sealed = theirs.Seal("AKIAEXAMPLE", Secret(std::string(kSecret)));
  auto opened = ours.Open("AKIAEXAMPLE", sealed);
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find("sealed with secrets key " + theirs.key_id()),
            std::string::npos)
      << opened.error().message;
  // The same with the key id rewritten to ours: the tag, not the label, decides.
  std::string relabelled = "v1:" + ours.key_id() + sealed.substr(sealed.rfind(':'));
  EXPECT_FALSE(ours.Open("AKIAEXAMPLE", relabelled));
}

TEST(SecretSealer, RefusesMalformedInput) {
  FakeRandom random(6);
  SecretSealer sealer = Sealer('k', random);
  const std::string id = sealer.key_id();
  for (const std::string& bad : std::vector<std::string>{"", "v1:", "v1:" + id, "v1:" + id + ":",
                          "v1:" + id + ":!!!", "v1:" + id + ":AAAA",
                          "v2:" + id + ":AAAA"}) {
    EXPECT_FALSE(sealer.Open("AKIAEXAMPLE", bad)) << bad;
  }
  EXPECT_FALSE(SecretSealer::Create(Secret(std::string(16, 'k')), random));
}

}  // namespace
}  // namespace kura::iam
