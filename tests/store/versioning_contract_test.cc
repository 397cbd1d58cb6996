// The versioning and Object Lock contract (issue #12), run against every store implementation:
// what a write does per versioning state, reads by version id, ListObjectVersions, and the
// lock rules enforced inside the write.
#include <gtest/gtest.h>

#include <chrono>

#include "contract_fixture.h"

namespace kura::store {
namespace {

using std::chrono::hours;
using testing::DeleteBucketSync;
using testing::DeleteSync;
using testing::DeleteVersionSync;
using testing::Object;
using testing::PutSync;
using testing::PutVersionSync;
using testing::SetVersioningSync;
using testing::UpdateBucketSync;
using testing::UpdateVersionSync;
using testing::Version;

const TimePoint kNow = FromUnixSeconds(1700000000);

template <typename Impl>
class VersioningContract : public StoreContract<Impl> {
 protected:
  Result<DeleteOutcome> Delete(std::string key, std::optional<std::string> version_id,
                               std::string marker = "", LockContext lock = {kNow, false}) {
    return DeleteVersionSync(this->meta(), {.bucket = "b",
                                            .key = std::move(key),
                                            .version_id = std::move(version_id),
                                            .marker_version_id = std::move(marker),
                                            .lock = lock});
  }
  void Enable() { ASSERT_TRUE(SetVersioningSync(this->meta(), "b", VersioningState::kEnabled)); }
  void EnableLock(DefaultRetention retention = {}) {
    Enable();
    ASSERT_TRUE(UpdateBucketSync(this->meta(), "b", [retention](BucketRecord& b) -> Result<void> {
      b.object_lock_enabled = true;
      b.default_retention = retention;
      return Ok();
    }));
  }
  // (key, version id, latest?, marker?) of every version, in list order, one page of 1000.
  std::vector<std::string> Versions(std::string prefix = "", std::string delimiter = "") {
    auto page = this->meta().ListObjectVersions(
        {.bucket = "b", .prefix = prefix, .delimiter = delimiter});
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> all;
    for (const auto& v : page->versions) {
      all.push_back(v.key + "@" + v.version_id + (v.is_latest ? "*" : "") +
                    (v.is_delete_marker ? "X" : ""));
    }
    for (const auto& p : page->common_prefixes) all.push_back(p);
    return all;
  }
  std::string Body(std::string key, std::optional<std::string> version_id) {
    auto got = this->meta().GetObject("b", key, version_id);
    return got ? got->blob.inline_data : std::string(got.error().aws_code());
  }
};

TYPED_TEST_SUITE(VersioningContract, Implementations, ImplNames);

TYPED_TEST(VersioningContract, AnUnversionedBucketKeepsOneNullVersionPerKey) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "one")));
  auto replaced = PutSync(this->meta(), Version("b", "k", "ignored", "two"));
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(*replaced);  // the first body, for the caller to delete
  auto got = this->meta().GetObject("b", "k", std::nullopt);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->version_id, "null");
  EXPECT_TRUE(got->is_latest);
  EXPECT_EQ(this->Body("k", "null"), "two");
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@null*"}));
  auto deleted = this->Delete("k", std::nullopt);
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(deleted->delete_marker);
  EXPECT_EQ(deleted->unreferenced.size(), 1u);
  EXPECT_TRUE(this->Versions().empty());
}

TYPED_TEST(VersioningContract, AnEnabledBucketKeepsEveryVersionAndFreesNothing) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "before")));  // the "null" version
  this->Enable();
  auto v1 = PutVersionSync(this->meta(), Version("b", "k", "v1", "one"));
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version_id, "v1");
  EXPECT_EQ(v1->versioning, VersioningState::kEnabled);
  EXPECT_TRUE(v1->unreferenced.empty());
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v2", "two")));
  EXPECT_EQ(this->Body("k", std::nullopt), "two");
  EXPECT_EQ(this->Body("k", "v1"), "one");
  EXPECT_EQ(this->Body("k", "null"), "before");
  EXPECT_FALSE(this->meta().GetObjectMeta("b", "k", "v1")->is_latest);
  EXPECT_EQ(this->meta().GetObjectMeta("b", "k", "v1")->blob.inline_data, "");
  EXPECT_EQ(this->Body("k", "nope"), "NoSuchVersion");
  EXPECT_EQ(this->Body("other", std::nullopt), "NoSuchKey");
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@v2*", "k@v1", "k@null"}));
  auto page = this->meta().ListObjects({.bucket = "b"});
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].etag, "etag-v2");
}

TYPED_TEST(VersioningContract, AnEnabledBucketRequiresTheCallersVersionId) {
  this->Enable();
  EXPECT_EQ(PutVersionSync(this->meta(), Object("b", "k")).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(this->Delete("k", std::nullopt, "").error().code, ErrorCode::kInvalidArgument);
}

TYPED_TEST(VersioningContract, DeletingOnAnEnabledBucketInsertsADeleteMarker) {
  this->Enable();
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1", "one")));
  auto marker = this->Delete("k", std::nullopt, "m1");
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(marker->version_id, "m1");
  EXPECT_TRUE(marker->unreferenced.empty());
  EXPECT_EQ(this->meta().GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(this->meta().GetObjectMeta("b", "k").error().code, ErrorCode::kNoSuchKey);
  auto latest = this->meta().GetObjectMeta("b", "k", std::nullopt);
  ASSERT_TRUE(latest);
  EXPECT_TRUE(latest->is_delete_marker);
  EXPECT_EQ(latest->version_id, "m1");
  EXPECT_EQ(latest->last_modified, kNow);
  EXPECT_EQ(this->Body("k", "v1"), "one");
  EXPECT_TRUE(this->meta().ListObjects({.bucket = "b"})->objects.empty());
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@m1*X", "k@v1"}));
  auto update = UpdateVersionSync(this->meta(), "b", "k", "m1", {kNow},
                                  [](ObjectRecord&) -> Result<void> { return Ok(); });
  EXPECT_EQ(update.error().code, ErrorCode::kMethodNotAllowed);
  // A conditional write sees no object under a delete marker.
  EXPECT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v2"), {kNow},
                             {.if_none_match_any = true}));
  // A delete marker on a key without versions is still created, as S3 does.
  ASSERT_TRUE(this->Delete("fresh", std::nullopt, "m2"));
  EXPECT_EQ(this->Versions("fresh"), (std::vector<std::string>{"fresh@m2*X"}));
}

TYPED_TEST(VersioningContract, DeletingAVersionIsPermanentAndPromotesThePreviousOne) {
  this->Enable();
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1", "one")));
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v2", "two")));
  ASSERT_TRUE(this->Delete("k", std::nullopt, "m1"));
  auto marker = this->Delete("k", "m1");
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(this->Body("k", std::nullopt), "two");
  auto v2 = this->Delete("k", "v2");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version_id, "v2");
  ASSERT_EQ(v2->unreferenced.size(), 1u);
  EXPECT_EQ(this->Body("k", std::nullopt), "one");
  EXPECT_TRUE(this->meta().GetObject("b", "k", "v1")->is_latest);
  auto missing = this->Delete("k", "v2");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->version_id, "");
  ASSERT_TRUE(this->Delete("k", "v1"));
  EXPECT_TRUE(this->Versions().empty());
  EXPECT_TRUE(DeleteBucketSync(this->meta(), "b"));
}

TYPED_TEST(VersioningContract, AConditionalDeleteChecksTheCurrentVersionInTheTransaction) {
  this->Enable();
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1", "one")));  // 3 bytes
  auto conditional = [&](DeletePrecondition precondition,
                         std::optional<std::string> version_id = std::nullopt) {
    return DeleteVersionSync(this->meta(), {.bucket = "b",
                                            .key = "k",
                                            .version_id = std::move(version_id),
                                            .marker_version_id = "m1",
                                            .lock = {kNow, false},
                                            .precondition = std::move(precondition)});
  };
  const TimePoint written = FromUnixSeconds(1700000100);
  EXPECT_EQ(conditional({.if_match_etag = "etag-other"}).error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(conditional({.if_match_size = 4}).error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(conditional({.if_match_last_modified = written + std::chrono::seconds(1)}).error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(conditional({.if_match_etag = "etag-v1"}, "v1"));  // v1 is the current version
  EXPECT_TRUE(this->Versions().empty());
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v2", "two")));
  auto marker = conditional({.if_match_etag = "\"etag-v2\"",
                             .if_match_last_modified = written + std::chrono::milliseconds(300),
                             .if_match_size = 3});
  ASSERT_TRUE(marker) << marker.error().message;
  EXPECT_TRUE(marker->delete_marker);
  // Under a delete marker there is no object: If-Match fails, size and time hold.
  EXPECT_EQ(conditional({.if_match_etag = "*"}).error().code, ErrorCode::kNoSuchKey);
  EXPECT_TRUE(conditional({.if_match_size = 99}, "m1"));
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@v2*"}));
}

TYPED_TEST(VersioningContract, SuspendedWritesReplaceTheNullVersionAndKeepTheOthers) {
  ASSERT_TRUE(PutSync(this->meta(), Object("b", "k", "null-1")));
  this->Enable();
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1", "one")));
  ASSERT_TRUE(SetVersioningSync(this->meta(), "b", VersioningState::kSuspended));
  auto put = PutVersionSync(this->meta(), Version("b", "k", "fresh-id", "null-2"));
  ASSERT_TRUE(put);
  EXPECT_EQ(put->version_id, "null");
  EXPECT_EQ(put->unreferenced.size(), 1u);  // the noncurrent "null" version it replaced
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@null*", "k@v1"}));
  EXPECT_EQ(this->Body("k", std::nullopt), "null-2");
  auto marker = this->Delete("k", std::nullopt, "unused");
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(marker->version_id, "null");
  EXPECT_EQ(marker->unreferenced.size(), 1u);
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@null*X", "k@v1"}));
}

TYPED_TEST(VersioningContract, BucketStateChangesFollowS3) {
  EXPECT_EQ(UpdateBucketSync(this->meta(), "b", [](BucketRecord& b) -> Result<void> {
              b.object_lock_enabled = true;
              return Ok();
            }).error().code,
            ErrorCode::kInvalidBucketState);
  this->EnableLock();
  EXPECT_EQ(SetVersioningSync(this->meta(), "b", VersioningState::kSuspended).error().code,
            ErrorCode::kInvalidBucketState);
  EXPECT_EQ(SetVersioningSync(this->meta(), "b", VersioningState::kUnversioned).error().code,
            ErrorCode::kInvalidBucketState);
  auto got = this->meta().GetBucket("b");
  EXPECT_EQ(got->versioning, VersioningState::kEnabled);
  EXPECT_TRUE(got->object_lock_enabled);
  ASSERT_TRUE(testing::CreateBucketSync(this->meta(), testing::Bucket("plain")));
  ASSERT_TRUE(SetVersioningSync(this->meta(), "plain", VersioningState::kSuspended));
  EXPECT_EQ(SetVersioningSync(this->meta(), "plain", VersioningState::kUnversioned).error().code,
            ErrorCode::kInvalidBucketState);
}

TYPED_TEST(VersioningContract, ABucketCreatedWithObjectLockHasVersioningEnabled) {
  BucketRecord locked = testing::Bucket("locked");
  locked.object_lock_enabled = true;
  EXPECT_EQ(testing::CreateBucketSync(this->meta(), locked).error().code,
            ErrorCode::kInvalidBucketState);
  locked.versioning = VersioningState::kEnabled;
  ASSERT_TRUE(testing::CreateBucketSync(this->meta(), locked));
  EXPECT_EQ(*this->meta().GetBucket("locked"), locked);
}

TYPED_TEST(VersioningContract, AnUploadKeepsTheLockItWasCreatedWith) {
  UploadRecord upload{.upload_id = "u1", .initiated = kNow, .object = Object("b", "k")};
  upload.object.blob = {};
  upload.object.size = 0;
  upload.object.retention_mode = RetentionMode::kCompliance;
  upload.object.retain_until = kNow + hours(1);
  upload.object.legal_hold = true;
  ASSERT_TRUE(testing::CreateUploadSync(this->meta(), upload));
  auto got = this->meta().GetUpload("b", "k", "u1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->object.retention_mode, RetentionMode::kCompliance);
  EXPECT_EQ(got->object.retain_until, kNow + hours(1));
  EXPECT_TRUE(got->object.legal_hold);
}

TYPED_TEST(VersioningContract, LockFieldsNeedABucketWithObjectLock) {
  ObjectRecord held = Object("b", "k");
  held.legal_hold = true;
  EXPECT_EQ(PutSync(this->meta(), held).error().code, ErrorCode::kInvalidRequest);
}

TYPED_TEST(VersioningContract, ALockedVersionCannotBeDeletedUntilItsDate) {
  this->EnableLock();
  ObjectRecord compliance = Version("b", "k", "c1");
  compliance.retention_mode = RetentionMode::kCompliance;
  compliance.retain_until = kNow + hours(24);
  ASSERT_TRUE(PutVersionSync(this->meta(), compliance));
  ObjectRecord governance = Version("b", "k", "g1");
  governance.retention_mode = RetentionMode::kGovernance;
  governance.retain_until = kNow + hours(24);
  ASSERT_TRUE(PutVersionSync(this->meta(), governance));
  ObjectRecord held = Version("b", "k", "h1");
  held.legal_hold = true;
  ASSERT_TRUE(PutVersionSync(this->meta(), held));

  LockContext bypass{kNow, true};
  EXPECT_EQ(this->Delete("k", "c1").error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(this->Delete("k", "c1", "", bypass).error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(this->Delete("k", "g1").error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(this->Delete("k", "h1", "", bypass).error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(DeleteBucketSync(this->meta(), "b").error().code, ErrorCode::kBucketNotEmpty);
  // A delete marker hides a locked version without removing it.
  ASSERT_TRUE(this->Delete("k", std::nullopt, "m1"));
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@m1*X", "k@h1", "k@g1", "k@c1"}));

  EXPECT_TRUE(this->Delete("k", "g1", "", bypass));
  ASSERT_TRUE(UpdateVersionSync(this->meta(), "b", "k", "h1", {kNow},
                                [](ObjectRecord& o) -> Result<void> {
                                  o.legal_hold = false;
                                  return Ok();
                                }));
  EXPECT_TRUE(this->Delete("k", "h1"));
  EXPECT_TRUE(this->Delete("k", "c1", "", {kNow + hours(25), false}));
}

TYPED_TEST(VersioningContract, RetentionInForceCanOnlyBeExtendedUnlessGovernanceIsBypassed) {
  this->EnableLock();
  ObjectRecord o = Version("b", "k", "v1");
  o.retention_mode = RetentionMode::kCompliance;
  o.retain_until = kNow + hours(24);
  ASSERT_TRUE(PutVersionSync(this->meta(), o));
  auto set = [&](RetentionMode mode, TimePoint until, bool bypass) {
    return UpdateVersionSync(this->meta(), "b", "k", "v1", {kNow, bypass},
                             [=](ObjectRecord& r) -> Result<void> {
                               r.retention_mode = mode;
                               r.retain_until = until;
                               return Ok();
                             });
  };
  EXPECT_EQ(set(RetentionMode::kCompliance, kNow + hours(1), true).error().code,
            ErrorCode::kAccessDenied);
  EXPECT_EQ(set(RetentionMode::kGovernance, kNow + hours(48), true).error().code,
            ErrorCode::kAccessDenied);
  EXPECT_EQ(set(RetentionMode::kNone, {}, true).error().code, ErrorCode::kAccessDenied);
  EXPECT_TRUE(set(RetentionMode::kCompliance, kNow + hours(48), false));
  EXPECT_EQ(this->meta().GetObjectMeta("b", "k", "v1")->retain_until, kNow + hours(48));

  ObjectRecord g = Version("b", "g", "g1");
  g.retention_mode = RetentionMode::kGovernance;
  g.retain_until = kNow + hours(24);
  ASSERT_TRUE(PutVersionSync(this->meta(), g));
  auto shorten = [&](bool bypass) {
    return UpdateVersionSync(this->meta(), "b", "g", std::nullopt, {kNow, bypass},
                             [](ObjectRecord& r) -> Result<void> {
                               r.retain_until -= hours(12);
                               return Ok();
                             });
  };
  EXPECT_EQ(shorten(false).error().code, ErrorCode::kAccessDenied);
  EXPECT_TRUE(shorten(true));
  // The pre-versioning UpdateObject cannot relax a lock either (it counts from the epoch).
  auto legacy = WaitFor<void>([&](Callback<void> cb) {
    this->meta().UpdateObject("b", "g", [](ObjectRecord& r) -> Result<void> {
      r.retention_mode = RetentionMode::kNone;
      return Ok();
    }, std::move(cb));
  });
  EXPECT_EQ(legacy.error().code, ErrorCode::kAccessDenied);
}

TYPED_TEST(VersioningContract, TheBucketsDefaultRetentionAppliesToNewVersions) {
  this->EnableLock({.mode = RetentionMode::kGovernance, .days = 2});
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1")));
  auto got = this->meta().GetObjectMeta("b", "k", std::nullopt);
  EXPECT_EQ(got->retention_mode, RetentionMode::kGovernance);
  EXPECT_EQ(got->retain_until, Object("b", "k").last_modified + hours(48));
  ASSERT_TRUE(UpdateBucketSync(this->meta(), "b", [](BucketRecord& b) -> Result<void> {
    b.default_retention = {.mode = RetentionMode::kCompliance, .years = 1};
    return Ok();
  }));
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v2")));
  EXPECT_EQ(this->meta().GetObjectMeta("b", "k", "v2")->retain_until,
            Object("b", "k").last_modified + hours(24 * 366));  // 2023-11-14 + 1 year (leap)
}

TYPED_TEST(VersioningContract, OverwritingALockedNullVersionIsRefused) {
  this->EnableLock();
  // Object Lock keeps versioning Enabled; a "null" version from before it can still be locked.
  ASSERT_TRUE(UpdateVersionSync(this->meta(), "b", "absent", std::nullopt, {kNow},
                                [](ObjectRecord&) -> Result<void> { return Ok(); })
                  .error()
                  .code == ErrorCode::kNoSuchKey);
  ASSERT_TRUE(testing::CreateBucketSync(this->meta(), testing::Bucket("old")));
  ASSERT_TRUE(PutSync(this->meta(), Object("old", "k")));
  ASSERT_TRUE(SetVersioningSync(this->meta(), "old", VersioningState::kEnabled));
  ASSERT_TRUE(UpdateBucketSync(this->meta(), "old", [](BucketRecord& b) -> Result<void> {
    b.object_lock_enabled = true;
    return Ok();
  }));
  ASSERT_TRUE(UpdateVersionSync(this->meta(), "old", "k", "null", {kNow},
                                [](ObjectRecord& o) -> Result<void> {
                                  o.legal_hold = true;
                                  return Ok();
                                }));
  auto deleted = DeleteVersionSync(this->meta(), {.bucket = "old", .key = "k",
                                                  .version_id = "null", .lock = {kNow, true}});
  EXPECT_EQ(deleted.error().code, ErrorCode::kAccessDenied);
}

TYPED_TEST(VersioningContract, ListObjectVersionsPagesByPositionWhileWritesContinue) {
  this->Enable();
  for (const char* key : {"a", "c/x", "c/y", "d"}) {
    for (int v = 1; v <= 3; ++v) {
      ASSERT_TRUE(PutVersionSync(this->meta(),
                                 Version("b", key, std::string(key) + "-v" + std::to_string(v))));
    }
  }
  EXPECT_EQ(this->Versions("", "/"),
            (std::vector<std::string>{"a@a-v3*", "a@a-v2", "a@a-v1", "d@d-v3*", "d@d-v2",
                                      "d@d-v1", "c/"}));
  std::vector<std::string> seen;
  VersionListQuery query{.bucket = "b", .max_keys = 2};
  for (int page_number = 0;; ++page_number) {
    auto page = this->meta().ListObjectVersions(query);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& v : page->versions) seen.push_back(v.version_id);
    if (page_number == 1) {  // new versions land before and after the position
      ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "a", "a-v4")));
      ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "d", "d-v4")));
    }
    if (!page->is_truncated) break;
    ASSERT_LE(page->versions.size(), 2u);
    query.key_marker = page->next_key_marker;
    query.version_id_marker = page->next_version_id_marker;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a-v3", "a-v2", "a-v1", "c/x-v3", "c/x-v2", "c/x-v1",
                                            "c/y-v3", "c/y-v2", "c/y-v1", "d-v4", "d-v3", "d-v2",
                                            "d-v1"}));
  query = {.bucket = "b", .key_marker = "a", .version_id_marker = "gone"};
  EXPECT_EQ(this->meta().ListObjectVersions(query).error().code, ErrorCode::kInvalidArgument);
  query = {.bucket = "b", .prefix = "c/", .key_marker = "c/x"};
  auto after_key = this->meta().ListObjectVersions(query);
  ASSERT_TRUE(after_key);
  ASSERT_EQ(after_key->versions.size(), 3u);
  EXPECT_EQ(after_key->versions[0].version_id, "c/y-v3");
}

TYPED_TEST(VersioningContract, NoncurrentBlobsAreReferencedAndSurviveTheOrphanSweep) {
  this->Enable();
  for (const char* id : {"v1", "v2"}) {
    auto ref = testing::WriteBlob(this->blobs(), testing::Pattern(100000, id[1]),
                                  Placement::kAlwaysFile);
    ASSERT_TRUE(ref);
    ObjectRecord o = Version("b", "k", id);
    o.blob = *ref;
    o.size = ref->size;
    ASSERT_TRUE(PutVersionSync(this->meta(), o));
  }
  ASSERT_TRUE(this->Delete("k", std::nullopt, "m1"));
  auto referenced = this->meta().ReferencedBlobIds();
  ASSERT_TRUE(referenced);
  EXPECT_EQ(referenced->size(), 2u);
  EXPECT_EQ(testing::SweptOrphans(this->store_), 0);
  auto v1 = this->meta().GetObject("b", "k", "v1");
  ASSERT_TRUE(v1);
  EXPECT_EQ(*testing::ReadBlob(this->blobs(), v1->blob), testing::Pattern(100000, '1'));
}

TYPED_TEST(VersioningContract, CompletingAnUploadOnAnEnabledBucketAddsAVersion) {
  this->Enable();
  ASSERT_TRUE(PutVersionSync(this->meta(), Version("b", "k", "v1", "one")));
  UploadRecord upload{.upload_id = "u1", .initiated = kNow, .object = Object("b", "k")};
  ASSERT_TRUE(testing::CreateUploadSync(this->meta(), upload));
  auto part_blob = testing::WriteBlob(this->blobs(), "part", Placement::kAlwaysFile);
  ASSERT_TRUE(part_blob);
  PartRecord part{.part_number = 1, .size = 4, .etag = "p", .blob = *part_blob};
  ASSERT_TRUE(testing::PutPartSync(this->meta(), "u1", part));
  CompletedUpload completed{.upload_id = "u1", .object = Version("b", "k", "v2"), .parts = {part}};
  completed.object.blob.kind = BlobRef::Kind::kParts;
  completed.object.blob.size = 4;
  completed.object.blob.inline_data.clear();
  completed.object.blob.parts = {BlobRef::Part{part_blob->id, 4}};
  completed.object.size = 4;
  auto outcome = WaitFor<PutOutcome>([&](Callback<PutOutcome> cb) {
    this->meta().CompleteUpload(completed, {kNow}, std::move(cb));
  });
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->version_id, "v2");
  EXPECT_TRUE(outcome->unreferenced.empty());
  EXPECT_EQ(this->Versions(), (std::vector<std::string>{"k@v2*", "k@v1"}));
}

}  // namespace
}  // namespace kura::store
