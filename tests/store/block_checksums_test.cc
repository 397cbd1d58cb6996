// The blob checksum footer: it round-trips, classifies files by size, catches a flipped bit
// anywhere (data, table, trailer), and a streamed accumulator agrees with one-shot CRCs.
#include "store/fs/block_checksums.h"

#include <gtest/gtest.h>

#include <string>

namespace kura::store {
namespace {

std::string Pattern(size_t size) {
  std::string out(size, '\0');
  uint32_t x = 12345;
  for (auto& c : out) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 16);
  }
  return out;
}

std::string FooterOf(std::string_view data) {
  BlockCrcAccumulator acc;
  acc.Update(data);
  return acc.Footer();
}

TEST(BlockChecksums, Crc32cMatchesTheKnownCheckValue) {
  EXPECT_EQ(Crc32c(0, "123456789"), 0xE3069283u);  // the CRC-32C catalogue's check value
  EXPECT_EQ(Crc32c(Crc32c(0, "1234"), "56789"), 0xE3069283u);
}

TEST(BlockChecksums, FooterSizeIsFourBytesPerBlockPlusTheTrailer) {
  EXPECT_EQ(FooterBytes(0), 24u);
  EXPECT_EQ(FooterBytes(1), 28u);
  EXPECT_EQ(FooterBytes(kBlockBytes), 28u);
  EXPECT_EQ(FooterBytes(kBlockBytes + 1), 32u);
  EXPECT_EQ(FooterBytes(uint64_t{1} << 30), 4u * 16384 + 24);
}

TEST(BlockChecksums, FooterRoundTripsAndHasTheDocumentedTrailer) {
  std::string data = Pattern(3 * kBlockBytes + 100);
  std::string footer = FooterOf(data);
  ASSERT_EQ(footer.size(), FooterBytes(data.size()));
  std::string_view trailer = std::string_view(footer).substr(footer.size() - kTrailerBytes);
  EXPECT_EQ(trailer.substr(0, 8), "KURACRC1");
  EXPECT_EQ(static_cast<unsigned char>(trailer[8]), 0u);  // 65536 LE = 00 00 01 00
  EXPECT_EQ(static_cast<unsigned char>(trailer[10]), 1u);
  auto table = ParseFooter(footer, data.size());
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->size(), 4u);
  EXPECT_EQ((*table)[0], BlockCrc(std::span(data.data(), kBlockBytes)));
  EXPECT_EQ((*table)[3], BlockCrc(std::span(data.data() + 3 * kBlockBytes, 100)));
  EXPECT_TRUE(VerifyBlocks(*table, 0, data));
}

TEST(BlockChecksums, AnEmptyBlobHasAnEmptyTable) {
  std::string footer = FooterOf("");
  auto table = ParseFooter(footer, 0);
  ASSERT_TRUE(table);
  EXPECT_TRUE(table->empty());
}

TEST(BlockChecksums, StreamingInAnyPiecesGivesTheSameFooter) {
  std::string data = Pattern(2 * kBlockBytes + 7);
  std::string whole = FooterOf(data);
  for (size_t piece : {1u, 7u, 4096u, 65536u, 65537u, 1000000u}) {
    BlockCrcAccumulator acc;
    for (size_t at = 0; at < data.size(); at += piece) {
      acc.Update(std::string_view(data).substr(at, piece));
    }
    EXPECT_EQ(acc.size(), data.size());
    EXPECT_EQ(acc.Footer(), whole) << "piece " << piece;
  }
}

TEST(BlockChecksums, ClassifiesFilesBySize) {
  uint64_t data = 100000;
  EXPECT_EQ(ClassifyBlobFile(data, data), BlobLayout::kLegacy);
  EXPECT_EQ(ClassifyBlobFile(data + FooterBytes(data), data), BlobLayout::kVerified);
  EXPECT_EQ(ClassifyBlobFile(data + FooterBytes(data) - 1, data), BlobLayout::kCorrupt);
  EXPECT_EQ(ClassifyBlobFile(data - 1, data), BlobLayout::kCorrupt);  // truncated
  EXPECT_EQ(ClassifyBlobFile(data + FooterBytes(data) + 1, data), BlobLayout::kCorrupt);
}

TEST(BlockChecksums, AFlippedBitInTheDataFailsItsBlockOnly) {
  std::string data = Pattern(3 * kBlockBytes);
  auto table = ParseFooter(FooterOf(data), data.size());
  ASSERT_TRUE(table);
  data[kBlockBytes + 5] ^= 0x10;
  auto bad = VerifyBlocks(*table, 0, data);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruptData);
  EXPECT_NE(bad.error().message.find("block 1"), std::string::npos);
  std::string_view view(data);
  EXPECT_TRUE(VerifyBlocks(*table, 0, view.substr(0, kBlockBytes)));  // a range before it
  EXPECT_TRUE(VerifyBlocks(*table, 2, view.substr(2 * kBlockBytes)));  // a range after it
  EXPECT_FALSE(VerifyBlocks(*table, 1, view.substr(kBlockBytes, kBlockBytes)));
}

TEST(BlockChecksums, EveryFlippedBitInTheFooterIsCaught) {
  std::string data = Pattern(kBlockBytes + 3);
  std::string footer = FooterOf(data);
  for (size_t i = 0; i < footer.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = footer;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      auto table = ParseFooter(bad, data.size());
      ASSERT_FALSE(table) << "byte " << i << " bit " << bit;
      EXPECT_EQ(table.error().code, ErrorCode::kCorruptData);
    }
  }
}

TEST(BlockChecksums, AFooterForAnotherSizeIsRefused) {
  std::string data = Pattern(1000);
  std::string footer = FooterOf(data);
  EXPECT_FALSE(ParseFooter(footer, 999));   // same block count, other data size
  EXPECT_FALSE(ParseFooter(footer, 70000));  // other block count: other footer size
  EXPECT_FALSE(ParseFooter(std::string_view(footer).substr(1), 1000));
}

TEST(BlockChecksums, TheTrailerAloneTellsTheDataSize) {
  std::string data = Pattern(2 * kBlockBytes + 1);
  std::string footer = FooterOf(data);
  auto trailer = ParseTrailer(std::string_view(footer).substr(footer.size() - kTrailerBytes));
  ASSERT_TRUE(trailer);
  EXPECT_EQ(trailer->data_size, data.size());
  auto table = ParseTable(std::string_view(footer).substr(0, 12), *trailer);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->size(), 3u);
  EXPECT_FALSE(ParseTable(std::string_view(footer).substr(0, 8), *trailer));
  EXPECT_FALSE(ParseTrailer(std::string(kTrailerBytes, '\0')));
}

TEST(BlockChecksums, ReadingPastTheTableIsCorrupt) {
  std::string data = Pattern(10);
  auto table = ParseFooter(FooterOf(data), data.size());
  ASSERT_TRUE(table);
  EXPECT_FALSE(VerifyBlocks(*table, 1, "x"));
}

}  // namespace
}  // namespace kura::store
