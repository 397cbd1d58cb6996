// The compiled lifecycle rules of every bucket that has a configuration, in memory: loaded when
// serve starts and refreshed by the handlers that change a configuration or a bucket (after the
// write is durable), so that GET, HEAD and PUT answer x-amz-expiration without reading the
// bucket record or parsing XML. Also knows the length of a lifecycle day (--lifecycle-day-seconds).
// Thread-safety: thread-safe; refreshes of a bucket are serialized with its lookups.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.h"
#include "s3/lifecycle_config.h"
#include "store/metadata_store.h"

namespace kura::s3 {

class LifecycleRulesCache {
 public:
  LifecycleRulesCache(store::MetadataStore& metadata, std::chrono::seconds day)
      : metadata_(metadata), day_(day) {}
  LifecycleRulesCache(const LifecycleRulesCache&) = delete;
  LifecycleRulesCache& operator=(const LifecycleRulesCache&) = delete;

  // Parses every bucket's stored configuration. Errors: the store's.
  Result<void> Load();
  // Re-reads the bucket's record after a durable change to it (or its deletion).
  void Refresh(std::string_view bucket);
  // The bucket's rules; null when it has none.
  std::shared_ptr<const LifecycleRules> ForBucket(std::string_view bucket);
  // When (and by which rule) the current version `object` will expire; nullopt if never.
  std::optional<ObjectExpiry> ExpiryOf(const store::ObjectRecord& object);

  std::chrono::seconds day() const { return day_; }

 private:
  void Put(const std::string& bucket, const std::string& xml);  // requires mu_

  store::MetadataStore& metadata_;
  const std::chrono::seconds day_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const LifecycleRules>> entries_;  // guarded by mu_
};

}  // namespace kura::s3
