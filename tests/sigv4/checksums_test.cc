#include "sigv4/checksums.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kura::sigv4 {
namespace {

TEST(Checksums, MatchCatalogueCheckValues) {
  EXPECT_EQ(HexLower(ChecksumRaw(ChecksumAlgorithm::kCrc32, "123456789")), "cbf43926");
  EXPECT_EQ(HexLower(ChecksumRaw(ChecksumAlgorithm::kCrc32c, "123456789")), "e3069283");
  EXPECT_EQ(HexLower(ChecksumRaw(ChecksumAlgorithm::kCrc64Nvme, "123456789")),
            "ae8b14860a799888");
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha256, ""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha1, "abc"), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
}

TEST(Checksums, StreamingUpdatesEqualOneShot) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<char>(i * 7));
  for (auto algorithm : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c,
                         ChecksumAlgorithm::kCrc64Nvme, ChecksumAlgorithm::kSha1,
                         ChecksumAlgorithm::kSha256}) {
    Checksummer checksummer(algorithm);
    for (size_t pos = 0; pos < data.size(); pos += 777) {
      checksummer.Update(std::string_view(data).substr(pos, 777));
    }
    EXPECT_EQ(checksummer.FinishBase64(), ChecksumBase64(algorithm, data))
        << ChecksumName(algorithm);
  }
}

TEST(Checksums, NamesRoundTrip) {
  EXPECT_EQ(ChecksumFromName("crc64nvme"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(ChecksumFromHeaderName("X-Amz-Checksum-CRC32C"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ChecksumFromHeaderName("x-amz-checksum-type"), std::nullopt);
  EXPECT_EQ(ChecksumHeaderName(ChecksumAlgorithm::kSha1), "x-amz-checksum-sha1");
  EXPECT_EQ(ChecksumName(ChecksumAlgorithm::kCrc32), "CRC32");
}

TEST(Checksums, FullObjectCrcCombinesPartCrcs) {
  std::string a(5000, 'a'), b = "tail bytes", c(70000, 'c');
  for (auto algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    std::vector<std::pair<std::string, uint64_t>> parts = {
        {ChecksumRaw(algorithm, a), a.size()},
        {ChecksumRaw(algorithm, b), b.size()},
        {ChecksumRaw(algorithm, c), c.size()}};
    auto combined = CombineCrc(algorithm, parts);
    ASSERT_TRUE(combined.has_value());
    EXPECT_EQ(*combined, ChecksumRaw(algorithm, a + b + c)) << ChecksumName(algorithm);
  }
  std::vector<std::pair<std::string, uint64_t>> sha = {{std::string(32, 'x'), 1}};
  EXPECT_FALSE(CombineCrc(ChecksumAlgorithm::kSha256, sha).has_value());
}

TEST(Checksums, CompositeIsChecksumOfPartChecksumsWithCount) {
  std::vector<std::string> parts = {ChecksumRaw(ChecksumAlgorithm::kCrc32, "part one"),
                                    ChecksumRaw(ChecksumAlgorithm::kCrc32, "part two")};
  EXPECT_EQ(CompositeChecksum(ChecksumAlgorithm::kCrc32, parts),
            ChecksumBase64(ChecksumAlgorithm::kCrc32, parts[0] + parts[1]) + "-2");
}

}  // namespace
}  // namespace kura::sigv4
