// Requests signed by botocore (recorded by make_botocore_fixtures.py into fixtures/) must
// verify, their bodies must decode and check, and a changed request must not verify.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/text.h"
#include "common/time_format.h"
#include "sigv4/payload_verifier.h"
#include "test_signer.h"

namespace kura::sigv4 {
namespace {

using testing_support::FakeResolver;
using testing_support::OwnedRequest;
namespace fs = std::filesystem;

struct Fixture {
  std::string name, now, access_key_id, secret, token;
  OwnedRequest request;
  std::string expect_type, expect_body;
  bool has_expected_body = false;
};

Fixture Load(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = boost::json::parse(text.str()).as_object();
  Fixture f;
  auto str = [&](const char* key) { return std::string(json.at(key).as_string().c_str()); };
  f.name = str("name");
  f.now = str("now");
  f.access_key_id = str("access_key_id");
  f.secret = str("secret");
  f.token = str("session_token");
  f.request.method = str("method");
  f.request.target = str("target");
  for (const auto& header : json.at("headers").as_array()) {
    const auto& pair = header.as_array();
    f.request.headers.emplace_back(pair[0].as_string().c_str(), pair[1].as_string().c_str());
  }
  f.request.body = *Base64Decode(str("body_b64"));
  const auto& expect = json.at("expect").as_object();
  if (expect.contains("type")) f.expect_type = expect.at("type").as_string().c_str();
  if (expect.contains("body")) {
    f.expect_body = expect.at("body").as_string().c_str();
    f.has_expected_body = true;
  }
  return f;
}

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(KURA_SIGV4_FIXTURES)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class BotocoreFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(BotocoreFixture, VerifiesDecodesAndRejectsChanges) {
  Fixture f = Load(fs::path(KURA_SIGV4_FIXTURES) / (GetParam() + ".json"));
  FakeResolver resolver;
  resolver.Add(f.access_key_id, f.secret, f.token);
  FakeClock clock(*ParseAmzDate(f.now));
  Verifier verifier(resolver, clock, "us-east-1");
  // IAM/STS form bodies are read before authentication; S3 bodies stream afterwards.
  f.request.with_body = !f.request.target.starts_with("/bucket");
  auto auth = verifier.Verify(f.request.View());
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->type, f.expect_type == "presigned" ? AuthType::kPresigned : AuthType::kHeader);
  EXPECT_EQ(auth->session_token, f.token);

  auto payload = PayloadVerifier::Make(*auth, f.request.View());
  ASSERT_TRUE(payload.has_value()) << payload.error().message;
  std::string decoded;
  std::string_view body = f.request.body;
  for (size_t pos = 0; pos < body.size(); pos += 4093) {
    std::vector<std::string_view> out;
    auto fed = payload->Feed(body.substr(pos, 4093), out);
    ASSERT_TRUE(fed.has_value()) << fed.error().message;
    for (auto piece : out) decoded.append(piece);
  }
  auto summary = payload->Finish();
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  if (f.has_expected_body) {
    EXPECT_EQ(decoded, f.expect_body);
  }
  EXPECT_EQ(summary->md5, Md5(decoded));

  for (auto& [name, value] : f.request.headers) {
    if (EqualsIgnoreAsciiCase(name, "host")) value += "0";
  }
  auto tampered = verifier.Verify(f.request.View());
  ASSERT_FALSE(tampered.has_value());
  EXPECT_EQ(tampered.error().code, ErrorCode::kSignatureDoesNotMatch);
}

INSTANTIATE_TEST_SUITE_P(Recorded, BotocoreFixture, ::testing::ValuesIn(FixtureNames()));

TEST(BotocoreFixtures, AreAllPresent) { EXPECT_GE(FixtureNames().size(), 11u); }

}  // namespace
}  // namespace kura::sigv4
