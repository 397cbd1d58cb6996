// Checks kura-bench's signer against every case of the AWS SigV4 test suite
// (/work/shared/testdata/aws-signing-test-suite/v4, from aws-c-auth): for each case the
// canonical request, string to sign and signature of the header form must match byte for byte.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "kura_bench/signer.h"

namespace kura::bench {
namespace {

namespace fs = std::filesystem;

// KURA_SHARED_DIR when set (CTest sets it); else the build's guess, else /work/shared (a worktree
// sits one level deeper than the main checkout).
fs::path SuiteDir() {
  const char* env = std::getenv("KURA_SHARED_DIR");
  for (std::string shared : {std::string(env != nullptr ? env : ""),
                             std::string(KURA_SHARED_DIR_DEFAULT), std::string("/work/shared")}) {
    fs::path dir = fs::path(shared) / "testdata/aws-signing-test-suite/v4";
    if (!shared.empty() && fs::is_directory(dir)) return dir;
  }
  return {};
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(SuiteDir(), ec)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ReadExpected(const std::string& name, const std::string& file) {
  std::string text = ReadFile(SuiteDir() / name / file);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Splits a query string into decoded pairs ("a=b&c" -> {a,b},{c,""}).
QueryParams ParseQuery(std::string_view query) {
  QueryParams out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    size_t eq = part.find('=');
    std::string_view key = part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    out.emplace_back(PercentDecode(key).value_or(std::string(key)),
                     PercentDecode(value).value_or(std::string(value)));
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
  }
  return out;
}

// Parses request.txt: "METHOD PATH HTTP/1.1", "Name:value" lines (indented lines continue the
// previous value), a blank line, then the body.
SignableRequest ParseRequest(const std::string& text, std::string* body) {
  SignableRequest request;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t first_space = line.find(' ');
  size_t last_space = line.rfind(' ');
  request.method = line.substr(0, first_space);
  std::string target = line.substr(first_space + 1, last_space - first_space - 1);
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = ParseQuery(target.substr(question + 1));
  while (std::getline(in, line) && !line.empty()) {
    if (line[0] == ' ' || line[0] == '\t') {
      request.headers.back().value += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  std::stringstream rest;
  rest << in.rdbuf();
  *body = rest.str();
  return request;
}

class SignerSuite : public testing::TestWithParam<std::string> {};

TEST_P(SignerSuite, MatchesCanonicalRequestStringToSignAndSignature) {
  const std::string& name = GetParam();
  boost::json::object context =
      boost::json::parse(ReadFile(SuiteDir() / name / "context.json")).as_object();
  const auto& creds = context.at("credentials").as_object();
  Credentials credentials{std::string(creds.at("access_key_id").as_string()),
                          std::string(creds.at("secret_access_key").as_string()), ""};
  if (creds.contains("token")) credentials.session_token = creds.at("token").as_string();
  std::string body;
  SignableRequest request = ParseRequest(ReadFile(SuiteDir() / name / "request.txt"), &body);
  request.payload_hash = Sha256Hex(body);
  if (context.at("sign_body").as_bool()) {
    request.headers.push_back({"X-Amz-Content-Sha256", request.payload_hash});
  }
  SignOptions options;
  options.normalize_path = context.at("normalize").as_bool();
  options.omit_session_token =
      context.contains("omit_session_token") && context.at("omit_session_token").as_bool();
  auto now = ParseIso8601(std::string(context.at("timestamp").as_string()));
  ASSERT_TRUE(now.has_value());
  Signer signer(credentials, std::string(context.at("region").as_string()),
                std::string(context.at("service").as_string()));

  Signature sig = signer.Sign(request, *now, options);

  EXPECT_EQ(sig.canonical_request, ReadExpected(name, "header-canonical-request.txt"));
  EXPECT_EQ(sig.string_to_sign, ReadExpected(name, "header-string-to-sign.txt"));
  EXPECT_EQ(sig.signature, ReadExpected(name, "header-signature.txt"));
  EXPECT_NE(ReadExpected(name, "header-signed-request.txt").find(sig.authorization),
            std::string::npos)
      << sig.authorization;
}

std::string CaseId(const testing::TestParamInfo<std::string>& param_info) {
  std::string id = param_info.param;
  for (char& c : id) {
    if (c == '-') c = '_';
  }
  return id;
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, SignerSuite, testing::ValuesIn(CaseNames()), CaseId);

TEST(SignerSuiteData, HoldsEveryCase) { EXPECT_GE(CaseNames().size(), 38u); }

}  // namespace
}  // namespace kura::bench
