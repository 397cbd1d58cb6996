// Amazon Resource Names: arn:partition:service:region:account-id:resource, where the resource
// part may itself contain ':' and '/'. Parsing and the ArnLike/ArnEquals matching rule of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// ("each of the six colon-delimited components of the ARN is checked separately and each can
// include * or ? wildcards"). Matching is case-sensitive. Thread-safety: pure functions.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace kura::policy {

// Views into the parsed text; valid while that text lives.
struct ArnView {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;  // everything after the fifth ':'
};

// nullopt unless the text starts with "arn:" and has at least five ':' separators.
std::optional<ArnView> ParseArn(std::string_view text);

// The six components (the literal "arn" first), or nullopt as ParseArn.
std::optional<std::array<std::string_view, 6>> SplitArn(std::string_view text);

// ArnLike: `pattern` and `value` are both split into six components and each pair is glob-matched.
// A value that is not an ARN never matches; a pattern that is not a six-component ARN is matched
// as one whole glob (so "*" matches any ARN).
bool ArnLike(std::string_view pattern, std::string_view value);

// Builders for the ARNs kura forms.
std::string AccountRootArn(std::string_view account_id);  // arn:aws:iam::ACCT:root
// The account field of an ARN ("" when `arn` is not one): whose entity an ARN names.
std::string_view AccountOfArn(std::string_view arn);
// The id of kura's one organization (aws:PrincipalOrgID, Organizations' Organization.Id): "o-"
// and the first 10 hex digits of SHA-256("kura-organization:" + the management account's id),
// stable for a data dir and matching Organizations' pattern ^o-[a-z0-9]{10,32}$.
std::string OrganizationId(std::string_view management_account_id);
// arn:aws:sts::ACCT:assumed-role/ROLE-NAME/SESSION
std::string AssumedRoleSessionArn(std::string_view account_id, std::string_view role_name,
                                  std::string_view session_name);

// An IAM or STS ARN with an empty account field (arn:aws:iam:::user/NAME, a habit of tools
// written for Ceph RGW) with `account_id` put in; any other text (an S3 ARN, whose account is
// always empty; an ARN that names its account) unchanged.
std::string WithAccount(std::string_view arn, std::string_view account_id);

}  // namespace kura::policy
