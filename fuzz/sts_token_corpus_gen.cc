// Writes seed corpora for the sts_token fuzz targets:
//   sts_token_corpus_gen <fuzz/corpus/sts_token> <fuzz/corpus/sts_token_claims>
// Tokens are sealed with the fixture key (tests/sts/test_claims.h) and a fixed nonce sequence,
// so the output is reproducible; tests/sts also opens them to keep format 1 readable.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "sts/claims_encoding.h"
#include "sts/session_token.h"
#include "tests/sts/test_claims.h"

namespace {

using kura::sts::SessionClaims;
using kura::sts::SessionKind;

std::vector<std::pair<std::string, SessionClaims>> Samples() {
  using namespace kura::sts::testing;
  std::vector<std::pair<std::string, SessionClaims>> out;
  out.emplace_back("assumed-role", TypicalAssumedRoleClaims());
  out.emplace_back("full", FullClaims());
  SessionClaims user = TypicalAssumedRoleClaims();
  user.kind = SessionKind::kUserSession;
  user.role_id = user.role_arn = user.role_name = user.session_name = "";
  user.caller_arn = "arn:aws:iam::123456789012:user/alice";
  user.caller_user_id = "AIDAEXAMPLEUSERID123";
  user.caller_user_name = "alice";
  user.mfa_authenticated = true;
  out.emplace_back("user-session", user);
  SessionClaims root = user;
  root.kind = SessionKind::kRootSession;
  root.caller_arn = "arn:aws:iam::123456789012:root";
  root.caller_user_id = "123456789012";
  root.caller_user_name = "";
  out.emplace_back("root-session", root);
  out.emplace_back("empty", SessionClaims{});
  return out;
}

bool Write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <token corpus dir> <claims corpus dir>\n", argv[0]);
    return 2;
  }
  kura::FakeRandom random(2024);
  auto ring = kura::sts::testing::FixtureRing(random);
  auto codec = std::move(kura::sts::TokenCodec::Create(*ring, random)).value();
  for (const auto& [name, claims] : Samples()) {
    auto token = codec->Seal(claims);
    if (!token || !Write(std::filesystem::path(argv[1]) / ("sealed-" + name), *token) ||
        !Write(std::filesystem::path(argv[2]) / name, kura::sts::EncodeClaims(claims))) {
      std::fprintf(stderr, "failed to write %s\n", name.c_str());
      return 1;
    }
  }
  return 0;
}
