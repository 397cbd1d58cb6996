// Cost of sealing and opening session tokens (Open runs on every request signed with
// temporary credentials) and the token's size, reported as the token_chars counter.
#include <benchmark/benchmark.h>

#include "sts/session_token.h"
#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

SessionClaims ClaimsFor(int64_t shape) {
  if (shape == 0) return testing::TypicalAssumedRoleClaims();
  SessionClaims claims = testing::FullClaims();
  if (shape == 2) claims.session_policy = std::string(limits::kMaxSessionPolicyChars, 'x');
  return claims;
}

// Arg: 0 = typical AssumeRole session, 1 = every field set, 2 = plus a 2048-char policy.
void BM_Seal(benchmark::State& state) {
  SecureRandom random;
  auto ring = testing::TestRing(random);
  auto codec = std::move(TokenCodec::Create(*ring, random)).value();
  SessionClaims claims = ClaimsFor(state.range(0));
  size_t chars = 0;
  for (auto _ : state) {
    auto token = codec->Seal(claims);
    chars = token->size();
    benchmark::DoNotOptimize(token);
  }
  state.counters["token_chars"] = static_cast<double>(chars);
}
BENCHMARK(BM_Seal)->Arg(0)->Arg(1)->Arg(2);

void BM_Open(benchmark::State& state) {
  SecureRandom random;
  auto ring = testing::TestRing(random);
  auto codec = std::move(TokenCodec::Create(*ring, random)).value();
  std::string token = *codec->Seal(ClaimsFor(state.range(0)));
  for (auto _ : state) {
    auto claims = codec->Open(token);
    benchmark::DoNotOptimize(claims);
  }
  state.counters["token_chars"] = static_cast<double>(token.size());
}
BENCHMARK(BM_Open)->Arg(0)->Arg(1)->Arg(2);

void BM_OpenTampered(benchmark::State& state) {
  SecureRandom random;
  auto ring = testing::TestRing(random);
  auto codec = std::move(TokenCodec::Create(*ring, random)).value();
  std::string token = *codec->Seal(testing::TypicalAssumedRoleClaims());
  token[100] = token[100] == 'A' ? 'B' : 'A';
  for (auto _ : state) {
    auto claims = codec->Open(token);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_OpenTampered);

}  // namespace
}  // namespace kura::sts
