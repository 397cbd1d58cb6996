// AssumeRole's parameters, read and validated against the API's constraints
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html; shapes from
// botocore's service-2.json): RoleArn 20..2048, RoleSessionName 2..64 [\w+=,.@-]*,
// DurationSeconds min_duration..43200, Policy ≤ 2048, PolicyArns ≤ 10, Tags ≤ 50 (key 1..128,
// value ≤ 256, keys unique ignoring case), TransitiveTagKeys ⊆ tag keys, ExternalId 2..1224
// [\w+=,.@:/-]*, SourceIdentity 2..64 [\w+=,.@-]* not starting with "aws:".
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "query/query_api.h"
#include "sts/role_directory.h"
#include "sts/sts_service.h"

namespace kura::sts {

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::optional<int64_t> duration_seconds;
  std::optional<std::string> policy;  // inline session policy, as given
  std::vector<std::string> policy_arns;
  TagList tags;
  std::vector<std::string> transitive_tag_keys;
  std::optional<std::string> external_id;
  std::string source_identity;  // "" = not given
  bool mfa = false;             // SerialNumber or TokenCode given
};

// kValidationError (AWS's message, every failed constraint listed) or kInvalidParameterValue
// (duplicate tag keys, transitive keys that are not tags).
Result<AssumeRoleRequest> ParseAssumeRoleRequest(const query::QueryCall& call,
                                                 const StsConfig& config);

}  // namespace kura::sts
