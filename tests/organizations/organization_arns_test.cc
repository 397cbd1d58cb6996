#include <gtest/gtest.h>

#include <regex>

#include "common/crypto.h"
#include "organizations/organizations_operations.h"
#include "policy/arn.h"

namespace kura::organizations {
namespace {

TEST(OrganizationArns, TheOrganizationIdDerivesFromTheManagementAccount) {
  std::string id = policy::OrganizationId("123456789012");
  EXPECT_EQ(id, "o-" + Sha256Hex("kura-organization:123456789012").substr(0, 10));
  EXPECT_TRUE(std::regex_match(id, std::regex("^o-[a-z0-9]{10,32}$")));
  EXPECT_NE(id, policy::OrganizationId("210987654321"));
}

TEST(OrganizationArns, MatchTheModelsPatterns) {
  EXPECT_TRUE(std::regex_match(
      AccountArn("123456789012", "444455556666"),
      std::regex(R"(^arn:aws:organizations::\d{12}:account\/o-[a-z0-9]{10,32}\/\d{12})")));
  EXPECT_TRUE(std::regex_match(
      OrganizationArn("123456789012"),
      std::regex(R"(^arn:aws:organizations::\d{12}:organization\/o-[a-z0-9]{10,32})")));
  EXPECT_TRUE(std::regex_match(RootId("123456789012"), std::regex("^r-[0-9a-z]{4,32}$")));
}

}  // namespace
}  // namespace kura::organizations
