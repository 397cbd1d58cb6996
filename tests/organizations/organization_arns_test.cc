// The organization's id and ARNs have the shapes the Organizations model's patterns give
// (^o-[a-z0-9]{10,32}$, …:account/o-…/\d{12}, …:organization/o-…, ^r-[0-9a-z]{4,32}$).
// Checked by hand rather than with std::regex, which GCC 12's sanitizer build rejects
// (-Werror=maybe-uninitialized inside <regex>).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "organizations/organizations_operations.h"
#include "policy/arn.h"

namespace kura::organizations {
namespace {

bool LowerAlnum(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// "PREFIX" followed by 4..32 (or min..32) lower-case letters and digits.
bool Shaped(std::string_view value, std::string_view prefix, size_t min) {
  if (!value.starts_with(prefix)) return false;
  std::string_view rest = value.substr(prefix.size());
  return rest.size() >= min && rest.size() <= 32 && LowerAlnum(rest);
}

TEST(OrganizationArns, TheOrganizationIdDerivesFromTheManagementAccount) {
  std::string id = policy::OrganizationId("123456789012");
  EXPECT_EQ(id, "o-" + Sha256Hex("kura-organization:123456789012").substr(0, 10));
  EXPECT_TRUE(Shaped(id, "o-", 10)) << id;
  EXPECT_NE(id, policy::OrganizationId("210987654321"));
}

TEST(OrganizationArns, MatchTheModelsPatterns) {
  std::string org = policy::OrganizationId("123456789012");
  EXPECT_EQ(AccountArn("123456789012", "444455556666"),
            "arn:aws:organizations::123456789012:account/" + org + "/444455556666");
  EXPECT_EQ(OrganizationArn("123456789012"),
            "arn:aws:organizations::123456789012:organization/" + org);
  EXPECT_TRUE(Shaped(RootId("123456789012"), "r-", 4)) << RootId("123456789012");
}

}  // namespace
}  // namespace kura::organizations
