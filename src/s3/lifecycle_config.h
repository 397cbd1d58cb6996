// A bucket's lifecycle configuration (PutBucketLifecycleConfiguration): the <LifecycleConfiguration>
// document parsed and validated as S3 validates it, rendered back as GetBucketLifecycleConfiguration
// answers, and the questions asked of it — which rules select an object, and when a rule's
// actions fall due. kura has one storage class (STANDARD), so Transition and
// NoncurrentVersionTransition are refused (InvalidStorageClass), never silently dropped.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
// and https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
// Thread-safety: pure functions over values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/records.h"

namespace kura::s3 {

// What a rule selects. `form` remembers how it was written, so Get returns the same shape.
struct LifecycleFilter {
  enum class Form { kLegacyPrefix, kEmpty, kPrefix, kTag, kAnd, kSizeGreaterThan, kSizeLessThan };
  Form form = Form::kEmpty;
  std::string prefix{};
  store::Pairs tags{};
  std::optional<uint64_t> size_greater_than{};
  std::optional<uint64_t> size_less_than{};

  friend bool operator==(const LifecycleFilter&, const LifecycleFilter&) = default;
};

struct LifecycleRule {
  std::string id{};  // "" until the handler assigns one (S3 names a rule that has none)
  bool enabled = false;
  LifecycleFilter filter{};
  std::optional<int> expiration_days{};
  std::optional<TimePoint> expiration_date{};
  std::optional<bool> expired_object_delete_marker{};
  std::optional<int> noncurrent_days{};
  std::optional<int> newer_noncurrent_versions{};
  std::optional<int> abort_days_after_initiation{};

  friend bool operator==(const LifecycleRule&, const LifecycleRule&) = default;
};

using LifecycleRules = std::vector<LifecycleRule>;

// Parses and validates a <LifecycleConfiguration>. Errors: kMalformedXML (not the document, an
// unknown element, a rule without Filter or Prefix or with both, a Filter with more than one
// predicate, an Expiration with both Days and Date, a bad number or date), kInvalidArgument
// (ID longer than 255 or repeated, Days/NoncurrentDays/DaysAfterInitiation < 1,
// NewerNoncurrentVersions outside 1..100, a Date not at midnight UTC, ExpiredObjectDeleteMarker
// with Days or Date, sizes out of order), kInvalidRequest (no action, AbortIncompleteMultipartUpload
// or ExpiredObjectDeleteMarker with a tag filter, more than 1000 rules, repeated tag keys),
// kInvalidStorageClass (any transition).
Result<LifecycleRules> ParseLifecycleConfiguration(std::string_view xml);
std::string RenderLifecycleConfiguration(const LifecycleRules& rules);

// Whether the rule is enabled and its filter selects this object (key, size, tags).
bool RuleSelects(const LifecycleRule& rule, const store::ObjectRecord& object);

// S3 counts lifecycle days from an event and rounds up to the next midnight UTC
// ("day" boundary: a multiple of `day` since the epoch; `day` is 24 h except in tests).
TimePoint LifecycleDue(TimePoint since, int days, std::chrono::seconds day);

// When the current version `object` expires under `rules` (Expiration Days or Date; the
// earliest wins), and by which rule: the x-amz-expiration header. nullopt: no rule expires it.
struct ObjectExpiry {
  TimePoint when{};
  std::string rule_id{};
};
std::optional<ObjectExpiry> ExpiryOf(const LifecycleRules& rules, const store::ObjectRecord& object,
                                     std::chrono::seconds day);

// The x-amz-expiration value: expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="id".
std::string ExpirationHeaderValue(const ObjectExpiry& expiry);

}  // namespace kura::s3
