#include "sigv4/credential_resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kura::sigv4 {
namespace {

// Knows one access key (with or without a session token); records every call in `log`.
class OneKey final : public CredentialResolver {
 public:
  OneKey(std::string name, std::string key, bool wants_token, std::vector<std::string>& log)
      : name_(std::move(name)), key_(std::move(key)), wants_token_(wants_token), log_(log) {}

  Result<ResolvedCredential> Resolve(std::string_view access_key_id,
                                     std::string_view session_token) const override {
    log_.push_back(name_);
    if (access_key_id != key_ || session_token.empty() == wants_token_) {
      return MakeError(ErrorCode::kInvalidAccessKeyId);
    }
    if (session_token == "expired") return MakeError(ErrorCode::kExpiredToken);
    auto principal = std::make_shared<Principal>();
    principal->arn = name_;
    return ResolvedCredential{Secret("secret"), std::move(principal)};
  }

 private:
  std::string name_, key_;
  bool wants_token_;
  std::vector<std::string>& log_;
};

struct ChainTest : ::testing::Test {
  std::vector<std::string> log;
  OneKey root{"root", "AKIAROOT", false, log};
  OneKey users{"users", "AKIAUSER", false, log};
  OneKey sessions{"sessions", "ASIASESSION", true, log};
  CredentialResolverChain chain{{&root, &users, &sessions}};
};

TEST_F(ChainTest, AsksTheResolversInOrderUntilOneKnowsTheKey) {
  auto r = chain.Resolve("AKIAROOT", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->principal->arn, "root");
  EXPECT_EQ(log, (std::vector<std::string>{"root"}));
  log.clear();
  r = chain.Resolve("ASIASESSION", "token");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->principal->arn, "sessions");
  EXPECT_EQ(log, (std::vector<std::string>{"root", "users", "sessions"}));
}

TEST_F(ChainTest, AnErrorOtherThanUnknownKeyIsTheAnswer) {
  EXPECT_EQ(chain.Resolve("ASIASESSION", "expired").error().code, ErrorCode::kExpiredToken);
}

TEST_F(ChainTest, ACredentialNoneKnowsIsAnUnknownKeyOrAnInvalidToken) {
  EXPECT_EQ(chain.Resolve("AKIANOBODY", "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(chain.Resolve("ASIANOBODY", "token").error().code, ErrorCode::kInvalidToken);
  EXPECT_EQ(log.size(), 6u);
}

}  // namespace
}  // namespace kura::sigv4
