// ParseJwt on arbitrary text, then signature verification of whatever parses against a fixed
// P-256 key: never crashes, never reads out of bounds, never accepts (the fuzzer cannot forge).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "oidc/jws_signature.h"
#include "oidc/jwt.h"

namespace {

const kura::oidc::Jwks& FixedKeys() {
  static const auto* keys = new kura::oidc::Jwks(
      kura::oidc::ParseJwks(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k",)"
                            R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
                            R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})")
          .value());
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jwt = kura::oidc::ParseJwt(text);
  if (!jwt) return 0;
  (void)kura::oidc::ClaimStrings(jwt->claims, "amr");
  for (const kura::oidc::Jwk* key : FixedKeys().Candidates(jwt->kid)) {
    if (kura::oidc::VerifyJwsSignature(jwt->alg, jwt->signing_input, jwt->signature, *key)) {
      std::abort();  // a forged signature verified
    }
  }
  return 0;
}
