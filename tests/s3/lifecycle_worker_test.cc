// The lifecycle worker: its per-version decisions (a pure function) and whole passes on the
// memory store — expiration on unversioned, Enabled and Suspended buckets, noncurrent versions
// with NewerNoncurrentVersions, lone delete markers, incomplete uploads, and a locked version
// that must survive.
#include "s3/lifecycle_worker.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/store/store_test_util.h"

namespace kura::s3 {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using store::ObjectRecord;
using store::VersioningState;
constexpr seconds kDay{86400};
const TimePoint kT0 = FromUnixSeconds(1700000000);  // 2023-11-14T22:13:20Z

LifecycleRules Rules(const std::string& body) {
  auto rules = ParseLifecycleConfiguration(
      "<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>" +
      body + "</Rule></LifecycleConfiguration>");
  EXPECT_TRUE(rules) << rules.error().message;
  return rules ? *rules : LifecycleRules{};
}

ObjectRecord At(TimePoint t, bool latest = true, bool marker = false) {
  return ObjectRecord{.key = "k", .last_modified = t, .is_delete_marker = marker, .is_latest = latest};
}

TEST(LifecycleDecision, ExpiresACurrentVersionOnlyOnceItsDayHasCome) {
  auto rules = Rules("<Expiration><Days>1</Days></Expiration>");
  ObjectRecord v = At(kT0);
  TimePoint due = LifecycleDue(kT0, 1, kDay);  // 2023-11-16T00:00:00Z
  EXPECT_EQ(DecideVersion(rules, {.version = v}, due - seconds(1), kDay), LifecycleAction::kKeep);
  EXPECT_EQ(DecideVersion(rules, {.version = v}, due, kDay), LifecycleAction::kExpireCurrent);
}

TEST(LifecycleDecision, ExpiresEveryCurrentVersionOnceTheDateHasPassed) {
  auto rules = Rules("<Expiration><Date>2024-01-01T00:00:00Z</Date></Expiration>");
  ObjectRecord v = At(kT0);
  EXPECT_EQ(DecideVersion(rules, {.version = v}, FromUnixSeconds(1704067199), kDay), LifecycleAction::kKeep);
  EXPECT_EQ(DecideVersion(rules, {.version = v}, FromUnixSeconds(1704067200), kDay),
            LifecycleAction::kExpireCurrent);
}

TEST(LifecycleDecision, RemovesADeleteMarkerOnlyWhenItIsTheKeysOnlyVersion) {
  auto rules = Rules("<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>");
  ObjectRecord marker = At(kT0, true, true);
  EXPECT_EQ(DecideVersion(rules, {.version = marker, .only_version = true}, kT0, kDay),
            LifecycleAction::kRemoveDeleteMarker);
  EXPECT_EQ(DecideVersion(rules, {.version = marker, .only_version = false}, kT0, kDay),
            LifecycleAction::kKeep);
  // Expiration Days never applies to a delete marker: it has nothing to expire.
  EXPECT_EQ(DecideVersion(Rules("<Expiration><Days>1</Days></Expiration>"),
                          {.version = marker, .only_version = true}, kT0 + 10 * kDay, kDay),
            LifecycleAction::kKeep);
}

TEST(LifecycleDecision, CountsNoncurrentDaysFromTheSuccessorAndKeepsTheNewestNoncurrent) {
  auto rules = Rules("<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays>"
                     "<NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>");
  ObjectRecord old = At(kT0 - 100 * kDay, false);  // created long ago: does not matter
  TimePoint since = kT0;                            // replaced at kT0
  TimePoint due = LifecycleDue(since, 2, kDay);
  VersionView newest{.version = old, .noncurrent_since = since, .newer_noncurrent = 0};
  VersionView second{.version = old, .noncurrent_since = since, .newer_noncurrent = 1};
  EXPECT_EQ(DecideVersion(rules, second, due - seconds(1), kDay), LifecycleAction::kKeep);
  EXPECT_EQ(DecideVersion(rules, second, due, kDay), LifecycleAction::kRemoveNoncurrent);
  EXPECT_EQ(DecideVersion(rules, newest, due + 10 * kDay, kDay), LifecycleAction::kKeep);
  // The current version is not touched by a noncurrent rule.
  EXPECT_EQ(DecideVersion(rules, {.version = At(kT0 - 100 * kDay)}, due, kDay), LifecycleAction::kKeep);
}

TEST(LifecycleDecision, ADisabledRuleDecidesNothing) {
  auto rules = Rules("<Expiration><Days>1</Days></Expiration>");
  rules[0].enabled = false;
  ObjectRecord v = At(kT0);
  EXPECT_EQ(DecideVersion(rules, {.version = v}, kT0 + 10 * kDay, kDay), LifecycleAction::kKeep);
}

class LifecycleWorkerPass : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store::testing::CreateBucketSync(meta_, store::testing::Bucket("b"))); }

  void Configure(const std::string& body) {
    std::string xml = RenderLifecycleConfiguration(Rules(body));
    ASSERT_TRUE(store::testing::UpdateBucketSync(meta_, "b", [xml](store::BucketRecord& b) -> Result<void> {
      b.lifecycle_xml = xml;
      return Ok();
    }));
  }
  void Versioning(VersioningState state) {
    ASSERT_TRUE(store::testing::SetVersioningSync(meta_, "b", state));
  }
  void Put(const std::string& key, const std::string& version_id, TimePoint when) {
    ObjectRecord o = store::testing::Version("b", key, version_id);
    o.last_modified = when;
    ASSERT_TRUE(store::testing::PutVersionSync(meta_, o, {when}));
  }
  LifecyclePassStats PassAt(TimePoint now) {
    clock_.Set(now);
    return worker_.RunPass();
  }
  std::vector<std::string> Versions() {
    auto page = meta_.ListObjectVersions({.bucket = "b"});
    EXPECT_TRUE(page);
    std::vector<std::string> all;
    for (const auto& v : page->versions) {
      all.push_back(v.key + "@" + (v.is_delete_marker ? "X" : v.version_id) + (v.is_latest ? "*" : ""));
    }
    return all;
  }

  store::MemoryMetadataStore meta_;
  store::MemoryBlobStore blobs_;
  FakeClock clock_{kT0};
  FakeRandom random_{7};
  LifecycleWorker worker_{meta_, blobs_, clock_, random_, {.day = kDay, .page_size = 2}};
};

TEST_F(LifecycleWorkerPass, DeletesExpiredObjectsOfAnUnversionedBucket) {
  Configure("<Expiration><Days>1</Days></Expiration>");
  Put("old", "null", kT0 - 3 * kDay);
  Put("new", "null", kT0);
  Put("older", "null", kT0 - 5 * kDay);
  auto stats = PassAt(kT0);
  EXPECT_EQ(stats.buckets, 1);
  EXPECT_EQ(stats.scanned, 3);
  EXPECT_EQ(stats.expired, 2);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"new@null*"}));
}

TEST_F(LifecycleWorkerPass, PutsADeleteMarkerOnAnEnabledBucketThenRemovesTheNoncurrentVersion) {
  Versioning(VersioningState::kEnabled);
  Configure("<Expiration><Days>1</Days></Expiration><NoncurrentVersionExpiration>"
            "<NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>");
  Put("k", "v1", kT0 - 3 * kDay);
  EXPECT_EQ(PassAt(kT0).expired, 1);
  ASSERT_EQ(Versions().size(), 2u);
  EXPECT_EQ(Versions()[0], "k@X*");
  EXPECT_EQ(Versions()[1], "k@v1");
  // Noncurrent since kT0 (the marker): due at the second midnight after it.
  EXPECT_EQ(PassAt(kT0 + kDay / 2).noncurrent_removed, 0);
  auto stats = PassAt(LifecycleDue(kT0, 1, kDay));
  EXPECT_EQ(stats.noncurrent_removed, 1);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"k@X*"}));
}

TEST_F(LifecycleWorkerPass, SuspendedBucketGetsANullDeleteMarker) {
  Versioning(VersioningState::kEnabled);
  Put("k", "v1", kT0 - 9 * kDay);
  Versioning(VersioningState::kSuspended);
  Put("k", "null", kT0 - 3 * kDay);
  Configure("<Expiration><Days>1</Days></Expiration>");
  EXPECT_EQ(PassAt(kT0).expired, 1);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"k@X*", "k@v1"}));
  auto marker = meta_.GetObject("b", "k", std::nullopt);
  ASSERT_TRUE(marker);
  EXPECT_EQ(marker->version_id, "null");
}

TEST_F(LifecycleWorkerPass, KeepsNewerNoncurrentVersionsAcrossPages) {
  Versioning(VersioningState::kEnabled);
  Configure("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
            "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>");
  for (int i = 1; i <= 5; ++i) Put("k", "v" + std::to_string(i), kT0 - (10 - i) * kDay);
  auto stats = PassAt(kT0);
  EXPECT_EQ(stats.noncurrent_removed, 2);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"k@v5*", "k@v4", "k@v3"}));
}

TEST_F(LifecycleWorkerPass, RemovesOnlyLoneExpiredDeleteMarkers) {
  Versioning(VersioningState::kEnabled);
  Configure("<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>");
  Put("kept", "v1", kT0 - kDay);
  for (std::string key : {"kept", "lone"}) {
    ASSERT_TRUE(store::testing::DeleteVersionSync(
        meta_, {.bucket = "b", .key = key, .marker_version_id = "m-" + key, .lock = {kT0}}));
  }
  auto stats = PassAt(kT0);
  EXPECT_EQ(stats.markers_removed, 1);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"kept@X*", "kept@v1"}));
}

// Issue #12: "Lifecycle and every other internal deletion path respect locks too".
TEST_F(LifecycleWorkerPass, NeverRemovesALockedVersion) {
  Versioning(VersioningState::kEnabled);
  ASSERT_TRUE(store::testing::UpdateBucketSync(meta_, "b", [](store::BucketRecord& b) -> Result<void> {
    b.object_lock_enabled = true;
    return Ok();
  }));
  Configure("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>");
  ObjectRecord locked = store::testing::Version("b", "k", "locked");
  locked.last_modified = kT0 - 9 * kDay;
  locked.retention_mode = store::RetentionMode::kCompliance;
  locked.retain_until = kT0 + 365 * kDay;
  ASSERT_TRUE(store::testing::PutVersionSync(meta_, locked, {locked.last_modified}));
  ObjectRecord held = store::testing::Version("b", "k", "held");
  held.last_modified = kT0 - 8 * kDay;
  held.legal_hold = true;
  ASSERT_TRUE(store::testing::PutVersionSync(meta_, held, {held.last_modified}));
  Put("k", "free", kT0 - 7 * kDay);
  Put("k", "current", kT0 - 6 * kDay);
  auto stats = PassAt(kT0);
  EXPECT_EQ(stats.noncurrent_removed, 1);
  EXPECT_EQ(stats.skipped_locked, 2);
  EXPECT_EQ(stats.errors, 0);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"k@current*", "k@held", "k@locked"}));
}

TEST_F(LifecycleWorkerPass, AbortsIncompleteUploadsUnderTheRulesPrefix) {
  Configure("<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
            "</AbortIncompleteMultipartUpload>");
  for (auto [id, when] : {std::pair{"u-old", kT0 - 3 * kDay}, std::pair{"u-new", kT0}}) {
    store::UploadRecord upload{.upload_id = id, .initiated = when,
                               .object = store::testing::Object("b", std::string("key-") + id)};
    ASSERT_TRUE(store::testing::CreateUploadSync(meta_, upload));
  }
  auto stats = PassAt(kT0);
  EXPECT_EQ(stats.uploads_aborted, 1);
  auto left = meta_.ListUploads({.bucket = "b"});
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].upload_id, "u-new");
}

TEST_F(LifecycleWorkerPass, LeavesBucketsWithoutAnEnabledRuleAlone) {
  Put("k", "null", kT0 - 30 * kDay);
  EXPECT_EQ(PassAt(kT0).buckets, 0);
  Configure("<Expiration><Days>1</Days></Expiration>");
  std::string disabled = RenderLifecycleConfiguration(Rules("<Expiration><Days>1</Days></Expiration>"));
  disabled.replace(disabled.find("Enabled"), 7, "Disabled");
  ASSERT_TRUE(store::testing::UpdateBucketSync(meta_, "b", [disabled](store::BucketRecord& b) -> Result<void> {
    b.lifecycle_xml = disabled;
    return Ok();
  }));
  EXPECT_EQ(PassAt(kT0).buckets, 0);
  EXPECT_EQ(Versions(), (std::vector<std::string>{"k@null*"}));
}

// A clock that runs `hook` the first time it is asked the time: for the worker, that is after it
// listed a page and before it deletes anything of it.
class InterleavingClock final : public Clock {
 public:
  explicit InterleavingClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override {
    if (hook) std::exchange(hook, nullptr)();
    return now_;
  }
  mutable std::function<void()> hook;

 private:
  TimePoint now_;
};

TEST(LifecycleWorkerRace, AnObjectRewrittenAfterTheListingIsNotExpiredWithTheOldOne) {
  store::MemoryMetadataStore meta;
  store::MemoryBlobStore blobs;
  InterleavingClock clock{kT0};
  FakeRandom random{7};
  LifecycleWorker worker{meta, blobs, clock, random, {.day = kDay, .page_size = 2}};
  ASSERT_TRUE(store::testing::CreateBucketSync(meta, store::testing::Bucket("b")));
  std::string xml = RenderLifecycleConfiguration(Rules("<Expiration><Days>1</Days></Expiration>"));
  ASSERT_TRUE(store::testing::UpdateBucketSync(meta, "b", [xml](store::BucketRecord& b) -> Result<void> {
    b.lifecycle_xml = xml;
    return Ok();
  }));
  ObjectRecord old = store::testing::Version("b", "k", "null", "old bytes");
  old.last_modified = kT0 - 3 * kDay;
  ASSERT_TRUE(store::testing::PutVersionSync(meta, old, {old.last_modified}));
  clock.hook = [&] {  // a client's PUT lands between the worker's listing and its delete
    ObjectRecord fresh = store::testing::Version("b", "k", "null", "fresh bytes");
    fresh.etag = "etag-fresh";
    fresh.last_modified = kT0;
    EXPECT_TRUE(store::testing::PutVersionSync(meta, fresh, {kT0}));
  };
  auto stats = worker.RunPass();
  EXPECT_EQ(stats.expired, 0);
  EXPECT_EQ(stats.skipped_changed, 1);
  auto current = meta.GetObject("b", "k");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->etag, "etag-fresh");
}

}  // namespace
}  // namespace kura::s3
