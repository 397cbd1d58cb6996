#include "s3/object_lock.h"

#include <pugixml.hpp>

#include <charconv>

#include "common/limits.h"
#include "common/text.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/integrity_headers.h"
#include "s3/names.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// S3's bounds on a default retention period (the Object Lock user guide: "up to 100 years").
constexpr int kMaxDefaultRetentionYears = 100;
constexpr int kMaxDefaultRetentionDays = 36500;

Error Malformed() { return MakeError(ErrorCode::kMalformedXML); }

Error MissingConfiguration() {
  return MakeError(ErrorCode::kInvalidRequest, "Bucket is missing Object Lock Configuration");
}

// A DefaultRetention period: an integer (else MalformedXML), > 0 and within `max`.
Result<int> ParsePeriod(std::string_view text, int max) {
  text = TrimAsciiWhitespace(text);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return Malformed();
  if (value <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Default retention period must be a positive integer value.");
  }
  if (value > max) {
    return MakeError(ErrorCode::kInvalidArgument, "Default retention period is too large.");
  }
  return static_cast<int>(value);
}

Result<void> RequireIntegrityHeader(const S3Call& call) {
  if (HasIntegrityHeader(call)) return Ok();
  return MakeError(ErrorCode::kInvalidRequest, "Missing required header for this request: Content-MD5");
}

Result<void> RequireObjectLock(S3Env& env, const S3Call& call) {
  auto bucket = env.metadata.GetBucket(call.request.bucket);
  if (!bucket) return bucket.error();
  if (!bucket->object_lock_enabled) return MissingConfiguration();
  return Ok();
}

// The version a retention or legal hold read names: the latest (a delete marker: NoSuchKey) or
// the one ?versionId= names (a delete marker: MethodNotAllowed), as GetObject answers.
Result<store::ObjectRecord> LockedVersion(S3Env& env, const S3Call& call) {
  KURA_TRY(ValidateObjectKey(call.request.key));
  KURA_TRY(RequireObjectLock(env, call));
  return ReadAddressedVersion(env, call);
}

// Reads a small XML body after checking its integrity header, as the Put* lock operations need.
net::awaitable<Result<std::string>> ReadLockBody(S3Call& call) {
  KURA_CO_TRY(RequireIntegrityHeader(call));
  co_return co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
}

net::awaitable<Result<void>> UpdateLockedVersion(
    S3Env& env, S3Call& call, std::function<Result<void>(store::ObjectRecord&)> mutate) {
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) co_return version_id.error();
  store::LockContext lock = LockContextFor(env, call, call.request.key);
  co_return co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateObject(call.request.bucket, call.request.key, std::move(*version_id), lock,
                              std::move(mutate), std::move(done));
  });
}

}  // namespace

Result<store::DefaultRetention> ParseObjectLockConfiguration(std::string_view xml) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, xml, "ObjectLockConfiguration");
  if (!root) return root.error();
  if (std::string_view(root->child_value("ObjectLockEnabled")) != "Enabled") return Malformed();
  store::DefaultRetention retention;
  pugi::xml_node rule = root->child("Rule");
  if (!rule) return retention;
  pugi::xml_node fields = rule.child("DefaultRetention");
  if (!fields) return Malformed();
  auto mode = ParseRetentionMode(fields.child_value("Mode"));
  pugi::xml_node days = fields.child("Days");
  pugi::xml_node years = fields.child("Years");
  // A mode and exactly one period (DefaultRetention in the API Reference).
  if (!mode || static_cast<bool>(days) == static_cast<bool>(years)) return Malformed();
  retention.mode = *mode;
  if (days) {
    auto n = ParsePeriod(days.child_value(), kMaxDefaultRetentionDays);
    if (!n) return n.error();
    retention.days = *n;
  } else {
    auto n = ParsePeriod(years.child_value(), kMaxDefaultRetentionYears);
    if (!n) return n.error();
    retention.years = *n;
  }
  return retention;
}

Result<Retention> ParseRetention(std::string_view xml) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, xml, "Retention");
  if (!root) return root.error();
  pugi::xml_node mode = root->child("Mode");
  pugi::xml_node until = root->child("RetainUntilDate");
  if (static_cast<bool>(mode) != static_cast<bool>(until)) return Malformed();
  Retention retention;
  if (!mode) return retention;
  auto parsed_mode = ParseRetentionMode(mode.child_value());
  auto parsed_until = ParseIso8601(TrimAsciiWhitespace(until.child_value()));
  if (!parsed_mode || !parsed_until) return Malformed();
  retention.mode = *parsed_mode;
  retention.retain_until = *parsed_until;
  return retention;
}

Result<bool> ParseLegalHold(std::string_view xml) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, xml, "LegalHold");
  if (!root) return root.error();
  std::string_view status = root->child_value("Status");
  if (status == "ON") return true;
  if (status == "OFF") return false;
  return Malformed();
}

void ApplyCreateBucketObjectLock(const S3Call& call, store::BucketRecord& record) {
  if (!EqualsIgnoreAsciiCase(call.Header("x-amz-bucket-object-lock-enabled"), "true")) return;
  record.object_lock_enabled = true;
  record.versioning = store::VersioningState::kEnabled;
}

net::awaitable<Result<void>> GetObjectLockConfiguration(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (!bucket->object_lock_enabled) co_return MakeError(ErrorCode::kObjectLockConfigurationNotFound);
  xml::Writer w("ObjectLockConfiguration", xml::kS3Namespace);
  w.Element("ObjectLockEnabled", "Enabled");
  const store::DefaultRetention& retention = bucket->default_retention;
  if (retention.mode != store::RetentionMode::kNone) {
    w.Open("Rule").Open("DefaultRetention").Element("Mode", RetentionModeName(retention.mode));
    if (retention.days > 0) w.Element("Days", static_cast<uint64_t>(retention.days));
    if (retention.years > 0) w.Element("Years", static_cast<uint64_t>(retention.years));
    w.Close("DefaultRetention").Close("Rule");
  }
  co_return co_await RespondXml(call, w.Finish());
}

// x-amz-bucket-object-lock-token is accepted and not checked: AWS once required a token from
// Support to enable Object Lock on an existing bucket and no longer does; kura issues none.
net::awaitable<Result<void>> PutObjectLockConfiguration(S3Env& env, S3Call& call) {
  auto body = co_await ReadLockBody(call);
  if (!body) co_return body.error();
  auto retention = ParseObjectLockConfiguration(*body);
  if (!retention) co_return retention.error();
  // The store's CheckBucketChange refuses a bucket whose versioning is not Enabled.
  KURA_CO_TRY(co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [retention = *retention](store::BucketRecord& b) -> Result<void> {
                                b.object_lock_enabled = true;
                                b.default_retention = retention;
                                return Ok();
                              },
                              std::move(done));
  }));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> GetObjectRetention(S3Env& env, S3Call& call) {
  auto object = co_await ReadStep(env, [&] { return LockedVersion(env, call); });
  if (!object) co_return object.error();
  if (object->retention_mode == store::RetentionMode::kNone) {
    co_return MakeError(ErrorCode::kNoSuchObjectLockConfiguration);
  }
  xml::Writer w("Retention", xml::kS3Namespace);
  w.Element("Mode", RetentionModeName(object->retention_mode))
      .Element("RetainUntilDate", FormatIso8601(object->retain_until));
  co_return co_await RespondXml(call, w.Finish());
}

net::awaitable<Result<void>> PutObjectRetention(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto body = co_await ReadLockBody(call);
  if (!body) co_return body.error();
  auto retention = ParseRetention(*body);
  if (!retention) co_return retention.error();
  if (retention->mode != store::RetentionMode::kNone && retention->retain_until <= env.clock.Now()) {
    co_return MakeError(ErrorCode::kInvalidArgument, "The retain until date must be in the future!");
  }
  KURA_CO_TRY(co_await ReadStep(env, [&] { return RequireObjectLock(env, call); }));
  // The store allows extending only; shortening or removing needs GOVERNANCE and the bypass.
  KURA_CO_TRY(co_await UpdateLockedVersion(
      env, call, [retention = *retention](store::ObjectRecord& o) -> Result<void> {
        o.retention_mode = retention.mode;
        o.retain_until = retention.retain_until;
        return Ok();
      }));
  co_return co_await RespondEmpty(call, NewHead(call));
}

// A legal hold never set reads as NoSuchObjectLockConfiguration, as in S3. The store keeps one
// bit, so a hold explicitly set OFF reads the same way (S3 would answer Status OFF).
net::awaitable<Result<void>> GetObjectLegalHold(S3Env& env, S3Call& call) {
  auto object = co_await ReadStep(env, [&] { return LockedVersion(env, call); });
  if (!object) co_return object.error();
  if (!object->legal_hold) co_return MakeError(ErrorCode::kNoSuchObjectLockConfiguration);
  xml::Writer w("LegalHold", xml::kS3Namespace);
  w.Element("Status", "ON");
  co_return co_await RespondXml(call, w.Finish());
}

net::awaitable<Result<void>> PutObjectLegalHold(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto body = co_await ReadLockBody(call);
  if (!body) co_return body.error();
  auto hold = ParseLegalHold(*body);
  if (!hold) co_return hold.error();
  KURA_CO_TRY(co_await ReadStep(env, [&] { return RequireObjectLock(env, call); }));
  KURA_CO_TRY(co_await UpdateLockedVersion(env, call, [on = *hold](store::ObjectRecord& o) -> Result<void> {
    o.legal_hold = on;
    return Ok();
  }));
  co_return co_await RespondEmpty(call, NewHead(call));
}

}  // namespace kura::s3
