// Shared fixtures for the policy tests: the principals of one account (111122223333) and a
// helper that parses a document or fails the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/principal.h"
#include "policy/policy.h"

namespace kura::policy::testing {

inline constexpr char kAccount[] = "111122223333";
inline constexpr char kRoleArn[] = "arn:aws:iam::111122223333:role/Reader";
inline constexpr char kSessionArn[] = "arn:aws:sts::111122223333:assumed-role/Reader/app";

inline Principal User(std::string name) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account_id = kAccount;
  p.arn = "arn:aws:iam::111122223333:user/" + name;
  p.user_id = "AIDA" + name;
  p.user_name = std::move(name);
  p.access_key_id = "AKIAEXAMPLE";
  return p;
}

inline Principal RoleSession(TimePoint issued = FromUnixSeconds(1'600'000'000)) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account_id = kAccount;
  p.arn = kSessionArn;
  p.user_id = "AROAREADER:app";
  p.access_key_id = "ASIAEXAMPLE";
  SessionInfo s;
  s.role_id = "AROAREADER";
  s.role_arn = kRoleArn;
  s.role_name = "Reader";
  s.session_name = "app";
  s.issued_at = issued;
  s.expires_at = issued + std::chrono::hours(1);
  s.tags = {{"team", "blue"}};
  p.session = std::move(s);
  return p;
}

inline Principal Root() {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account_id = kAccount;
  p.arn = "arn:aws:iam::111122223333:root";
  p.user_id = kAccount;
  return p;
}

inline Principal Anonymous() { return Principal{}; }

inline std::shared_ptr<const CompiledPolicy> MustParse(const std::string& json, PolicyKind kind,
                                                       std::string id = "test-policy") {
  auto parsed = ParsePolicy(json, kind, std::move(id));
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message) << "\n" << json;
  if (!parsed) return nullptr;
  return *parsed;
}

}  // namespace kura::policy::testing
