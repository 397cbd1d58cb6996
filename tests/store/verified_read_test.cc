// Verified reads of the filesystem store (#16): every read of a file blob checks the CRC32C of
// each block it touches, so a flipped bit anywhere in the file is an error, never bytes; a read
// of other blocks still succeeds; legacy files (no footer) are read unverified; a file of any
// other size is corrupt; inline bodies are checked against inline_blobs.crc32c.
#include <gtest/gtest.h>

#include <fstream>

#include "store/blob_reads.h"
#include "store/fs/block_checksums.h"
#include "store/fs/fs_blob_store.h"
#include "store/read_integrity.h"
#include "store/sqlite/db.h"
#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

using testing::Pattern;

std::filesystem::path PathOf(const testing::TempDir& dir, const std::string& id) {
  return dir.path() / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
}

void FlipByte(const std::filesystem::path& path, uint64_t at) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x01);
  f.seekp(static_cast<std::streamoff>(at));
  f.write(&c, 1);
}

// Reads [offset, offset + length) through the store's reader, in `piece`-byte reads.
Result<std::string> ReadRange(BlobStore& blobs, const BlobRef& ref, uint64_t offset,
                              uint64_t length, size_t piece = 100000) {
  auto reader = blobs.Open(ref);
  if (!reader) return reader.error();
  std::string out;
  std::string buffer(piece, '\0');
  while (out.size() < length) {
    size_t want = std::min<uint64_t>(piece, length - out.size());
    auto n = (*reader)->ReadAt(offset + out.size(), std::span<char>(buffer.data(), want));
    if (!n) return n.error();
    if (*n == 0) break;
    out.append(buffer.data(), *n);
  }
  return out;
}

class VerifiedRead : public ::testing::Test {
 protected:
  void SetUp() override {
    // These tests change the database behind the store's back (bit rot); a record cache would
    // rightly keep answering with what it verified before, so it is off here.
    sqlite::SqliteOptions options;
    options.record_cache_bytes = 0;
    auto opened = OpenDataDir(dir_.path(), std::move(options));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  BlobStore& blobs() { return *store_->blobs; }
  BlobRef Write(std::string_view data) {
    auto ref = testing::WriteBlob(blobs(), data, Placement::kAlwaysFile);
    EXPECT_TRUE(ref);
    return *ref;
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(VerifiedRead, ReadsBackEveryRangeOfAGoodBlob) {
  std::string data = Pattern(5 * kBlockBytes + 123);
  BlobRef ref = Write(data);
  for (auto [offset, length, piece] : std::vector<std::tuple<uint64_t, uint64_t, size_t>>{
           {0, data.size(), 1 << 20},
           {0, data.size(), 1000},
           {1, data.size() - 1, 70000},
           {kBlockBytes - 1, 2, 1},
           {3 * kBlockBytes, 2 * kBlockBytes + 123, kBlockBytes},
           {data.size() - 1, 1, 5}}) {
    auto got = ReadRange(blobs(), ref, offset, length, piece);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, data.substr(offset, length)) << offset << "+" << length << " by " << piece;
  }
}

TEST_F(VerifiedRead, AFlippedDataByteFailsReadsOfItsBlockOnly) {
  std::string data = Pattern(4 * kBlockBytes);
  BlobRef ref = Write(data);
  FlipByte(PathOf(dir_, ref.id), 2 * kBlockBytes + 17);
  uint64_t corrupt_before = ReadIntegrity().corrupt_reads;

  auto whole = ReadRange(blobs(), ref, 0, data.size());
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().code, ErrorCode::kCorruptData);
  EXPECT_EQ(whole.error().message.find('/'), std::string::npos);  // no server path
  auto one_byte = ReadRange(blobs(), ref, 2 * kBlockBytes + 17, 1);
  EXPECT_FALSE(one_byte);
  auto before = ReadRange(blobs(), ref, 0, 2 * kBlockBytes);  // blocks 0 and 1
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, data.substr(0, 2 * kBlockBytes));
  auto after = ReadRange(blobs(), ref, 3 * kBlockBytes, kBlockBytes);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, data.substr(3 * kBlockBytes));
  EXPECT_EQ(ReadIntegrity().corrupt_reads, corrupt_before + 2);
}

TEST_F(VerifiedRead, AFlippedByteInTheTableOrTrailerFailsTheOpen) {
  std::string data = Pattern(2 * kBlockBytes + 5);
  for (uint64_t at : {data.size() + 1,                             // the table
                      data.size() + FooterBytes(data.size()) - 1,  // the table's CRC
                      data.size() + 4 * 3 + 2}) {                  // the magic
    BlobRef ref = Write(data);
    FlipByte(PathOf(dir_, ref.id), at);
    auto reader = blobs().Open(ref);
    ASSERT_FALSE(reader) << at;
    EXPECT_EQ(reader.error().code, ErrorCode::kCorruptData);
  }
}

TEST_F(VerifiedRead, ATruncatedOrExtendedFileIsCorrupt) {
  std::string data = Pattern(kBlockBytes + 5);
  for (int64_t change : std::initializer_list<int64_t>{-1, -24, 10 - int64_t(data.size()), 1}) {
    BlobRef ref = Write(data);
    auto path = PathOf(dir_, ref.id);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) + change);
    auto reader = blobs().Open(ref);
    ASSERT_FALSE(reader) << change;
    EXPECT_EQ(reader.error().code, ErrorCode::kCorruptData);
  }
}

TEST_F(VerifiedRead, AFileCutShortUnderAnOpenReaderIsAnErrorWithoutAPath) {
  std::string data = Pattern(3 * kBlockBytes);
  BlobRef ref = Write(data);
  auto reader = blobs().Open(ref);
  ASSERT_TRUE(reader);
  std::filesystem::resize_file(PathOf(dir_, ref.id), kBlockBytes);
  std::string buffer(kBlockBytes, '\0');
  EXPECT_TRUE((*reader)->ReadAt(0, buffer));
  auto cut = (*reader)->ReadAt(2 * kBlockBytes, buffer);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::kInternalError);
  EXPECT_EQ(cut.error().message.find(dir_.path().string()), std::string::npos);
}

TEST_F(VerifiedRead, ALegacyFileWithoutFooterIsServedUnverifiedWithSendfile) {
  std::string data = Pattern(3 * kBlockBytes + 9);
  BlobRef ref = Write(data);
  std::filesystem::resize_file(PathOf(dir_, ref.id), data.size());  // as written before #16
  uint64_t unverified_before = ReadIntegrity().unverified_reads;
  auto reader = blobs().Open(ref);
  ASSERT_TRUE(reader);
  EXPECT_GE((*reader)->fd(), 0);
  auto got = ReadRange(blobs(), ref, 0, data.size());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, data);
  EXPECT_GE(ReadIntegrity().unverified_reads, unverified_before + 2);
}

TEST_F(VerifiedRead, ABoundedOpenLearnsTheStoredSizeFromTheFooter) {
  std::string data = Pattern(kBlockBytes + 77);
  BlobRef ref = Write(data);
  BlobRef bound = ref;
  bound.size = data.size() + 5000;  // as an encrypted blob is opened: an upper bound
  auto reader = OpenBounded(blobs(), bound);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->size(), data.size());
  FlipByte(PathOf(dir_, ref.id), 3);
  auto again = OpenBounded(blobs(), bound);
  ASSERT_TRUE(again);
  char c;
  auto n = (*again)->ReadAt(0, std::span<char>(&c, 1));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kCorruptData);
  // Written before checksums: no footer, shorter than the bound, read as it is.
  BlobRef legacy = Write(data);
  std::filesystem::resize_file(PathOf(dir_, legacy.id), data.size());
  legacy.size = data.size() + 5000;
  auto old = OpenBounded(blobs(), legacy);
  ASSERT_TRUE(old);
  EXPECT_EQ((*old)->size(), data.size());
}

TEST_F(VerifiedRead, PartsAreEachVerified) {
  std::string one = Pattern(kBlockBytes + 1, 'a');
  std::string two = Pattern(2 * kBlockBytes, 'k');
  BlobRef parts{.kind = BlobRef::Kind::kParts};
  for (const std::string* data : {&one, &two}) {
    BlobRef ref = Write(*data);
    parts.parts.push_back({ref.id, ref.size});
    parts.size += ref.size;
  }
  EXPECT_EQ(*ReadRange(blobs(), parts, 0, parts.size), one + two);
  FlipByte(PathOf(dir_, parts.parts[1].id), kBlockBytes + 1);
  EXPECT_FALSE(ReadRange(blobs(), parts, 0, parts.size));
  EXPECT_EQ(*ReadRange(blobs(), parts, 0, one.size() + kBlockBytes), one + two.substr(0, kBlockBytes));
}

TEST_F(VerifiedRead, AnEmptyFileBlobHasAFooterToo) {
  BlobRef ref = Write("");
  EXPECT_EQ(std::filesystem::file_size(PathOf(dir_, ref.id)), FooterBytes(0));
  auto got = ReadRange(blobs(), ref, 0, 0);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "");
}

TEST_F(VerifiedRead, AnInlineBodyIsCheckedAgainstItsStoredCrc) {
  MetadataStore& meta = *store_->metadata;
  ASSERT_TRUE(testing::CreateBucketSync(meta, testing::Bucket("b")));
  ASSERT_TRUE(testing::PutSync(meta, testing::Object("b", "k", "hello inline")));
  auto good = meta.GetObject("b", "k");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->blob.inline_data, "hello inline");
  {
    auto db = sqlite::Db::Open(dir_.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec("UPDATE inline_blobs SET data = CAST('hello inlinE' AS BLOB)"));
  }
  auto bad = meta.GetObject("b", "k");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruptData);
  EXPECT_TRUE(meta.GetObjectMeta("b", "k"));  // HEAD reads no body
  {
    auto db = sqlite::Db::Open(dir_.path() / "meta.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec("UPDATE inline_blobs SET crc32c = NULL"));  // a body from before #16
  }
  auto legacy = meta.GetObject("b", "k");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->blob.inline_data, "hello inlinE");
}

}  // namespace
}  // namespace kura::store
