// Claims and key rings for sts tests, fuzz corpus generation and benchmarks.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "sts/session_claims.h"
#include "sts/token_key_ring.h"

namespace kura::sts::testing {

inline TimePoint TestEpoch() { return FromUnixSeconds(1700000000); }  // 2023-11-14T22:13:20Z

// An assumed-role session as AssumeRole would make it: no optional field set.
inline SessionClaims TypicalAssumedRoleClaims() {
  SessionClaims c;
  c.kind = SessionKind::kAssumedRole;
  c.access_key_id = "ASIAQWERTYUIOPASDFGH";
  c.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  c.issued_at = TestEpoch();
  c.expires_at = TestEpoch() + std::chrono::hours(1);
  c.account_id = "123456789012";
  c.role_id = "AROAZXCVBNMLKJHGFDSA";
  c.role_arn = "arn:aws:iam::123456789012:role/app/reader";
  c.role_name = "reader";
  c.session_name = "ci-job-4711";
  return c;
}

// Every field set to a distinct non-default value.
inline SessionClaims FullClaims() {
  SessionClaims c = TypicalAssumedRoleClaims();
  c.kind = SessionKind::kWebIdentity;
  c.caller_arn = "arn:aws:iam::123456789012:user/alice";
  c.caller_user_id = "AIDAEXAMPLEUSERID123";
  c.caller_user_name = "alice";
  c.session_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
      R"("Resource":"arn:aws:s3:::bucket/*"}]})";
  c.policy_arns = {"arn:aws:iam::123456789012:policy/one", "arn:aws:iam::aws:policy/ReadOnly"};
  c.tags = {{"team", "storage"}, {"cost-center", "42"}, {"empty", ""}};
  c.transitive_tag_keys = {"team"};
  c.source_identity = "alice@example.com";
  c.chained = true;
  c.mfa_authenticated = true;
  c.web_identity_provider_arn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com";
  c.web_identity_subject = "user-8f3a";
  c.web_identity_audience = "kura-client";
  return c;
}

// A ring held in memory with one key made from `seed`.
inline std::unique_ptr<TokenKeyRing> TestRing(Random& random, uint32_t id = 1) {
  KeySet keys;
  keys.keys.push_back(NewTokenKey(random, id, TestEpoch()));
  return TokenKeyRing::InMemory(kTokenKeys, std::move(keys), random);
}

// The fixed key (id 1) that sealed the checked-in tokens under fuzz/corpus/sts_token/: a test
// fixture, never used by a server.
inline std::unique_ptr<TokenKeyRing> FixtureRing(Random& random) {
  KeySet keys;
  TokenKey key;
  key.id = 1;
  key.material = Secret("kura-sts-fixture-key-not-secret!");
  key.created_at = TestEpoch();
  keys.keys.push_back(std::move(key));
  return TokenKeyRing::InMemory(kTokenKeys, std::move(keys), random);
}

}  // namespace kura::sts::testing
