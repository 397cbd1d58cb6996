#include "s3/object_lock_headers.h"

#include "common/text.h"
#include "common/time_format.h"
#include "s3/integrity_headers.h"

namespace kura::s3 {
namespace {

std::string ObjectArn(std::string_view bucket, std::string_view key) {
  return "arn:aws:s3:::" + std::string(bucket) + "/" + std::string(key);
}

bool HasLockFields(const store::ObjectRecord& record) {
  return record.retention_mode != store::RetentionMode::kNone || record.legal_hold;
}

}  // namespace

std::optional<store::RetentionMode> ParseRetentionMode(std::string_view text) {
  if (text == "GOVERNANCE") return store::RetentionMode::kGovernance;
  if (text == "COMPLIANCE") return store::RetentionMode::kCompliance;
  return std::nullopt;
}

std::string_view RetentionModeName(store::RetentionMode mode) {
  switch (mode) {
    case store::RetentionMode::kGovernance: return "GOVERNANCE";
    case store::RetentionMode::kCompliance: return "COMPLIANCE";
    case store::RetentionMode::kNone: break;
  }
  return "";
}

Result<void> ReadObjectLockHeaders(const RequestHead& request, store::ObjectRecord& record) {
  const auto& fields = request.fields;
  auto mode_it = fields.find("x-amz-object-lock-mode");
  auto until_it = fields.find("x-amz-object-lock-retain-until-date");
  if ((mode_it == fields.end()) != (until_it == fields.end())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be "
                     "supplied");
  }
  if (mode_it != fields.end()) {
    auto mode = ParseRetentionMode(mode_it->value());
    if (!mode) return MakeError(ErrorCode::kInvalidArgument, "Unknown wormMode directive.");
    auto until = ParseIso8601(until_it->value());
    if (!until) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "The retain until date must be provided in ISO 8601 format");
    }
    record.retention_mode = *mode;
    record.retain_until = *until;
  }
  auto hold_it = fields.find("x-amz-object-lock-legal-hold");
  if (hold_it != fields.end()) {
    if (hold_it->value() != "ON" && hold_it->value() != "OFF") {
      return MakeError(ErrorCode::kInvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'");
    }
    record.legal_hold = hold_it->value() == "ON";
  }
  return Ok();
}

Result<void> CheckObjectLockWrite(S3Env& env, const S3Call& call, const store::BucketRecord& bucket,
                                  const store::ObjectRecord& record, bool needs_integrity) {
  if (!HasLockFields(record)) return Ok();
  if (!bucket.object_lock_enabled) {
    return MakeError(ErrorCode::kInvalidRequest, "Bucket is missing Object Lock Configuration");
  }
  if (record.retention_mode != store::RetentionMode::kNone &&
      record.retain_until <= env.clock.Now()) {
    return MakeError(ErrorCode::kInvalidArgument, "The retain until date must be in the future!");
  }
  if (needs_integrity && !HasIntegrityHeader(call)) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object "
                     "requests with Object Lock parameters");
  }
  return Ok();
}

store::LockContext LockContextFor(S3Env& env, const S3Call& call, std::string_view key) {
  store::LockContext lock;
  lock.now = env.clock.Now();
  // S3 reads the header case-insensitively ("true", "True").
  if (EqualsIgnoreAsciiCase(call.Header("x-amz-bypass-governance-retention"), "true")) {
    lock.bypass_governance = call.authorize("s3:BypassGovernanceRetention",
                                            ObjectArn(call.request.bucket, key))
                                 .has_value();
  }
  return lock;
}

void WriteObjectLockHeaders(const S3Call& call, const store::ObjectRecord& record,
                            ResponseHead& head) {
  if (!HasLockFields(record)) return;
  std::string arn = ObjectArn(record.bucket, record.key);
  if (record.retention_mode != store::RetentionMode::kNone &&
      call.authorize("s3:GetObjectRetention", arn)) {
    head.fields.set("x-amz-object-lock-mode", RetentionModeName(record.retention_mode));
    head.fields.set("x-amz-object-lock-retain-until-date", FormatIso8601(record.retain_until));
  }
  if (record.legal_hold && call.authorize("s3:GetObjectLegalHold", arn)) {
    head.fields.set("x-amz-object-lock-legal-hold", "ON");
  }
}

}  // namespace kura::s3
