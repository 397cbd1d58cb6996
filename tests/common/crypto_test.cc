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
