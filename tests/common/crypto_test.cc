#include "common/crypto.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kura {
namespace {

TEST(Crypto, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexLower(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  // RFC 4231 test case 2.
  EXPECT_EQ(HexLower(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, HmacSha1MatchesRfc2202AndKeepsItsOwnKey) {
  // RFC 2202 test case 2; interleaved with HMAC-SHA256 calls, whose per-thread context is apart.
  EXPECT_EQ(HexLower(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  (void)HmacSha256("other", "data");
  EXPECT_EQ(HexLower(HmacSha1("", "")), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
}

TEST(Crypto, HmacWithAnEmptyKeyDoesNotReuseThePreviousKey) {
  (void)HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexLower(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(HexLower(HmacSha256(std::string_view{}, "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Crypto, HmacKeysLongerThanABlockAreHashedFirst) {
  // RFC 4231 test case 6: a 131-byte key.
  EXPECT_EQ(HexLower(HmacSha256(std::string(131, '\xaa'),
                                "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, PreparedHmacKeyMatchesTheOneShotHmac) {
  // RFC 4231 test cases 2 and 6 (a key longer than a block), and an empty key and message.
  HmacSha256Key jefe("Jefe");
  EXPECT_EQ(HexLower(jefe.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexLower(jefe.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  HmacSha256Key long_key(std::string(131, '\xaa'));
  EXPECT_EQ(HexLower(long_key.Mac("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HexLower(HmacSha256Key("").Mac("")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  std::string message(1000, 'm');
  EXPECT_EQ(jefe.Mac(message), HmacSha256("Jefe", message));
}

TEST(Crypto, OneShotDigestsAreIndependentOfEachOther) {
  EXPECT_EQ(HexLower(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexLower(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Crypto, IncrementalHashEqualsOneShot) {
  Hasher h(HashAlgorithm::kSha256);
  h.Update("hello ");
  h.Update("world");
  EXPECT_EQ(h.Finish(), Sha256("hello world"));
  h.Update("again");  // Finish resets
  EXPECT_EQ(h.Finish(), Sha256("again"));
}

}  // namespace
}  // namespace kura
