#include "oidc/jws_signature.h"

#include <gtest/gtest.h>

#include "oidc/jwt.h"
#include "tests/oidc/test_signer.h"

namespace kura::oidc {
namespace {

using testing::TestKey;

const Jwk& OnlyKey(const Jwks& jwks) { return jwks.keys.at(0); }

Jwks KeysOf(const TestKey& key) {
  auto jwks = ParseJwks(testing::JwksOf({&key}));
  EXPECT_TRUE(jwks.has_value());
  EXPECT_EQ(jwks->keys.size(), 1u);
  return *jwks;
}

bool Verifies(const std::string& token, const Jwk& key) {
  auto jwt = ParseJwt(token);
  return jwt.has_value() && VerifyJwsSignature(jwt->alg, jwt->signing_input, jwt->signature, key);
}

const boost::json::object kClaims{{"sub", "u1"}, {"aud", "app"}};

TEST(VerifyJwsSignature, AcceptsEveryRsaAlgorithm) {
  TestKey key = TestKey::Rsa("r1");
  Jwks jwks = KeysOf(key);
  for (std::string alg : {"RS256", "RS384", "RS512", "PS256", "PS384"}) {
    EXPECT_TRUE(Verifies(key.Sign(alg, kClaims), OnlyKey(jwks))) << alg;
  }
}

TEST(VerifyJwsSignature, AcceptsEcdsaOnItsCurve) {
  TestKey p256 = TestKey::Ec("e1");
  TestKey p384 = TestKey::Ec("e2", /*p384=*/true);
  EXPECT_TRUE(Verifies(p256.Sign("ES256", kClaims), OnlyKey(KeysOf(p256))));
  EXPECT_TRUE(Verifies(p384.Sign("ES384", kClaims), OnlyKey(KeysOf(p384))));
  EXPECT_FALSE(Verifies(p384.Sign("ES256", kClaims), OnlyKey(KeysOf(p384))));
}

TEST(VerifyJwsSignature, RejectsATamperedPayload) {
  TestKey key = TestKey::Rsa("r1");
  std::string token = key.Sign("RS256", kClaims);
  std::string other = key.Sign("RS256", {{"sub", "admin"}, {"aud", "app"}});
  std::string forged = other.substr(0, other.rfind('.')) + token.substr(token.rfind('.'));
  EXPECT_FALSE(Verifies(forged, OnlyKey(KeysOf(key))));
}

TEST(VerifyJwsSignature, RejectsAnotherProvidersKey) {
  TestKey key = TestKey::Rsa("r1");
  TestKey other = TestKey::Rsa("r1");
  EXPECT_FALSE(Verifies(other.Sign("RS256", kClaims), OnlyKey(KeysOf(key))));
}

TEST(VerifyJwsSignature, RefusesNoneAndHmacAndUnknownAlgorithms) {
  TestKey key = TestKey::Rsa("r1");
  Jwks jwks = KeysOf(key);
  for (std::string alg : {"none", "HS256", "HS512", "RS1", "EdDSA"}) {
    EXPECT_FALSE(IsSupportedAlgorithm(alg)) << alg;
    EXPECT_FALSE(Verifies(testing::UnsignedToken(alg, kClaims, "r1"), OnlyKey(jwks))) << alg;
  }
}

TEST(VerifyJwsSignature, RefusesAKeyOfTheWrongTypeOrDeclaredAlgorithm) {
  TestKey rsa = TestKey::Rsa("r1");
  TestKey ec = TestKey::Ec("e1");
  EXPECT_FALSE(Verifies(ec.Sign("ES256", kClaims), OnlyKey(KeysOf(rsa))));
  Jwks jwks = KeysOf(rsa);
  jwks.keys[0].alg = "RS512";
  EXPECT_FALSE(Verifies(rsa.Sign("RS256", kClaims), OnlyKey(jwks)));
}

TEST(ParseJwks, SkipsKeysItCannotUse) {
  TestKey rsa = TestKey::Rsa("r1");
  boost::json::object enc = rsa.Jwk();
  enc["use"] = "enc";
  boost::json::object priv = rsa.Jwk();
  priv["d"] = "AAAA";
  boost::json::array keys{rsa.Jwk(),
                          enc,
                          priv,
                          boost::json::object{{"kty", "oct"}, {"k", "AA"}},
                          boost::json::object{{"kty", "EC"}, {"crv", "P-521"}},
                          7};
  auto jwks = ParseJwks(boost::json::serialize(boost::json::object{{"keys", keys}}));
  ASSERT_TRUE(jwks.has_value());
  ASSERT_EQ(jwks->keys.size(), 1u);
  EXPECT_EQ(jwks->keys[0].kid, "r1");
  EXPECT_EQ(jwks->Candidates("r1").size(), 1u);
  EXPECT_EQ(jwks->Candidates("").size(), 1u);
  EXPECT_TRUE(jwks->Candidates("r2").empty());
}

TEST(ParseJwks, RejectsDocumentsThatAreNotKeySets) {
  for (std::string doc :
       {std::string(), std::string("[]"), std::string("{}"), std::string(R"({"keys":{}})"),
        "{\"keys\":[" + std::string(70000, ' ') + "]}"}) {
    EXPECT_FALSE(ParseJwks(doc).has_value()) << doc.substr(0, 40);
  }
}

}  // namespace
}  // namespace kura::oidc
