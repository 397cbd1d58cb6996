#include "s3/lifecycle_worker.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/logging.h"
#include "s3/version_id.h"
#include "store/wait.h"

namespace kura::s3 {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kMaxPassInterval{60'000};
constexpr milliseconds kMinPassInterval{100};

bool CurrentVersionDue(const LifecycleRule& rule, const store::ObjectRecord& v, TimePoint now,
                       std::chrono::seconds day) {
  if (rule.expiration_date) return now >= *rule.expiration_date;
  return rule.expiration_days && now >= LifecycleDue(v.last_modified, *rule.expiration_days, day);
}

bool NoncurrentVersionDue(const LifecycleRule& rule, const VersionView& view, TimePoint now,
                          std::chrono::seconds day) {
  if (!rule.noncurrent_days) return false;
  if (view.newer_noncurrent < rule.newer_noncurrent_versions.value_or(0)) return false;
  return now >= LifecycleDue(view.noncurrent_since, *rule.noncurrent_days, day);
}

bool AnyEnabled(const LifecycleRules& rules) {
  return std::any_of(rules.begin(), rules.end(), [](const LifecycleRule& r) { return r.enabled; });
}

}  // namespace

LifecycleAction DecideVersion(const LifecycleRules& rules, const VersionView& view, TimePoint now,
                              std::chrono::seconds day) {
  const store::ObjectRecord& v = view.version;
  for (const LifecycleRule& rule : rules) {
    if (!RuleSelects(rule, v)) continue;
    if (!v.is_latest) {
      if (NoncurrentVersionDue(rule, view, now, day)) return LifecycleAction::kRemoveNoncurrent;
    } else if (v.is_delete_marker) {
      if (view.only_version && rule.expired_object_delete_marker.value_or(false)) {
        return LifecycleAction::kRemoveDeleteMarker;
      }
    } else if (CurrentVersionDue(rule, v, now, day)) {
      return LifecycleAction::kExpireCurrent;
    }
  }
  return LifecycleAction::kKeep;
}

bool ShouldAbortUpload(const LifecycleRules& rules, const store::UploadRecord& upload, TimePoint now,
                       std::chrono::seconds day) {
  for (const LifecycleRule& rule : rules) {
    if (!rule.enabled || !rule.abort_days_after_initiation) continue;
    if (!upload.object.key.starts_with(rule.filter.prefix)) continue;
    if (now >= LifecycleDue(upload.initiated, *rule.abort_days_after_initiation, day)) return true;
  }
  return false;
}

// One bucket's share of a pass: the walk of its versions key by key, and of its uploads.
class LifecycleWorker::BucketPass {
 public:
  BucketPass(LifecycleWorker& worker, std::string bucket, LifecycleRules rules,
             LifecyclePassStats& stats)
      : w_(worker), bucket_(std::move(bucket)), rules_(std::move(rules)), stats_(stats) {}

  void Run() {
    WalkVersions();
    WalkUploads();
  }

 private:
  // Pages continue after the last version visited that still exists (`resume_`): the page's
  // own end may be a version this walk removed, which the store refuses as a marker.
  void WalkVersions() {
    store::VersionListQuery query{.bucket = bucket_, .max_keys = w_.options_.page_size};
    while (!w_.stopping_) {
      auto page = w_.metadata_.ListObjectVersions(query);
      if (!page && page.error().code == ErrorCode::kInvalidArgument && !query.version_id_marker.empty()) {
        // A client removed the marker version meanwhile: skip the rest of that key this pass.
        query.version_id_marker.clear();
        continue;
      }
      if (!page) return Failed("ListObjectVersions", page.error());
      for (const store::ObjectRecord& v : page->versions) Visit(v);
      if (!page->is_truncated) break;
      query.key_marker = resume_.first;
      query.version_id_marker = resume_.second;
    }
    FlushPendingMarker(/*only_version=*/true);
  }

  // Versions arrive by key, newest first. A latest delete marker is decided once the next
  // version shows whether it is its key's only one.
  void Visit(const store::ObjectRecord& v) {
    ++stats_.scanned;
    bool same_key = v.key == key_;
    FlushPendingMarker(/*only_version=*/!same_key);
    if (!same_key || v.is_latest) {
      key_ = v.key;
      newer_noncurrent_ = 0;
      successor_modified_ = v.last_modified;
      if (v.is_delete_marker) {
        resume_before_marker_ = resume_;
        resume_ = {v.key, v.version_id};
        pending_marker_ = v;
        return;
      }
      Visited(v, Apply(v, DecideVersion(rules_, {.version = v}, w_.clock_.Now(), w_.options_.day)));
      return;
    }
    VersionView view{.version = v, .noncurrent_since = successor_modified_,
                     .newer_noncurrent = newer_noncurrent_};
    Visited(v, Apply(v, DecideVersion(rules_, view, w_.clock_.Now(), w_.options_.day)));
    ++newer_noncurrent_;
    successor_modified_ = v.last_modified;
  }

  void FlushPendingMarker(bool only_version) {
    if (!pending_marker_) return;
    store::ObjectRecord marker = std::move(*pending_marker_);
    pending_marker_.reset();
    VersionView view{.version = marker, .only_version = only_version};
    bool removed = Apply(marker, DecideVersion(rules_, view, w_.clock_.Now(), w_.options_.day));
    if (removed && resume_ == std::pair{marker.key, marker.version_id}) resume_ = resume_before_marker_;
  }

  void Visited(const store::ObjectRecord& v, bool removed) {
    if (!removed) resume_ = {v.key, v.version_id};
  }

  // Applies `action`; true when the version `v` no longer exists under its id.
  bool Apply(const store::ObjectRecord& v, LifecycleAction action) {
    if (action == LifecycleAction::kKeep || w_.stopping_) return false;
    store::DeleteRequest request{.bucket = bucket_, .key = v.key,
                                 .lock = {.now = w_.clock_.Now(), .bypass_governance = false}};
    if (action == LifecycleAction::kExpireCurrent) {
      request.marker_version_id = NewVersionId(w_.random_);
      // Only the version the rule judged: a write that replaced it since the listing is not
      // expired with it (checked against the current version inside the delete's transaction).
      request.precondition = {.if_match_etag = v.etag, .if_match_last_modified = v.last_modified,
                              .if_match_size = v.size};
    } else {
      request.version_id = v.version_id;
    }
    auto outcome = TimedWrite<store::DeleteOutcome>([&](store::Callback<store::DeleteOutcome> done) {
      w_.metadata_.DeleteObject(std::move(request), std::move(done));
    });
    if (!outcome) {
      if (outcome.error().code == ErrorCode::kPreconditionFailed ||
          outcome.error().code == ErrorCode::kNoSuchKey) {
        ++stats_.skipped_changed;  // rewritten or deleted since the listing: judged next pass
        return false;
      }
      if (outcome.error().code == ErrorCode::kAccessDenied) {
        ++stats_.skipped_locked;
        LogLine(LogLevel::kDebug, "lifecycle: " + bucket_ + "/" + v.key + " version " +
                                      v.version_id + " is locked; kept");
        return false;
      }
      Failed("DeleteObject", outcome.error());
      return false;
    }
    for (const store::BlobRef& blob : outcome->unreferenced) w_.blobs_.Delete(blob);
    switch (action) {
      case LifecycleAction::kExpireCurrent: ++stats_.expired; break;
      case LifecycleAction::kRemoveNoncurrent: ++stats_.noncurrent_removed; break;
      case LifecycleAction::kRemoveDeleteMarker: ++stats_.markers_removed; break;
      case LifecycleAction::kKeep: break;
    }
    // Expiring the current version removes it only when versioning is off; otherwise a delete
    // marker goes on top (Suspended: under the same id "null").
    return action != LifecycleAction::kExpireCurrent ||
           outcome->versioning == store::VersioningState::kUnversioned;
  }

  void WalkUploads() {
    if (std::none_of(rules_.begin(), rules_.end(),
                     [](const LifecycleRule& r) { return r.abort_days_after_initiation.has_value(); })) {
      return;
    }
    store::UploadQuery query{.bucket = bucket_, .limit = w_.options_.page_size};
    while (!w_.stopping_) {
      auto uploads = w_.metadata_.ListUploads(query);
      if (!uploads) return Failed("ListUploads", uploads.error());
      for (const store::UploadRecord& upload : *uploads) {
        if (ShouldAbortUpload(rules_, upload, w_.clock_.Now(), w_.options_.day)) Abort(upload);
      }
      if (static_cast<int>(uploads->size()) < query.limit) break;
      query.key_marker = uploads->back().object.key;
      query.upload_id_marker = uploads->back().upload_id;
    }
  }

  void Abort(const store::UploadRecord& upload) {
    if (w_.stopping_) return;
    auto parts = TimedWrite<std::vector<store::BlobRef>>([&](store::Callback<std::vector<store::BlobRef>> done) {
      w_.metadata_.AbortUpload(bucket_, upload.object.key, upload.upload_id, std::move(done));
    });
    if (!parts) {
      if (parts.error().code != ErrorCode::kNoSuchUpload) Failed("AbortUpload", parts.error());
      return;  // completed or aborted meanwhile
    }
    for (const store::BlobRef& blob : *parts) w_.blobs_.Delete(blob);
    ++stats_.uploads_aborted;
  }

  template <typename T>
  Result<T> TimedWrite(const std::function<void(store::Callback<T>)>& start) {
    auto began = steady_clock::now();
    Result<T> result = store::WaitFor<T>(start);
    stats_.longest_write = std::max(stats_.longest_write,
                                    duration_cast<microseconds>(steady_clock::now() - began));
    return result;
  }

  void Failed(std::string_view what, const Error& error) {
    ++stats_.errors;
    LogLine(LogLevel::kWarning, "lifecycle: " + std::string(what) + " on bucket " + bucket_ +
                                    " failed: " + error.message);
  }

  LifecycleWorker& w_;
  std::string bucket_;
  LifecycleRules rules_;
  LifecyclePassStats& stats_;
  std::string key_{};
  int newer_noncurrent_ = 0;
  TimePoint successor_modified_{};
  std::optional<store::ObjectRecord> pending_marker_{};
  std::pair<std::string, std::string> resume_{};  // (key, version id) the next page starts after
  std::pair<std::string, std::string> resume_before_marker_{};
};

LifecycleWorker::LifecycleWorker(store::MetadataStore& metadata, store::BlobStore& blobs,
                                 const Clock& clock, Random& random, LifecycleWorkerOptions options)
    : metadata_(metadata), blobs_(blobs), clock_(clock), random_(random), options_(options) {}

LifecycleWorker::~LifecycleWorker() { Stop(); }

LifecyclePassStats LifecycleWorker::RunPass() {
  LifecyclePassStats stats;
  auto began = steady_clock::now();
  auto buckets = metadata_.ListBuckets();
  if (!buckets) {
    ++stats.errors;
    LogLine(LogLevel::kWarning, "lifecycle: ListBuckets failed: " + buckets.error().message);
    return stats;
  }
  for (const store::BucketRecord& bucket : *buckets) {
    if (stopping_) break;
    if (bucket.lifecycle_xml.empty()) continue;
    auto rules = ParseLifecycleConfiguration(bucket.lifecycle_xml);
    if (!rules) {  // it was valid when it was put
      ++stats.errors;
      LogLine(LogLevel::kWarning, "lifecycle: bucket " + bucket.name +
                                      ": stored configuration no longer parses: " + rules.error().message);
      continue;
    }
    if (!AnyEnabled(*rules)) continue;
    ++stats.buckets;
    BucketPass(*this, bucket.name, std::move(*rules), stats).Run();
  }
  stats.duration = duration_cast<microseconds>(steady_clock::now() - began);
  return stats;
}

std::chrono::milliseconds LifecycleWorker::PassInterval() const {
  return std::clamp(duration_cast<milliseconds>(options_.day) / 4, kMinPassInterval, kMaxPassInterval);
}

void LifecycleWorker::Start() { thread_ = std::thread([this] { Loop(); }); }

void LifecycleWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LifecycleWorker::Loop() {
  while (!stopping_) {
    LifecyclePassStats s = RunPass();
    LogLine(LogLevel::kInfo,
            "lifecycle pass: buckets=" + std::to_string(s.buckets) + " scanned=" + std::to_string(s.scanned) +
                " expired=" + std::to_string(s.expired) + " noncurrent_removed=" +
                std::to_string(s.noncurrent_removed) + " markers_removed=" + std::to_string(s.markers_removed) +
                " uploads_aborted=" + std::to_string(s.uploads_aborted) + " skipped_locked=" +
                std::to_string(s.skipped_locked) + " skipped_changed=" + std::to_string(s.skipped_changed) +
                " errors=" + std::to_string(s.errors) +
                " duration_ms=" + std::to_string(s.duration.count() / 1000) +
                " longest_write_us=" + std::to_string(s.longest_write.count()));
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, PassInterval(), [this] { return stopping_.load(); });
  }
}

}  // namespace kura::s3
