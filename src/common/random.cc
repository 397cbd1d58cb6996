#include "common/random.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace kura {

uint64_t Random::NextU64() {
  uint64_t v = 0;
  Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v));
  return v;
}

std::string Random::Chars(size_t n, std::string_view alphabet) {
  std::string out;
  out.reserve(n);
  const size_t size = alphabet.size();
  const size_t limit = 256 - (256 % size);  // reject bytes that would bias the modulo
  uint8_t buf[64];
  while (out.size() < n) {
    Fill(buf);
    for (uint8_t b : buf) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % size]);
      if (out.size() == n) break;
    }
  }
  return out;
}

void SecureRandom::Fill(std::span<uint8_t> out) {
  // RAND_bytes fails only when the OS entropy source is broken; continuing would mint
  // predictable secrets, so stop.
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

void FakeRandom::Fill(std::span<uint8_t> out) {
  for (auto& byte : out) {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    byte = static_cast<uint8_t>(z ^ (z >> 31));
  }
}

}  // namespace kura
