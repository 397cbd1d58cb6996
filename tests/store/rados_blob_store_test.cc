// The RADOS blob store beyond the contract suite (which runs against it as SqliteRados): blobs of
// several stripes, reads across stripe boundaries, what a discarded writer and Delete leave, the
// orphan sweep's grace period, damaged stripes refused, an unreachable cluster as an error, and
// the flag form of the options. Needs the cluster of rados_test_env.h (skips without it) except
// the tests of pure functions and of an unreachable cluster.
#include "store/rados/rados_blob_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <future>
#include <set>

#include "rados_test_env.h"
#include "store/blob_reads.h"
#include "store/rados/rados_io.h"
#include "store/rados/rados_layout.h"
#include "store/read_integrity.h"
#include "store_test_util.h"

namespace kura::store::rados {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

std::string RandomBytes(size_t n, uint64_t seed = 1) {
  std::string bytes(n, '\0');
  FakeRandom(seed).Fill(std::span(reinterpret_cast<uint8_t*>(bytes.data()), n));
  return bytes;
}

class RadosBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KURA_SKIP_WITHOUT_RADOS();
    options_ = *testing::TestRadosOptions();
    store_ = OpenStore(options_);
    ASSERT_NE(store_, nullptr);
  }

  static std::unique_ptr<RadosBlobStore> OpenStore(const RadosOptions& options) {
    auto opened = RadosBlobStore::Open(options);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(opened).value() : nullptr;
  }

  // Every object name in this test's namespace.
  std::set<std::string> Objects() {
    std::set<std::string> names;
    rados_list_ctx_t list = nullptr;
    EXPECT_EQ(rados_nobjects_list_open(store_->io(), &list), 0);
    const char* name = nullptr;
    while (rados_nobjects_list_next(list, &name, nullptr, nullptr) == 0) names.insert(name);
    rados_nobjects_list_close(list);
    return names;
  }

  uint64_t ObjectSize(const std::string& name) {
    uint64_t size = 0;
    time_t mtime = 0;
    EXPECT_EQ(rados_stat(store_->io(), name.c_str(), &size, &mtime), 0) << name;
    return size;
  }

  // Appends `data` in pieces whose sizes cycle through `sizes`.
  BlobRef WriteInPieces(const std::string& data, const std::vector<size_t>& sizes) {
    auto writer = store_->NewWriter();
    size_t at = 0;
    for (size_t i = 0; at < data.size(); ++i) {
      size_t n = std::min(sizes[i % sizes.size()], data.size() - at);
      EXPECT_TRUE(writer->Append(std::string_view(data).substr(at, n)));
      at += n;
    }
    auto ref = writer->Seal();
    EXPECT_TRUE(ref) << ref.error().message;
    return ref ? *ref : BlobRef{};
  }

  std::string ReadRange(BlobReader& reader, uint64_t offset, size_t n) {
    std::string out(n, '\0');
    auto got = reader.ReadAt(offset, out);
    EXPECT_TRUE(got) << got.error().message;
    out.resize(got ? *got : 0);
    return out;
  }

  RadosOptions options_;
  std::unique_ptr<RadosBlobStore> store_;
};

TEST_F(RadosBlobStoreTest, StripesANineMebibyteBlobWrittenInOddPieces) {
  std::string data = RandomBytes(9 * kMiB + 12345);
  BlobRef ref = WriteInPieces(data, {1, 4097, 65539, kMiB - 1, 3 * kMiB + 7, 300000});
  ASSERT_EQ(ref.kind, BlobRef::Kind::kFile);
  EXPECT_EQ(ref.size, data.size());
  EXPECT_EQ(ref.id.size(), kBlobIdHexChars);
  EXPECT_EQ(Objects(), (std::set<std::string>{ref.id + ".0", ref.id + ".1", ref.id + ".2"}));
  EXPECT_EQ(ObjectSize(ref.id + ".0"), kStripeBytes);
  EXPECT_EQ(ObjectSize(ref.id + ".2"), kMiB + 12345);
  EXPECT_EQ(*testing::ReadBlob(*store_, ref), data);
}

TEST_F(RadosBlobStoreTest, BlobsEndingOnAPieceOrStripeBoundaryAndEmptyOnesReadBack) {
  for (uint64_t size :
       {uint64_t{0}, kPieceBytes, kStripeBytes, 2 * kStripeBytes, kStripeBytes + kPieceBytes}) {
    std::string data = RandomBytes(size, size);
    auto ref = testing::WriteBlob(*store_, data, Placement::kAlwaysFile, 100000);
    ASSERT_TRUE(ref) << ref.error().message;
    EXPECT_EQ(*testing::ReadBlob(*store_, *ref), data) << size;
  }
}

TEST_F(RadosBlobStoreTest, ReadAtCrossesStripeBoundariesAndStopsAtTheEnd) {
  std::string data = RandomBytes(2 * kStripeBytes + 5000, 7);
  BlobRef ref = WriteInPieces(data, {kMiB});
  auto reader = store_->Open(ref);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->fd(), -1);
  EXPECT_EQ((*reader)->size(), data.size());
  struct Range {
    uint64_t offset;
    size_t n;
  };
  for (Range r : {Range{kStripeBytes - 100, 200}, Range{kStripeBytes - 70000, 150000},
                  Range{0, 128 * 1024}, Range{kStripeBytes, 64 * 1024}, Range{3, 2 * kStripeBytes},
                  Range{2 * kStripeBytes - 1, 5001}}) {
    EXPECT_EQ(ReadRange(**reader, r.offset, r.n), data.substr(r.offset, r.n)) << r.offset;
  }
  EXPECT_EQ(ReadRange(**reader, data.size() - 10, 100), data.substr(data.size() - 10));
  EXPECT_EQ(ReadRange(**reader, data.size(), 100), "");
}

TEST_F(RadosBlobStoreTest, AWriterDestroyedWithoutSealLeavesNothing) {
  {
    auto writer = store_->NewWriter();
    std::string data = RandomBytes(6 * kMiB + 3);
    ASSERT_TRUE(writer->Append(data));
  }
  {
    auto writer = store_->NewWriter();
    ASSERT_TRUE(writer->Append(RandomBytes(100000)));  // spilled, nothing sent yet
  }
  EXPECT_TRUE(Objects().empty());
}

TEST_F(RadosBlobStoreTest, DeleteRemovesEveryStripeAndOpenThenSaysNoSuchKey) {
  BlobRef ref = WriteInPieces(RandomBytes(5 * kMiB), {kMiB});
  ASSERT_EQ(Objects().size(), 2u);
  store_->Delete(ref);
  EXPECT_TRUE(Objects().empty());
  EXPECT_EQ(store_->Open(ref).error().code, ErrorCode::kNoSuchKey);
}

TEST_F(RadosBlobStoreTest, AReaderOfADeletedBlobFailsInsteadOfServingOtherBytes) {
  std::string data = RandomBytes(5 * kMiB, 3);
  BlobRef ref = WriteInPieces(data, {kMiB});
  auto reader = store_->Open(ref);
  ASSERT_TRUE(reader);
  EXPECT_EQ(ReadRange(**reader, 0, 1000), data.substr(0, 1000));
  store_->Delete(ref);
  std::string out(1000, '\0');
  auto got = (*reader)->ReadAt(kStripeBytes, out);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kInternalError);
}

TEST_F(RadosBlobStoreTest, TheOrphanSweepSparesYoungBlobsAndThoseThisStoreWrote) {
  BlobRef orphan = WriteInPieces(RandomBytes(5 * kMiB, 4), {kMiB});
  BlobRef kept = WriteInPieces(RandomBytes(100000, 5), {kMiB});
  ASSERT_EQ(rados_write_full(store_->io(), "not-kura", "x", 1), 0);
  auto referenced = [&](const std::string& id) { return id == kept.id; };

  RadosOptions no_grace = options_;
  no_grace.orphan_grace = std::chrono::seconds(0);
  // This store wrote the orphan since it opened: its metadata may not have committed yet.
  EXPECT_EQ(*store_->RemoveUnreferenced(referenced), 0);
  // Another node's store, with the default grace: the orphan is too young.
  auto other = OpenStore(options_);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(*other->RemoveUnreferenced(referenced), 0);
  EXPECT_EQ(Objects().size(), 4u);
  // Without a grace period it is fair game; the referenced blob and foreign objects stay.
  auto impatient = OpenStore(no_grace);
  ASSERT_NE(impatient, nullptr);
  EXPECT_EQ(*impatient->RemoveUnreferenced(referenced), 1);
  EXPECT_EQ(Objects(), (std::set<std::string>{kept.id + ".0", "not-kura"}));
}

TEST_F(RadosBlobStoreTest, DamagedStripesAreRefusedAndTheRestStillReads) {
  std::string data = RandomBytes(5 * kMiB, 6);
  BlobRef ref = WriteInPieces(data, {kMiB});
  uint64_t corrupt_before = ReadIntegrity().corrupt_reads;
  // One flipped byte in stripe 1's second block.
  std::string name = ref.id + ".1";
  char flipped = static_cast<char>(data[kStripeBytes + kBlockBytes + 10] ^ 0x20);
  ASSERT_EQ(rados_write(store_->io(), name.c_str(), &flipped, 1, kBlockBytes + 10), 0);
  auto reader = store_->Open(ref);
  ASSERT_TRUE(reader);
  std::string out(100, '\0');
  auto bad = (*reader)->ReadAt(kStripeBytes + kBlockBytes, out);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruptData);
  EXPECT_EQ(ReadRange(**reader, kStripeBytes, 100), data.substr(kStripeBytes, 100));
  EXPECT_EQ(ReadRange(**reader, 0, kMiB), data.substr(0, kMiB));
  EXPECT_EQ(ReadIntegrity().corrupt_reads, corrupt_before + 1);
  // A truncated stripe and a stripe without its checksums are refused too.
  ASSERT_EQ(rados_trunc(store_->io(), name.c_str(), 1000), 0);
  auto reopened = store_->Open(ref);
  ASSERT_TRUE(reopened);
  EXPECT_EQ((*reopened)->ReadAt(kStripeBytes, out).error().code, ErrorCode::kCorruptData);
  ASSERT_EQ(rados_rmxattr(store_->io(), (ref.id + ".0").c_str(), kCrcXattr), 0);
  EXPECT_EQ(store_->Open(ref).error().code, ErrorCode::kCorruptData);
}

// An encrypted blob's metadata gives the plaintext size, below the stored ciphertext's length.
TEST_F(RadosBlobStoreTest, ABoundedOpenAndDeleteGoByTheStoredLength) {
  std::string data = RandomBytes(kStripeBytes + 10, 8);
  BlobRef ref = WriteInPieces(data, {kMiB});
  BlobRef plaintext = ref;
  plaintext.size = kStripeBytes;  // one stripe by this size; two are stored
  auto bounded =
      store_->OpenBounded(BlobRef{.kind = ref.kind, .id = ref.id, .size = ref.size + 4096});
  ASSERT_TRUE(bounded) << bounded.error().message;
  EXPECT_EQ((*bounded)->size(), data.size());
  EXPECT_EQ(ReadRange(**bounded, kStripeBytes - 5, 100), data.substr(kStripeBytes - 5));
  EXPECT_EQ(store_->Open(plaintext).error().code, ErrorCode::kCorruptData);
  EXPECT_EQ(store_->OpenBounded(plaintext).error().code, ErrorCode::kCorruptData);
  store_->Delete(plaintext);
  EXPECT_TRUE(Objects().empty());
}

TEST_F(RadosBlobStoreTest, ABlobThatWasNeverSealedIsNotServed) {
  BlobRef ref = WriteInPieces(RandomBytes(100000, 9), {kMiB});
  ASSERT_EQ(rados_rmxattr(store_->io(), (ref.id + ".0").c_str(), kSizeXattr), 0);
  EXPECT_EQ(store_->Open(ref).error().code, ErrorCode::kCorruptData);
}

TEST_F(RadosBlobStoreTest, ReadsRunOnTheStoresReadPool) {
  std::promise<std::thread::id> ran;
  PostRead(*store_, [&] { ran.set_value(std::this_thread::get_id()); });
  EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
}

TEST_F(RadosBlobStoreTest, AMissingPoolIsAnError) {
  RadosOptions options = options_;
  options.pool = "no-such-pool";
  auto opened = RadosBlobStore::Open(options);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("no-such-pool"), std::string::npos);
}

// No cluster needed: a monitor address nobody listens on.
TEST(RadosBlobStore, AnUnreachableClusterIsAnErrorWithinTheTimeout) {
  testing::TempDir dir;
  std::filesystem::path conf = dir.path() / "ceph.conf";
  std::ofstream(conf) << "[global]\nmon host = 127.0.0.1:9\nauth client required = none\n";
  RadosOptions options;
  options.pool = "p";
  options.conf_path = conf.string();
  options.op_timeout = std::chrono::seconds(2);
  auto start = std::chrono::steady_clock::now();
  auto opened = RadosBlobStore::Open(options);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kServiceUnavailable);  // out of reach: try again
  EXPECT_LT(took, std::chrono::seconds(10));
}

// A cluster out of reach for now is 503 (clients retry); anything else stays 500.
TEST(RadosBlobStore, TimeoutsAndLostConnectionsAreServiceUnavailable) {
  for (int rc : {-ETIMEDOUT, -ENOTCONN, -ESHUTDOWN, -EAGAIN}) {
    EXPECT_EQ(RadosError("write", "x.0", rc).code, ErrorCode::kServiceUnavailable) << rc;
  }
  for (int rc : {-EIO, -EINVAL, -EPERM}) {
    EXPECT_EQ(RadosError("write", "x.0", rc).code, ErrorCode::kInternalError) << rc;
  }
}

TEST(RadosUrl, ParsesThePoolAndEveryParameter) {
  auto options = ParseRadosUrl(
      "rados://kura-data?conf=/etc/ceph/ceph.conf&id=kura&namespace=eu%2F1&grace=60&timeout=5");
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->pool, "kura-data");
  EXPECT_EQ(options->conf_path, "/etc/ceph/ceph.conf");
  EXPECT_EQ(options->user_id, "kura");
  EXPECT_EQ(options->name_space, "eu/1");
  EXPECT_EQ(options->orphan_grace, std::chrono::seconds(60));
  EXPECT_EQ(options->op_timeout, std::chrono::seconds(5));
  auto defaults = ParseRadosUrl("rados://p");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->user_id, "admin");
  EXPECT_EQ(defaults->orphan_grace, std::chrono::hours(1));
}

TEST(RadosUrl, RejectsWhatItDoesNotUnderstand) {
  for (const char* url :
       {"s3://p", "rados://", "rados://?conf=x", "rados://p?colour=red", "rados://p?grace=-1",
        "rados://p?grace=1h", "rados://p?timeout=0", "rados://p?id=", "rados://p?conf=%zz"}) {
    auto options = ParseRadosUrl(url);
    ASSERT_FALSE(options) << url;
    EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

TEST(RadosLayout, StripeNamesRoundTripAndForeignNamesAreNotOurs) {
  std::string id(kBlobIdHexChars, 'a');
  auto address = ParseStripeName(StripeName(id, 17));
  ASSERT_TRUE(address);
  EXPECT_EQ(address->id, id);
  EXPECT_EQ(address->index, 17u);
  for (std::string name : {std::string("not-kura"), id, id + ".", id + ".01", id + ".x",
                           std::string(kBlobIdHexChars, 'A') + ".0", id + "a.0"}) {
    EXPECT_FALSE(ParseStripeName(name)) << name;
  }
  EXPECT_EQ(StripeCount(0), 1u);
  EXPECT_EQ(StripeCount(kStripeBytes), 1u);
  EXPECT_EQ(StripeCount(kStripeBytes + 1), 2u);
  EXPECT_EQ(StripeLength(kStripeBytes + 1, 1), 1u);
}

}  // namespace
}  // namespace kura::store::rados
