// TokenCodec::Open on arbitrary input, with the fixture key ring. Anything that opens must
// re-seal and open to the same claims record.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sts/claims_encoding.h"
#include "sts/session_token.h"
#include "tests/sts/test_claims.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static kura::FakeRandom random(1);
  static auto ring = kura::sts::testing::FixtureRing(random);
  static auto codec = std::move(kura::sts::TokenCodec::Create(*ring, random)).value();

  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto claims = codec->Open(token);
  if (!claims) {
    if (claims.error().code != kura::ErrorCode::kInvalidToken) std::abort();
    return 0;
  }
  auto resealed = codec->Seal(*claims);
  if (!resealed) std::abort();
  auto reopened = codec->Open(*resealed);
  if (!reopened || kura::sts::EncodeClaims(*reopened) != kura::sts::EncodeClaims(*claims)) {
    std::abort();
  }
  return 0;
}
