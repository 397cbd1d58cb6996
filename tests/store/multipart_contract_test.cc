// The multipart part of the store contract, run against every implementation: uploads are
// created, parts put and replaced, listed, completed into a kParts object without copying, or
// aborted — and every blob that stops being referenced is handed back exactly once.
#include <gtest/gtest.h>

#include "contract_fixture.h"

namespace kura::store {
namespace {

using testing::AbortUploadSync;
using testing::CompleteUploadSync;
using testing::CreateUploadSync;
using testing::DeleteBucketSync;
using testing::PutPartSync;
using testing::PutSync;

template <typename Impl>
class MultipartContract : public StoreContract<Impl> {
 protected:
  UploadRecord NewUpload(std::string id, std::string key, int64_t at = 1700000200) {
    UploadRecord upload;
    upload.upload_id = std::move(id);
    upload.initiated = FromUnixSeconds(at);
    upload.object.bucket = "b";
    upload.object.key = std::move(key);
    upload.object.content_type = "text/x-parts";
    upload.object.user_metadata = {{"m", "1"}};
    upload.object.checksum_algorithm = "CRC32";
    upload.object.checksum_type = "COMPOSITE";
    return upload;
  }
  PartRecord Part(int number, std::string id, uint64_t size = 10) {
    PartRecord part;
    part.part_number = number;
    part.size = size;
    part.etag = "etag-" + std::to_string(number);
    part.last_modified = FromUnixSeconds(1700000300);
    part.checksum_value = "crc" + std::to_string(number);
    part.blob = BlobRef{.kind = BlobRef::Kind::kFile, .id = std::move(id), .size = size};
    return part;
  }
  CompletedUpload Completion(const std::string& upload_id, std::vector<PartRecord> parts) {
    CompletedUpload completed;
    completed.upload_id = upload_id;
    completed.object = testing::Object("b", "k", "");
    completed.object.blob = BlobRef{.kind = BlobRef::Kind::kParts};
    for (const auto& part : parts) {
      completed.object.blob.parts.push_back({part.blob.id, part.size});
      completed.object.blob.size += part.size;
    }
    completed.object.size = completed.object.blob.size;
    completed.object.parts_count = static_cast<int>(parts.size());
    completed.parts = std::move(parts);
    return completed;
  }
};

TYPED_TEST_SUITE(MultipartContract, Implementations, ImplNames);

std::vector<std::string> Ids(const std::vector<BlobRef>& blobs) {
  std::vector<std::string> ids;
  for (const auto& blob : blobs) ids.push_back(blob.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TYPED_TEST(MultipartContract, AnUploadKeepsWhatCreateFixed) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  auto upload = this->meta().GetUpload("b", "k", "u1");
  ASSERT_TRUE(upload) << upload.error().message;
  EXPECT_EQ(upload->upload_id, "u1");
  EXPECT_EQ(upload->initiated, FromUnixSeconds(1700000200));
  EXPECT_EQ(upload->object.content_type, "text/x-parts");
  EXPECT_EQ(upload->object.user_metadata, (Pairs{{"m", "1"}}));
  EXPECT_EQ(upload->object.checksum_type, "COMPOSITE");
}

TYPED_TEST(MultipartContract, AnUploadIsFoundOnlyUnderItsOwnBucketAndKey) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  EXPECT_EQ(this->meta().GetUpload("b", "other", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(this->meta().GetUpload("b", "k", "nope").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(CreateUploadSync(this->meta(), [&] {
              auto u = this->NewUpload("u2", "k");
              u.object.bucket = "missing";
              return u;
            }()).error().code,
            ErrorCode::kNoSuchBucket);
}

TYPED_TEST(MultipartContract, PartsAreListedInOrderAndAReplacedPartHandsBackItsBlob) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  for (int n : {3, 1, 2}) ASSERT_TRUE(PutPartSync(this->meta(), "u1", this->Part(n, "p" + std::to_string(n))));
  auto replaced = PutPartSync(this->meta(), "u1", this->Part(2, "p2b", 20));
  ASSERT_TRUE(replaced);
  ASSERT_TRUE(replaced->has_value());
  EXPECT_EQ((*replaced)->id, "p2");
  auto parts = this->meta().ListParts("u1", 0, 1000);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[1], this->Part(2, "p2b", 20));
  auto page = this->meta().ListParts("u1", 1, 1);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].part_number, 2);
  EXPECT_EQ(this->meta().ListParts("nope", 0, 10).error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(PutPartSync(this->meta(), "nope", this->Part(1, "x")).error().code, ErrorCode::kNoSuchUpload);
}

TYPED_TEST(MultipartContract, UploadsAreListedByKeyThenInitiationAfterTheMarkers) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u3", "a/2", 3)));
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "a/1", 1)));
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u2", "a/1", 2)));
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u4", "z", 4)));
  auto ids = [&](UploadQuery q) {
    q.bucket = "b";
    std::vector<std::string> out;
    auto listed = this->meta().ListUploads(q);
    EXPECT_TRUE(listed);
    for (const auto& u : *listed) out.push_back(u.upload_id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{"u1", "u2", "u3", "u4"}));
  EXPECT_EQ(ids({.prefix = "a/"}), (std::vector<std::string>{"u1", "u2", "u3"}));
  EXPECT_EQ(ids({.key_marker = "a/1"}), (std::vector<std::string>{"u3", "u4"}));
  EXPECT_EQ(ids({.key_marker = "a/1", .upload_id_marker = "u1"}),
            (std::vector<std::string>{"u2", "u3", "u4"}));
  EXPECT_EQ(ids({.limit = 2}), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(this->meta().ListUploads({.bucket = "missing"}).error().code, ErrorCode::kNoSuchBucket);
}

TYPED_TEST(MultipartContract, CompletingWritesTheObjectAndReturnsUnusedAndReplacedBlobs) {
  ASSERT_TRUE(PutSync(this->meta(), [] {
    auto o = testing::Object("b", "k");
    o.blob = BlobRef{.kind = BlobRef::Kind::kFile, .id = "old", .size = 5};
    return o;
  }()));
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  for (int n : {1, 2, 3}) ASSERT_TRUE(PutPartSync(this->meta(), "u1", this->Part(n, "p" + std::to_string(n))));
  auto completion = this->Completion("u1", {this->Part(1, "p1"), this->Part(3, "p3")});
  auto freed = CompleteUploadSync(this->meta(), completion);
  ASSERT_TRUE(freed) << freed.error().message;
  EXPECT_EQ(Ids(*freed), (std::vector<std::string>{"old", "p2"}));
  auto object = this->meta().GetObject("b", "k");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->blob, completion.object.blob);
  EXPECT_EQ(object->parts_count, 2);
  EXPECT_EQ(this->meta().GetUpload("b", "k", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(CompleteUploadSync(this->meta(), completion).error().code, ErrorCode::kNoSuchUpload);
}

TYPED_TEST(MultipartContract, CompletingWithAReplacedPartOrAFailedPreconditionChangesNothing) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  ASSERT_TRUE(PutPartSync(this->meta(), "u1", this->Part(1, "p1")));
  auto stale = this->Completion("u1", {this->Part(1, "p1-before")});
  EXPECT_EQ(CompleteUploadSync(this->meta(), stale).error().code, ErrorCode::kInvalidPart);
  auto missing = this->Completion("u1", {this->Part(2, "p2")});
  EXPECT_EQ(CompleteUploadSync(this->meta(), missing).error().code, ErrorCode::kInvalidPart);
  ASSERT_TRUE(PutSync(this->meta(), testing::Object("b", "k")));
  auto guarded = this->Completion("u1", {this->Part(1, "p1")});
  guarded.precondition.if_none_match_any = true;
  EXPECT_EQ(CompleteUploadSync(this->meta(), guarded).error().code, ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(this->meta().GetUpload("b", "k", "u1"));
  EXPECT_EQ(this->meta().ListParts("u1", 0, 10)->size(), 1u);
}

TYPED_TEST(MultipartContract, AbortingReturnsEveryPartBlob) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  for (int n : {1, 2}) ASSERT_TRUE(PutPartSync(this->meta(), "u1", this->Part(n, "p" + std::to_string(n))));
  EXPECT_EQ(AbortUploadSync(this->meta(), "b", "other", "u1").error().code, ErrorCode::kNoSuchUpload);
  auto freed = AbortUploadSync(this->meta(), "b", "k", "u1");
  ASSERT_TRUE(freed);
  EXPECT_EQ(Ids(*freed), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(AbortUploadSync(this->meta(), "b", "k", "u1").error().code, ErrorCode::kNoSuchUpload);
}

TYPED_TEST(MultipartContract, DeletingABucketAbortsItsUploadsButObjectsKeepItAlive) {
  ASSERT_TRUE(CreateUploadSync(this->meta(), this->NewUpload("u1", "k")));
  ASSERT_TRUE(PutPartSync(this->meta(), "u1", this->Part(1, "p1")));
  ASSERT_TRUE(PutSync(this->meta(), testing::Object("b", "x")));
  EXPECT_EQ(DeleteBucketSync(this->meta(), "b").error().code, ErrorCode::kBucketNotEmpty);
  EXPECT_TRUE(this->meta().GetUpload("b", "k", "u1"));
  ASSERT_TRUE(testing::DeleteSync(this->meta(), "b", "x"));
  auto freed = DeleteBucketSync(this->meta(), "b");
  ASSERT_TRUE(freed);
  EXPECT_EQ(Ids(*freed), (std::vector<std::string>{"p1"}));
  EXPECT_EQ(this->meta().GetUpload("b", "k", "u1").error().code, ErrorCode::kNoSuchUpload);
}

}  // namespace
}  // namespace kura::store
