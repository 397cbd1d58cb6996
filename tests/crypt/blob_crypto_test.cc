#include "crypt/blob_crypto.h"

#include <gtest/gtest.h>

#include "crypt/encrypted_blob.h"
#include "tests/crypt/blob_test_util.h"

namespace kura::crypt {
namespace {

using testing::Decryptor;
using testing::Encrypt;
using testing::PatternBytes;
using testing::ReadAll;

class RoundTrip : public ::testing::TestWithParam<size_t> {};

TEST_P(RoundTrip, ReadsBackWhatWasWrittenWhateverTheReadSize) {
  std::string plaintext = PatternBytes(GetParam());
  std::string stored = Encrypt(plaintext);
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored.size(),
            EncryptedSize(plaintext.size(), kFixedHeaderBytes + testing::kTestSealedKey.size(),
                          kSegmentBytes));
  EXPECT_LE(stored.size(), EncryptedSizeBound(plaintext.size()));
  for (size_t chunk : {size_t{1000}, size_t{kSegmentBytes}, size_t{1} << 20}) {
    auto reader = Decryptor(stored, plaintext.size());
    ASSERT_TRUE(reader);
    EXPECT_EQ((*reader)->size(), plaintext.size());
    EXPECT_EQ((*reader)->fd(), -1);
    auto read = ReadAll(**reader, chunk);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_TRUE(*read == plaintext) << chunk;
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, RoundTrip,
                         ::testing::Values(0, 1, kSegmentBytes - 1, kSegmentBytes,
                                           kSegmentBytes + 1, kWriterStagingBytes,
                                           kWriterStagingBytes + 1, 3 * 1024 * 1024 + 17));

TEST(EncryptingWriter, StoresNoPlaintext) {
  std::string plaintext(200000, 'A');
  std::string stored = Encrypt(plaintext);
  EXPECT_EQ(stored.find(std::string(32, 'A')), std::string::npos);
}

TEST(EncryptingWriter, TakesBytesInPlaceThroughPrepareAppend) {
  std::string stored;
  auto writer = NewEncryptingWriter(std::make_unique<testing::StringWriter>(stored),
                                    testing::TestKey(), testing::kTestSealedKey);
  ASSERT_TRUE(writer);
  std::string plaintext = PatternBytes(5 * kSegmentBytes + 3);
  for (size_t at = 0; at < plaintext.size();) {
    auto space = (*writer)->PrepareAppend();
    ASSERT_TRUE(space);
    size_t n = std::min(space->size(), plaintext.size() - at);
    std::memcpy(space->data(), plaintext.data() + at, n);
    ASSERT_TRUE((*writer)->CommitAppend(n));
    at += n;
  }
  EXPECT_EQ((*writer)->size(), plaintext.size());
  ASSERT_TRUE((*writer)->Seal());
  auto reader = Decryptor(stored, plaintext.size());
  ASSERT_TRUE(reader);
  EXPECT_TRUE(*ReadAll(**reader, 4096) == plaintext);
}

TEST(DecryptingReader, ReadsRangesAcrossSegmentEdges) {
  std::string plaintext = PatternBytes(4 * kSegmentBytes + 100);
  std::string stored = Encrypt(plaintext);
  auto reader = Decryptor(stored, plaintext.size());
  ASSERT_TRUE(reader);
  for (uint64_t offset : {uint64_t{0}, uint64_t{kSegmentBytes - 1}, uint64_t{kSegmentBytes},
                          uint64_t{2 * kSegmentBytes - 5}, uint64_t{4 * kSegmentBytes + 99}}) {
    for (size_t length : {size_t{1}, size_t{10}, size_t{kSegmentBytes + 2}}) {
      std::string out(length, '\0');
      size_t have = 0;
      while (have < length) {
        auto got =
            (*reader)->ReadAt(offset + have, std::span<char>(out.data() + have, length - have));
        ASSERT_TRUE(got);
        if (*got == 0) break;
        have += *got;
      }
      size_t expected = std::min<uint64_t>(length, plaintext.size() - offset);
      ASSERT_EQ(have, expected) << offset << "+" << length;
      EXPECT_EQ(out.substr(0, have), plaintext.substr(offset, have)) << offset << "+" << length;
    }
  }
  char byte;
  EXPECT_EQ(*(*reader)->ReadAt(plaintext.size(), std::span<char>(&byte, 1)), 0u);
}

// Every stored byte matters: the header (its hash is in every segment's AAD), each segment's
// ciphertext and each tag.
TEST(DecryptingReader, FailsOnAnyFlippedByte) {
  std::string plaintext = PatternBytes(2 * kSegmentBytes + 10);
  std::string stored = Encrypt(plaintext);
  size_t header = kFixedHeaderBytes + testing::kTestSealedKey.size();
  std::vector<size_t> positions;
  for (size_t i = 0; i < header; ++i) positions.push_back(i);
  for (size_t at :
       {header, header + 500, header + kSegmentBytes + 3, header + kSegmentBytes + kTagBytes,
        stored.size() - kTagBytes - 1, stored.size() - 1}) {
    positions.push_back(at);
  }
  for (size_t at : positions) {
    std::string tampered = stored;
    tampered[at] = static_cast<char>(tampered[at] ^ 1);
    auto reader = Decryptor(tampered, plaintext.size());
    if (!reader) continue;  // a header that no longer parses or opens: refused up front
    auto read = ReadAll(**reader, 1 << 20);
    EXPECT_FALSE(read) << "flipped byte at " << at;
    if (read) continue;
    EXPECT_EQ(read.error().code, ErrorCode::kInternalError);
  }
}

TEST(DecryptingReader, FailsWhenTheBlobIsCutShort) {
  std::string plaintext = PatternBytes(2 * kSegmentBytes + 10);
  std::string stored = Encrypt(plaintext);
  for (size_t cut : {size_t{1}, size_t{kTagBytes}, size_t{kSegmentBytes}, stored.size() - 20}) {
    auto reader = Decryptor(stored.substr(0, stored.size() - cut), plaintext.size());
    if (!reader) continue;
    EXPECT_FALSE(ReadAll(**reader, 1 << 20)) << cut;
  }
}

TEST(DecryptingReader, FailsWhenSegmentsAreSwappedOrDropped) {
  std::string plaintext = PatternBytes(3 * kSegmentBytes);
  std::string stored = Encrypt(plaintext);
  size_t header = kFixedHeaderBytes + testing::kTestSealedKey.size();
  size_t segment = kSegmentBytes + kTagBytes;
  std::string first = stored.substr(header, segment);
  std::string second = stored.substr(header + segment, segment);
  std::string swapped = stored;
  swapped.replace(header, segment, second);
  swapped.replace(header + segment, segment, first);
  auto reader = Decryptor(swapped, plaintext.size());
  ASSERT_TRUE(reader);
  EXPECT_FALSE(ReadAll(**reader, 1 << 20));
  // The last segment dropped, the metadata's size cut to match: the new last one is not final.
  std::string dropped = stored.substr(0, header + 2 * segment);
  auto shorter = Decryptor(dropped, 2 * kSegmentBytes);
  ASSERT_TRUE(shorter);
  EXPECT_FALSE(ReadAll(**shorter, 1 << 20));
}

// Each blob has its own data key, so a segment of another blob never verifies in this one.
TEST(DecryptingReader, FailsForAnotherBlobsSegment) {
  std::string a = Encrypt(PatternBytes(kSegmentBytes + 1));
  std::string b;
  auto writer = NewEncryptingWriter(std::make_unique<testing::StringWriter>(b),
                                    Secret(std::string(32, 'o')), testing::kTestSealedKey);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append(std::string(kSegmentBytes + 1, 'b')));
  ASSERT_TRUE((*writer)->Seal());
  size_t header = kFixedHeaderBytes + testing::kTestSealedKey.size();
  std::string spliced = a;
  spliced.replace(header, kSegmentBytes + kTagBytes, b.substr(header, kSegmentBytes + kTagBytes));
  auto reader = Decryptor(spliced, kSegmentBytes + 1);
  ASSERT_TRUE(reader);
  EXPECT_FALSE(ReadAll(**reader, 1 << 20));
}

TEST(DecryptingReader, PassesTheKeyOpenersErrorThrough) {
  std::string stored = Encrypt("hello");
  auto reader = NewDecryptingReader(
      std::make_unique<testing::StringReader>(stored), 5,
      [](std::string_view) -> Result<Secret> { return MakeError(ErrorCode::kS3KmsDisabled); });
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kS3KmsDisabled);
}

}  // namespace
}  // namespace kura::crypt
