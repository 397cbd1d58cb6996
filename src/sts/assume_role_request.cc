#include "sts/assume_role_request.h"

#include <cctype>

#include "common/limits.h"
#include "sts/sts_params.h"

namespace kura::sts {
namespace {

constexpr int64_t kMaxRoleSessionSeconds = 43200;
constexpr std::string_view kTagKeyPattern = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
constexpr std::string_view kTagValuePattern = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";

// Tag text: letters, digits and spaces of any script (UTF-8 bytes ≥ 0x80 pass), _.:/=+-@.
bool IsTagText(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == ' ') continue;
    if (std::string_view("_.:/=+-@").find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string ShownList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

void ValidateTags(const AssumeRoleRequest& r, Validator& v) {
  v.ListSize("tags", "[…]", r.tags.size(), limits::kMaxSessionTags);
  for (size_t i = 0; i < r.tags.size(); ++i) {
    const auto& [key, value] = r.tags[i];
    std::string at = "tags." + std::to_string(i + 1) + ".member.";
    v.Text(at + "key", key, 1, 128);
    if (!IsTagText(key)) {
      v.Add(key, at + "key", "Member must satisfy regular expression pattern: " +
                                 std::string(kTagKeyPattern));
    }
    v.Text(at + "value", value, 0, 256);
    if (!IsTagText(value)) {
      v.Add(value, at + "value", "Member must satisfy regular expression pattern: " +
                                     std::string(kTagValuePattern));
    }
  }
  v.ListSize("transitiveTagKeys", ShownList(r.transitive_tag_keys), r.transitive_tag_keys.size(),
             limits::kMaxSessionTags);
  for (const std::string& key : r.transitive_tag_keys) v.Text("transitiveTagKeys", key, 1, 128);
}

void ValidateScalars(const query::QueryCall& call, const AssumeRoleRequest& r,
                     const StsConfig& config, Validator& v) {
  ValidateRoleAndSessionName(call, r.role_arn, r.session_name, v);
  if (r.duration_seconds) {
    v.Range("durationSeconds", *r.duration_seconds, config.min_duration_seconds,
            kMaxRoleSessionSeconds);
  }
  if (r.policy) v.Text("policy", *r.policy, 1, limits::kMaxSessionPolicyChars);
  v.ListSize("policyArns", ShownList(r.policy_arns), r.policy_arns.size(),
             limits::kMaxSessionPolicyArns);
  for (const std::string& arn : r.policy_arns) v.Text("policyArns.member.arn", arn, 20, 2048);
  if (r.external_id) {
    v.Text("externalId", *r.external_id, 2, 1224, "[\\w+=,.@:\\/-]*", "+=,.@:/-");
  }
  if (call.Has("SourceIdentity")) {
    v.Text("sourceIdentity", r.source_identity, 2, 64, kSessionNamePattern, kSessionNameChars);
  }
}

// Constraints across members, which AWS reports as InvalidParameterValue.
Result<void> CheckTagKeys(const AssumeRoleRequest& r) {
  for (size_t i = 0; i < r.tags.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (TagKeyEquals(r.tags[i].first, r.tags[j].first)) {
        return MakeError(ErrorCode::kInvalidParameterValue,
                         "Duplicate tag keys found. Please note that Tag keys are case "
                         "insensitive.");
      }
    }
  }
  for (const std::string& key : r.transitive_tag_keys) {
    bool found = false;
    for (const auto& tag : r.tags) found = found || TagKeyEquals(tag.first, key);
    if (!found) {
      return MakeError(ErrorCode::kInvalidParameterValue,
                       "The specified transitive tag key must be included in the requested tags.");
    }
  }
  return Ok();
}

}  // namespace

Result<AssumeRoleRequest> ParseAssumeRoleRequest(const query::QueryCall& call,
                                                 const StsConfig& config) {
  AssumeRoleRequest r;
  r.role_arn = call.Param("RoleArn");
  r.session_name = call.Param("RoleSessionName");
  auto duration = IntParam(call, "DurationSeconds");
  if (!duration) return duration.error();
  r.duration_seconds = *duration;
  if (call.Has("Policy")) r.policy = call.Param("Policy");
  r.policy_arns = ListParam(call, "PolicyArns", ".arn");
  r.tags = TagsParam(call, "Tags");
  r.transitive_tag_keys = ListParam(call, "TransitiveTagKeys");
  if (call.Has("ExternalId")) r.external_id = call.Param("ExternalId");
  r.source_identity = call.Param("SourceIdentity");
  r.mfa = call.Has("SerialNumber") || call.Has("TokenCode");

  Validator v;
  ValidateScalars(call, r, config, v);
  ValidateTags(r, v);
  KURA_TRY(v.Finish());
  KURA_TRY(CheckTagKeys(r));
  return r;
}

}  // namespace kura::sts
