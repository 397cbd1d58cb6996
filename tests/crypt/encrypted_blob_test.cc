#include "crypt/encrypted_blob.h"

#include <gtest/gtest.h>

namespace kura::crypt {
namespace {

TEST(EncryptedBlobHeader, RoundTripsAndReportsItsLength) {
  auto encoded = EncodeHeader(BlobHeader{kSegmentBytes, "sealed"});
  ASSERT_TRUE(encoded);
  auto parsed = ParseHeader(*encoded + "segments follow");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->header.segment_bytes, kSegmentBytes);
  EXPECT_EQ(parsed->header.sealed_key, "sealed");
  EXPECT_EQ(parsed->length, encoded->size());
}

TEST(EncryptedBlobHeader, RefusesSealedKeysItCannotStore) {
  EXPECT_FALSE(EncodeHeader(BlobHeader{kSegmentBytes, ""}));
  EXPECT_FALSE(EncodeHeader(BlobHeader{kSegmentBytes, std::string(kMaxSealedKeyBytes + 1, 'x')}));
  EXPECT_TRUE(EncodeHeader(BlobHeader{kSegmentBytes, std::string(kMaxSealedKeyBytes, 'x')}));
  EXPECT_FALSE(EncodeHeader(BlobHeader{3000, "k"}));
}

TEST(EncryptedBlobHeader, RejectsEveryCutAndAnyChangedFixedByte) {
  std::string encoded = *EncodeHeader(BlobHeader{kSegmentBytes, "sealed"});
  for (size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(ParseHeader(encoded.substr(0, n))) << n;
  }
  for (size_t i = 0; i < kFixedHeaderBytes; ++i) {
    std::string changed = encoded;
    changed[i] = static_cast<char>(changed[i] ^ 0x40);
    auto parsed = ParseHeader(changed);
    // A changed length byte may still parse (as a shorter key): the segments' AAD catches it.
    if (i == 8 || i == 9) continue;
    EXPECT_FALSE(parsed) << i;
  }
}

TEST(EncryptedBlobHeader, ErrorsNeverQuoteTheBytes) {
  auto parsed = ParseHeader(std::string("SECRETSECRETSECRET"));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.find("SECRET"), std::string::npos);
}

TEST(EncryptedBlobLayout, HasOneSegmentPerStartedSegmentAndOneWhenEmpty) {
  EXPECT_EQ(SegmentCount(0, kSegmentBytes), 1u);
  EXPECT_EQ(SegmentCount(1, kSegmentBytes), 1u);
  EXPECT_EQ(SegmentCount(kSegmentBytes, kSegmentBytes), 1u);
  EXPECT_EQ(SegmentCount(kSegmentBytes + 1, kSegmentBytes), 2u);
  EXPECT_EQ(EncryptedSize(kSegmentBytes + 1, 20, kSegmentBytes),
            20 + kSegmentBytes + 1 + 2 * kTagBytes);
}

}  // namespace
}  // namespace kura::crypt
