// Runs every case of the aws-c-auth SigV4 test suite ($KURA_SHARED_DIR/testdata/
// aws-signing-test-suite/v4): our canonical request, string to sign and signature must equal
// the published ones for header and query signing, and the Verifier must accept the signed
// requests (cases with normalize=false excepted: kura normalizes non-S3 paths, as AWS does)
// and reject them after a change to a signed part.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/time_format.h"
#include "sigv4/authorization.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signing_key.h"
#include "sigv4/verifier.h"

namespace kura::sigv4 {
namespace {

namespace fs = std::filesystem;

// $KURA_SHARED_DIR (set by CTest to <source>/../shared), else the workspace's shared folder
// (a git worktree's ../shared does not exist).
fs::path SuiteDir() {
  constexpr const char* kSuite = "testdata/aws-signing-test-suite/v4";
  const char* shared = std::getenv("KURA_SHARED_DIR");
  if (shared != nullptr && fs::is_directory(fs::path(shared) / kSuite)) {
    return fs::path(shared) / kSuite;
  }
  return fs::path("/work/shared") / kSuite;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// An HTTP/1.1 request as the suite writes it; folded header lines join with one space.
struct ParsedRequest {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<HeaderField> fields;

  RequestView View() {
    fields.clear();
    for (const auto& [name, value] : headers) fields.push_back({name, value});
    return RequestView{.method = method, .target = target, .headers = fields, .body = body, .source_ip = {}};
  }
};

ParsedRequest ParseRequest(const std::string& text) {
  ParsedRequest request;
  size_t pos = text.find('\n');
  std::string first = text.substr(0, pos);
  size_t sp1 = first.find(' ');
  size_t sp2 = first.rfind(' ');
  request.method = first.substr(0, sp1);
  request.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  while (pos != std::string::npos && pos + 1 <= text.size()) {
    size_t start = pos + 1;
    pos = text.find('\n', start);
    std::string line = text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    if (line.empty()) {
      if (pos != std::string::npos) request.body = text.substr(pos + 1);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += " " + line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

struct Context {
  std::string access_key_id, secret, token, region, service, timestamp;
  bool normalize = true, omit_session_token = false;
};

Context ReadContext(const fs::path& dir) {
  auto json = boost::json::parse(ReadFile(dir / "context.json")).as_object();
  const auto& creds = json.at("credentials").as_object();
  Context context;
  context.access_key_id = creds.at("access_key_id").as_string().c_str();
  context.secret = creds.at("secret_access_key").as_string().c_str();
  if (creds.contains("token")) context.token = creds.at("token").as_string().c_str();
  context.region = json.at("region").as_string().c_str();
  context.service = json.at("service").as_string().c_str();
  context.timestamp = json.at("timestamp").as_string().c_str();
  context.normalize = json.at("normalize").as_bool();
  if (json.contains("omit_session_token")) {
    context.omit_session_token = json.at("omit_session_token").as_bool();
  }
  return context;
}

class SuiteResolver final : public CredentialResolver {
 public:
  explicit SuiteResolver(Context context) : context_(std::move(context)) {}
  Result<ResolvedCredential> Resolve(std::string_view access_key_id,
                                     std::string_view session_token) const override {
    if (access_key_id != context_.access_key_id) return ErrorCode::kInvalidAccessKeyId;
    if (session_token != context_.token && !(session_token.empty() && context_.token.empty())) {
      return ErrorCode::kInvalidToken;
    }
    auto principal = std::make_shared<Principal>();
    principal->type = PrincipalType::kUser;
    principal->access_key_id = context_.access_key_id;
    return ResolvedCredential{Secret(context_.secret), principal};
  }

 private:
  Context context_;
};

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  if (!fs::is_directory(SuiteDir())) return names;
  for (const auto& entry : fs::directory_iterator(SuiteDir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The signed-header list and signature from a header-signed request.
std::pair<std::string, std::string> FromAuthorization(const ParsedRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") {
      auto claim = ParseAuthorizationHeader(value);
      EXPECT_TRUE(claim.has_value());
      return {claim->signed_headers, claim->signature};
    }
  }
  ADD_FAILURE() << "no Authorization header";
  return {};
}

class Sigv4Suite : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = SuiteDir() / GetParam();
    context_ = ReadContext(dir_);
  }
  std::string Expected(const char* file) { return ReadFile(dir_ / file); }

  // Builds canonical request, string to sign and signature as a signer would.
  void CheckSigning(ParsedRequest& request, const std::string& signed_headers, bool presigned,
                    const std::string& prefix) {
    RequestView view = request.View();
    std::string amz_date = FormatAmzDate(*ParseIso8601(context_.timestamp));
    auto query = ParseQuery(view.Query());
    ASSERT_TRUE(query.has_value());
    if (context_.omit_session_token) {  // the signer adds the token after signing
      std::erase_if(*query, [](const QueryParam& p) { return p.name == "X-Amz-Security-Token"; });
    }
    auto uri = CanonicalUri(view.Path(), {.normalize = context_.normalize, .double_encode = true});
    ASSERT_TRUE(uri.has_value());
    std::string payload_hash = Sha256Hex(request.body);
    if (std::string declared(view.Header("x-amz-content-sha256")); !declared.empty()) {
      payload_hash = declared;
    }
    std::vector<std::string_view> names = SplitSignedHeaders(signed_headers);
    std::string canonical_query = CanonicalQueryString(*query, presigned);
    std::string canonical_headers = CanonicalHeaders(view.headers, names);
    std::string creq = CanonicalRequest({.method = view.method,
                                         .canonical_uri = *uri,
                                         .canonical_query = canonical_query,
                                         .canonical_headers = canonical_headers,
                                         .signed_headers = signed_headers,
                                         .payload_hash = payload_hash});
    EXPECT_EQ(creq, Expected((prefix + "-canonical-request.txt").c_str()));
    std::string scope = CredentialScope(amz_date.substr(0, 8), context_.region, context_.service);
    std::string sts = StringToSign(amz_date, scope, creq);
    EXPECT_EQ(sts, Expected((prefix + "-string-to-sign.txt").c_str()));
    Secret key = DeriveSigningKey(Secret(context_.secret), amz_date.substr(0, 8),
                                  context_.region, context_.service);
    EXPECT_EQ(SignatureHex(key, sts), Expected((prefix + "-signature.txt").c_str()));
  }

  Result<AuthResult> VerifySigned(ParsedRequest& request) {
    SuiteResolver resolver(context_);
    FakeClock clock(*ParseIso8601(context_.timestamp));
    Verifier verifier(resolver, clock, "us-east-1");
    return verifier.Verify(request.View());
  }

  fs::path dir_;
  Context context_;
};

TEST(Sigv4SuiteCorpus, HoldsAllThirtyEightCases) { EXPECT_EQ(CaseNames().size(), 38u); }

TEST_P(Sigv4Suite, HeaderSigningMatchesCanonicalRequestStringToSignAndSignature) {
  ParsedRequest signed_request = ParseRequest(Expected("header-signed-request.txt"));
  auto [signed_headers, signature] = FromAuthorization(signed_request);
  std::erase_if(signed_request.headers, [](const auto& h) { return h.first == "Authorization"; });
  CheckSigning(signed_request, signed_headers, /*presigned=*/false, "header");
}

TEST_P(Sigv4Suite, QuerySigningMatchesCanonicalRequestStringToSignAndSignature) {
  ParsedRequest signed_request = ParseRequest(Expected("query-signed-request.txt"));
  auto query = ParseQuery(signed_request.View().Query());
  ASSERT_TRUE(query.has_value());
  std::string signed_headers;
  for (const auto& param : *query) {
    if (param.name == "X-Amz-SignedHeaders") signed_headers = param.value;
  }
  CheckSigning(signed_request, signed_headers, /*presigned=*/true, "query");
}

TEST_P(Sigv4Suite, VerifierAcceptsHeaderSignedRequestAndRejectsTampering) {
  if (!context_.normalize) GTEST_SKIP() << "kura always normalizes non-S3 paths";
  ParsedRequest request = ParseRequest(Expected("header-signed-request.txt"));
  auto result = VerifySigned(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->type, AuthType::kHeader);
  EXPECT_EQ(result->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(result->service, "service");
  EXPECT_EQ(result->signing.seed_signature, Expected("header-signature.txt"));

  for (auto& [name, value] : request.headers) {
    if (name == "Host") value = "example.amazonaws.org";
  }
  auto tampered = VerifySigned(request);
  ASSERT_FALSE(tampered.has_value());
  EXPECT_EQ(tampered.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST_P(Sigv4Suite, VerifierAcceptsQuerySignedRequestAndRejectsTampering) {
  if (!context_.normalize) GTEST_SKIP() << "kura always normalizes non-S3 paths";
  ParsedRequest request = ParseRequest(Expected("query-signed-request.txt"));
  auto result = VerifySigned(request);
  if (context_.omit_session_token) {
    // The token was added to the URL after signing; every query parameter is signed, so a
    // verifier must refuse it (as S3 does).
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kSignatureDoesNotMatch);
    return;
  }
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->type, AuthType::kPresigned);
  EXPECT_EQ(result->signing.seed_signature, Expected("query-signature.txt"));

  request.method = request.method == "GET" ? "HEAD" : "PUT";
  auto tampered = VerifySigned(request);
  ASSERT_FALSE(tampered.has_value());
  EXPECT_EQ(tampered.error().code, ErrorCode::kSignatureDoesNotMatch);
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, Sigv4Suite, testing::ValuesIn(CaseNames()),
                         [](const testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace kura::sigv4
