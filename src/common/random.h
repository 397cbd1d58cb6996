// Injected randomness. Secrets, keys and ids come from Random::Fill, which is OpenSSL's CSPRNG
// in production (SecureRandom) and a seeded sequence in tests (FakeRandom).
// Thread-safety: SecureRandom is thread-safe; FakeRandom is not.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace kura {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;

  uint64_t NextU64();
  // n characters drawn uniformly from alphabet (rejection sampling, no modulo bias).
  std::string Chars(size_t n, std::string_view alphabet);
};

class SecureRandom final : public Random {
 public:
  void Fill(std::span<uint8_t> out) override;
};

// Deterministic, for tests only: a splitmix64 sequence from the seed.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override;

 private:
  uint64_t state_;
};

}  // namespace kura
