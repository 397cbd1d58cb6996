// Writes seed corpora for the sts_token fuzz targets:
//   sts_token_corpus_gen <fuzz/corpus/sts_token> <fuzz/corpus/sts_token_claims>
// Tokens are sealed in the current format (version 2) with the fixture key
// (tests/sts/test_claims.h) and a fixed nonce sequence, so the output is reproducible; damaged
// copies of one token (each refused for another reason) are written next to them. tests/sts
// opens the sealed ones. The version-1 fixtures (v1-*) were written by the version-1 generator
// and are kept to prove old tokens still open; this program does not touch them.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "common/encoding.h"
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
  // Version 2's field: the OIDC provider's condition keys of a web identity session.
  SessionClaims web = FullClaims();
  web.web_identity_context = {
      {"idp.example.com:sub", {"user-8f3a"}},
      {"idp.example.com:aud", {"kura-client"}},
      {"idp.example.com:amr", {"authenticated", "mfa"}},
      {"idp.example.com:email", {}}};
  out.emplace_back("web-identity", web);
  return out;
}

// Copies of a sealed token that Open must refuse, each for one reason.
std::vector<std::pair<std::string, std::string>> Damaged(const std::string& token) {
  std::string raw = kura::Base64Decode(token).value();
  auto reencode = [](std::string bytes) { return kura::Base64Encode(bytes); };
  std::vector<std::pair<std::string, std::string>> out;
  std::string tampered = raw;
  tampered[30] = static_cast<char>(tampered[30] ^ 1);
  out.emplace_back("tampered-ciphertext", reencode(tampered));
  std::string v1 = raw;
  v1[0] = 1;  // a version that exists, but the tag covers the version byte
  out.emplace_back("version-relabelled-1", reencode(v1));
  std::string v3 = raw;
  v3[0] = 3;
  out.emplace_back("version-3", reencode(v3));
  std::string key = raw;
  key[4] = 9;
  out.emplace_back("unknown-key-id", reencode(key));
  out.emplace_back("truncated", token.substr(0, 100));
  out.emplace_back("url-encoded", kura::UriEncode(token, true));
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
  std::string typical;
  for (const auto& [name, claims] : Samples()) {
    auto token = codec->Seal(claims);
    if (!token || !Write(std::filesystem::path(argv[1]) / ("sealed-" + name), *token) ||
        !Write(std::filesystem::path(argv[2]) / name, kura::sts::EncodeClaims(claims))) {
      std::fprintf(stderr, "failed to write %s\n", name.c_str());
      return 1;
    }
    if (name == "assumed-role") typical = *token;
  }
  for (const auto& [name, token] : Damaged(typical)) {
    if (!Write(std::filesystem::path(argv[1]) / name, token)) {
      std::fprintf(stderr, "failed to write %s\n", name.c_str());
      return 1;
    }
  }
  return 0;
}
