// One contract suite, run against every store implementation: the in-memory fakes and the
// SQLite + filesystem store. Whatever passes here may be relied on by handlers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "contract_fixture.h"

namespace kura::store {
namespace {

using testing::Bucket;
using testing::CreateBucketSync;
using testing::DeleteBucketSync;
using testing::DeleteSync;
using testing::Object;
using testing::PutDocumentIfSync;
using testing::PutDocumentsSync;
using testing::PutSync;
using testing::ReadBlob;
using testing::WriteBlob;

TYPED_TEST_SUITE(StoreContract, Implementations, ImplNames);

// --- buckets ---

TYPED_TEST(StoreContract, CreatesGetsListsAndDeletesBuckets) {
  ASSERT_TRUE(CreateBucketSync(this->meta(), Bucket("a")));
  auto got = this->meta().GetBucket("a");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, Bucket("a"));
  auto all = this->meta().ListBuckets();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "a");
  EXPECT_EQ((*all)[1].name, "b");
  ASSERT_TRUE(DeleteBucketSync(this->meta(), "a"));
  EXPECT_EQ(this->meta().GetBucket("a").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(DeleteBucketSync(this->meta(), "a").error().code, ErrorCode::kNoSuchBucket);
}

TYPED_TEST(StoreContract, CreatingAnExistingBucketSaysWhoOwnsIt) {
  EXPECT_EQ(CreateBucketSync(this->meta(), Bucket("b")).error().code,
            ErrorCode::kBucketAlreadyOwnedByYou);
  EXPECT_EQ(CreateBucketSync(this->meta(), Bucket("b", "someone-else")).error().code,
            ErrorCode::kBucketAlreadyExists);
}

TYPED_TEST(StoreContract, KeepsTheOwnerAccountOfABucket) {
  BucketRecord bucket = Bucket("acct", "canonical-of-222");
  bucket.owner_account = "222222222222";
  ASSERT_TRUE(CreateBucketSync(this->meta(), bucket));
  auto got = this->meta().GetBucket("acct");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->owner_account, "222222222222");
  auto all = this->meta().ListBuckets();
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)[0].owner_account, "222222222222");
}

TYPED_TEST(StoreContract, DeletingABucketWithObjectsFails) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k")));
  EXPECT_EQ(DeleteBucketSync(this->meta(), "b").error().code, ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(DeleteSync(this->meta(), "b", "k"));
  EXPECT_TRUE(DeleteBucketSync(this->meta(), "b"));
}

TYPED_TEST(StoreContract, UpdateBucketAppliesTheMutationOrNothing) {
  auto update = [&](std::function<Result<void>(BucketRecord&)> mutate) {
    return WaitFor<void>(
        [&](Callback<void> cb) { this->meta().UpdateBucket("b", mutate, std::move(cb)); });
  };
  ASSERT_TRUE(update([](BucketRecord& b) -> Result<void> {
    b.policy_json = R"({"Version":"2012-10-17"})";
    b.tags = {{"env", "prod"}};
    b.cors_xml = "<CORSConfiguration/>";
    b.name = "renamed";  // ignored
    return Ok();
  }));
  auto got = this->meta().GetBucket("b");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->policy_json, R"({"Version":"2012-10-17"})");
  EXPECT_EQ(got->tags, (Pairs{{"env", "prod"}}));
  EXPECT_EQ(got->cors_xml, "<CORSConfiguration/>");

  auto failed = update([](BucketRecord& b) -> Result<void> {
    b.policy_json.clear();
    return ErrorCode::kMalformedPolicy;
  });
  EXPECT_EQ(failed.error().code, ErrorCode::kMalformedPolicy);
  EXPECT_EQ(this->meta().GetBucket("b")->policy_json, R"({"Version":"2012-10-17"})");
  EXPECT_EQ(WaitFor<void>([&](Callback<void> cb) {
              this->meta().UpdateBucket(
                  "nope", [](BucketRecord&) { return Ok(); }, std::move(cb));
            })
                .error()
                .code,
            ErrorCode::kNoSuchBucket);
}

// --- objects ---

TYPED_TEST(StoreContract, PutThenGetReturnsEveryField) {
  ObjectRecord o = Object("b", "dir/file.txt", std::string(1000, 'x'));
  o.headers = {{"Content-Encoding", "gzip"}, {"Cache-Control", "no-cache"}};
  o.user_metadata = {{"color", "blue"}, {"empty", ""}};
  o.checksum_algorithm = "CRC32C";
  o.checksum_value = "yZRlqg==";
  o.checksum_type = "FULL_OBJECT";
  o.tags = {{"k", "v"}};
  o.storage_class = "STANDARD_IA";
  o.last_modified = FromUnixSeconds(1700000000) + std::chrono::milliseconds(123);
  ASSERT_TRUE(PutSync(this->meta(), o));
  auto got = this->meta().GetObject("b", "dir/file.txt");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, o);
}

TYPED_TEST(StoreContract, GetReportsMissingKeyAndMissingBucket) {
  EXPECT_EQ(this->meta().GetObject("b", "nope").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(this->meta().GetObject("nope", "k").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(PutSync(this->meta(), Object("nope", "k")).error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(DeleteSync(this->meta(), "nope", "k").error().code, ErrorCode::kNoSuchBucket);
}

TYPED_TEST(StoreContract, OverwriteSwapsWholeAndReturnsTheReplacedBlob) {
  auto first = WriteBlob(this->blobs(), testing::Pattern(200000));
  ASSERT_TRUE(first);
  ObjectRecord o = Object("b", "k");
  o.blob = *first;
  o.size = first->size;
  auto put = PutSync(this->meta(), o);
  ASSERT_TRUE(put);
  EXPECT_FALSE(put->has_value());

  auto replaced = PutSync(this->meta(), Object("b", "k", "second"));
  ASSERT_TRUE(replaced);
  ASSERT_TRUE(replaced->has_value());
  EXPECT_EQ(**replaced, *first);
  EXPECT_EQ(this->meta().GetObject("b", "k")->blob.inline_data, "second");
  this->blobs().Delete(**replaced);
  EXPECT_EQ(this->blobs().Open(*first).error().code, ErrorCode::kNoSuchKey);
}

TYPED_TEST(StoreContract, DeleteReturnsTheRemovedBlobAndAMissingKeyIsNotAnError) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "data")));
  auto removed = DeleteSync(this->meta(), "b", "k");
  ASSERT_TRUE(removed);
  ASSERT_TRUE(removed->has_value());
  EXPECT_EQ((*removed)->kind, BlobRef::Kind::kInline);
  EXPECT_EQ(this->meta().GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  auto again = DeleteSync(this->meta(), "b", "k");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TYPED_TEST(StoreContract, IfNoneMatchAnyOnlyCreates) {
  WritePrecondition create_only{.if_none_match_any = true};
  EXPECT_TRUE(PutSync(this->meta(), Object("b", "k", "one"), create_only));
  EXPECT_EQ(PutSync(this->meta(), Object("b", "k", "two"), create_only).error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(this->meta().GetObject("b", "k")->blob.inline_data, "one");
}

TYPED_TEST(StoreContract, IfMatchComparesTheCurrentEtag) {
  WritePrecondition match;
  match.if_match_etag = "etag-k";
  EXPECT_EQ(PutSync(this->meta(), Object("b", "k"), match).error().code, ErrorCode::kNoSuchKey);
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "one")));
  match.if_match_etag = "\"other\"";
  EXPECT_EQ(PutSync(this->meta(), Object("b", "k", "two"), match).error().code,
            ErrorCode::kPreconditionFailed);
  match.if_match_etag = "\"etag-k\"";
  EXPECT_TRUE(PutSync(this->meta(), Object("b", "k", "three"), match));
  EXPECT_EQ(this->meta().GetObject("b", "k")->blob.inline_data, "three");
}

TYPED_TEST(StoreContract, UpdateObjectChangesMetadataButNeverTheBlob) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "bytes")));
  auto updated = WaitFor<void>([&](Callback<void> cb) {
    this->meta().UpdateObject(
        "b", "k",
        [](ObjectRecord& o) -> Result<void> {
          o.tags = {{"a", "1"}};
          o.blob.inline_data = "hijacked";
          o.key = "other";
          return Ok();
        },
        std::move(cb));
  });
  ASSERT_TRUE(updated);
  auto got = this->meta().GetObject("b", "k");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->tags, (Pairs{{"a", "1"}}));
  EXPECT_EQ(got->blob.inline_data, "bytes");
  auto missing = WaitFor<void>([&](Callback<void> cb) {
    this->meta().UpdateObject(
        "b", "nope", [](ObjectRecord&) { return Ok(); }, std::move(cb));
  });
  EXPECT_EQ(missing.error().code, ErrorCode::kNoSuchKey);
}

// --- blobs ---

TYPED_TEST(StoreContract, SmallBlobsAreInlineAndLargeOnesAreFiles) {
  std::string small = testing::Pattern(kInlineThreshold);
  auto inline_ref = WriteBlob(this->blobs(), small);
  ASSERT_TRUE(inline_ref);
  EXPECT_EQ(inline_ref->kind, BlobRef::Kind::kInline);
  EXPECT_EQ(inline_ref->inline_data, small);

  std::string large = testing::Pattern(kInlineThreshold + 1);
  auto file_ref = WriteBlob(this->blobs(), large);
  ASSERT_TRUE(file_ref);
  EXPECT_EQ(file_ref->kind, BlobRef::Kind::kFile);
  EXPECT_EQ(file_ref->size, large.size());
  EXPECT_EQ(*ReadBlob(this->blobs(), *file_ref), large);

  auto forced = WriteBlob(this->blobs(), "tiny", Placement::kAlwaysFile);
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->kind, BlobRef::Kind::kFile);
  EXPECT_EQ(*ReadBlob(this->blobs(), *forced), "tiny");
}

TYPED_TEST(StoreContract, BytesAppendedInPlaceMixWithAppendsInOrder) {
  // In-place pieces of up to 300 KB (PrepareAppend/CommitAppend, as a large PUT receives)
  // interleaved with copied ones, across the inline threshold and several staging buffers.
  std::string data = testing::Pattern(3 * 1024 * 1024 + 4321, 'q');
  auto writer = this->blobs().NewWriter();
  size_t at = 0;
  for (int i = 0; at < data.size(); ++i) {
    if (i % 3 == 2) {
      size_t n = std::min<size_t>(1000, data.size() - at);
      ASSERT_TRUE(writer->Append(std::string_view(data).substr(at, n)));
      at += n;
      continue;
    }
    auto space = writer->PrepareAppend();
    ASSERT_TRUE(space);
    ASSERT_FALSE(space->empty());
    size_t n = std::min({space->size(), data.size() - at, size_t{300000}});
    std::memcpy(space->data(), data.data() + at, n);
    ASSERT_TRUE(writer->CommitAppend(n));
    at += n;
  }
  EXPECT_EQ(writer->size(), data.size());
  auto ref = writer->Seal();
  ASSERT_TRUE(ref) << ref.error().message;
  EXPECT_EQ(*ReadBlob(this->blobs(), *ref), data);
}

TYPED_TEST(StoreContract, PartsBlobsReadAsTheConcatenationOfTheirParts) {
  std::string one = testing::Pattern(70000, 'a');
  std::string two = testing::Pattern(10, 'k');
  std::string three = testing::Pattern(90000, 'q');
  BlobRef parts{.kind = BlobRef::Kind::kParts};
  for (const std::string* data : {&one, &two, &three}) {
    auto ref = WriteBlob(this->blobs(), *data, Placement::kAlwaysFile);
    ASSERT_TRUE(ref);
    parts.parts.push_back({ref->id, ref->size});
    parts.size += ref->size;
  }
  EXPECT_EQ(*ReadBlob(this->blobs(), parts), one + two + three);
  this->blobs().Delete(parts);
  EXPECT_FALSE(this->blobs().Open(parts));
}

// --- documents ---

TYPED_TEST(StoreContract, DocumentsArePutListedAndDeletedTogether) {
  ASSERT_TRUE(PutDocumentsSync(
      this->meta(), {{"user", "bob", "{b}"}, {"user", "alice", "{a}"}, {"role", "admin", "{r}"}}));
  EXPECT_EQ(*this->meta().GetDocument("user", "bob"), std::optional<std::string>("{b}"));
  EXPECT_EQ(*this->meta().GetDocument("user", "carol"), std::nullopt);
  auto users = this->meta().ListDocuments("user");
  ASSERT_TRUE(users);
  EXPECT_EQ(*users,
            (std::vector<std::pair<std::string, std::string>>{{"alice", "{a}"}, {"bob", "{b}"}}));
  ASSERT_TRUE(PutDocumentsSync(
      this->meta(), {{"user", "bob", std::nullopt}, {"user", "alice", std::string("{a2}")}}));
  EXPECT_EQ(this->meta().ListDocuments("user")->size(), 1u);
  EXPECT_EQ(*this->meta().GetDocument("user", "alice"), std::optional<std::string>("{a2}"));
  EXPECT_EQ(this->meta().ListDocuments("role")->size(), 1u);
}

TYPED_TEST(StoreContract, DocumentCreatedIfAbsentOnlyByTheFirstWriter) {
  auto first = PutDocumentIfSync(this->meta(), {"node", "account-id", "111"}, std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(*first);
  auto second = PutDocumentIfSync(this->meta(), {"node", "account-id", "222"}, std::nullopt);
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);
  EXPECT_EQ(*this->meta().GetDocument("node", "account-id"), std::optional<std::string>("111"));
}

TYPED_TEST(StoreContract, DocumentReplacedOnlyWhileItHoldsTheExpectedValue) {
  ASSERT_TRUE(PutDocumentsSync(this->meta(), {{"node", "ring", "v1"}}));
  EXPECT_FALSE(*PutDocumentIfSync(this->meta(), {"node", "ring", "v3"}, "v2"));
  EXPECT_FALSE(*PutDocumentIfSync(this->meta(), {"node", "ring", "v3"}, std::nullopt));
  EXPECT_EQ(*this->meta().GetDocument("node", "ring"), std::optional<std::string>("v1"));
  EXPECT_TRUE(*PutDocumentIfSync(this->meta(), {"node", "ring", "v2"}, "v1"));
  EXPECT_EQ(*this->meta().GetDocument("node", "ring"), std::optional<std::string>("v2"));
  EXPECT_TRUE(*PutDocumentIfSync(this->meta(), {"node", "ring", std::nullopt}, "v2"));
  EXPECT_EQ(*this->meta().GetDocument("node", "ring"), std::nullopt);
  EXPECT_FALSE(*PutDocumentIfSync(this->meta(), {"node", "absent", std::nullopt}, "v"));
}

TYPED_TEST(StoreContract, ConcurrentCreatesOfOneDocumentLeaveExactlyOneWinner) {
  constexpr int kWriters = 8;
  std::vector<std::thread> writers;
  std::atomic<int> winners{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([this, i, &winners] {
      auto won = PutDocumentIfSync(this->meta(), {"node", "race", std::to_string(i)}, std::nullopt);
      if (won && *won) ++winners;
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_TRUE(this->meta().GetDocument("node", "race")->has_value());
}

}  // namespace
}  // namespace kura::store
