// Building IAM state for tests: entities with compiled policies, and a fixed IdentitySource.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "iam/identity_codec.h"
#include "iam/identity_model.h"
#include "iam/secret_sealer.h"
#include "policy/policy.h"

namespace kura::iam::testing {

inline constexpr const char* kAccount = "111122223333";

// A sealer under a fixed key (32 bytes of 'k'), for stores and codecs in tests.
inline const SecretSealer& TestSealer() {
  static SecureRandom random;
  static const SecretSealer sealer = *SecretSealer::Create(Secret(std::string(32, 'k')), random);
  return sealer;
}

inline CompiledPolicyPtr Compile(const std::string& json, const std::string& id = "test") {
  auto p = CompileIdentityPolicy(json, id);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : nullptr;
}

inline std::string Allow(const std::string& action, const std::string& resource) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action +
         R"(","Resource":")" + resource + R"("}]})";
}

inline std::string Deny(const std::string& action, const std::string& resource) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":")" + action +
         R"(","Resource":")" + resource + R"("}]})";
}

inline std::shared_ptr<User> MakeUser(const std::string& name) {
  auto u = std::make_shared<User>();
  u->name = name;
  u->id = "AIDA" + std::string(16 - std::min<size_t>(16, name.size()), 'X') + name.substr(0, 16);
  u->arn = IamArn(kAccount, "user", "/", name);
  return u;
}

inline InlinePolicy Inline(const std::string& name, const std::string& json) {
  return InlinePolicy{name, json, Compile(json, name)};
}

inline std::shared_ptr<ManagedPolicy> MakePolicy(const std::string& name, const std::string& json) {
  auto p = std::make_shared<ManagedPolicy>();
  p->name = name;
  p->id = "ANPAXXXXXXXXXXXXXXXX";
  p->arn = IamArn(kAccount, "policy", "/", name);
  p->default_version_id = "v1";
  p->versions.push_back(PolicyVersion{"v1", json, {}, Compile(json, p->arn)});
  return p;
}

inline std::shared_ptr<Role> MakeRole(const std::string& name) {
  auto r = std::make_shared<Role>();
  r->name = name;
  r->id = "AROAXXXXXXXXXXXX" + name.substr(0, 4);
  r->arn = IamArn(kAccount, "role", "/", name);
  r->trust_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]})";
  auto trust = policy::ParsePolicy(r->trust_policy_document, policy::PolicyKind::kTrust, "trust");
  EXPECT_TRUE(trust.has_value());
  r->trust_policy = *trust;
  return r;
}

// The account the tests' stores manage (kAccount, as the management account).
inline AccountInfo ManagementAccount() {
  return AccountInfo{.id = kAccount, .name = "kura", .management = true};
}

// A source whose one account's snapshot the test replaces at will.
class FixedSource final : public IdentitySource {
 public:
  explicit FixedSource(IdentityState state) { Set(std::move(state)); }
  void Set(IdentityState state) {
    state.account_id = kAccount;
    if (state.account == nullptr) state.account = std::make_shared<const AccountInfo>(ManagementAccount());
    auto snapshot = std::make_shared<const IdentitySnapshot>(std::move(state));
    directory_ = std::make_shared<const IdentityDirectory>(
        kAccount, std::map<std::string, std::shared_ptr<const IdentitySnapshot>>{{kAccount, snapshot}});
  }
  std::shared_ptr<const IdentityDirectory> Directory() const override { return directory_; }

 private:
  std::shared_ptr<const IdentityDirectory> directory_;
};

}  // namespace kura::iam::testing
