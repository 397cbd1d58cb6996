#include "policy/arn.h"

#include "common/crypto.h"
#include "policy/wildcard.h"

namespace kura::policy {

std::optional<std::array<std::string_view, 6>> SplitArn(std::string_view text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  std::array<std::string_view, 6> parts;
  size_t start = 0;
  for (size_t i = 0; i < 5; ++i) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = text.substr(start);
  return parts;
}

std::optional<ArnView> ParseArn(std::string_view text) {
  auto parts = SplitArn(text);
  if (!parts) return std::nullopt;
  return ArnView{(*parts)[1], (*parts)[2], (*parts)[3], (*parts)[4], (*parts)[5]};
}

bool ArnLike(std::string_view pattern, std::string_view value) {
  auto value_parts = SplitArn(value);
  if (!value_parts) return false;
  auto pattern_parts = SplitArn(pattern);
  if (!pattern_parts) return GlobPattern(pattern).Matches(value);
  for (size_t i = 0; i < 6; ++i) {
    if (!GlobPattern((*pattern_parts)[i]).Matches((*value_parts)[i])) return false;
  }
  return true;
}

std::string_view AccountOfArn(std::string_view arn) {
  auto parsed = ParseArn(arn);
  return parsed ? parsed->account : std::string_view();
}

std::string AccountRootArn(std::string_view account_id) {
  return "arn:aws:iam::" + std::string(account_id) + ":root";
}

std::string OrganizationId(std::string_view management_account_id) {
  return "o-" + Sha256Hex("kura-organization:" + std::string(management_account_id)).substr(0, 10);
}

std::string AssumedRoleSessionArn(std::string_view account_id, std::string_view role_name,
                                  std::string_view session_name) {
  return "arn:aws:sts::" + std::string(account_id) + ":assumed-role/" + std::string(role_name) +
         "/" + std::string(session_name);
}

std::string WithAccount(std::string_view arn, std::string_view account_id) {
  auto parts = SplitArn(arn);
  if (!parts || account_id.empty() || !(*parts)[4].empty() || (*parts)[5].empty() ||
      ((*parts)[2] != "iam" && (*parts)[2] != "sts")) {
    return std::string(arn);
  }
  size_t account_at = arn.size() - (*parts)[5].size() - 1;  // the empty field before the last ':'
  std::string out(arn);
  out.insert(account_at, account_id);
  return out;
}

}  // namespace kura::policy
