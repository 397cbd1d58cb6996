#include "common/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>

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

namespace {

void FillFromOpenSsl(std::span<uint8_t> out) {
  // RAND_bytes fails only when the OS entropy source is broken; continuing would mint
  // predictable secrets, so stop.
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

// Each thread's unread CSPRNG output. A RAND_bytes call costs ~6 500 instructions and a getpid(2)
// (OpenSSL's fork check) whatever its length, and every request draws a few small values (request
// and event ids); drawing 4 KiB at a time makes those cost a copy. Bytes handed out are wiped
// from the buffer. A forked child must not repeat its parent's bytes: the fork handler
// invalidates every thread's buffer (the child has only the forking thread).
constexpr size_t kBufferBytes = 4096;
constexpr size_t kBufferedUpTo = 64;  // larger draws (keys) go to OpenSSL directly
std::atomic<uint64_t> fork_generation{0};

struct Buffered {
  std::array<uint8_t, kBufferBytes> bytes{};
  size_t next = kBufferBytes;  // bytes[next..] are unread
  uint64_t generation = 0;

  ~Buffered() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

void ForgetAfterFork() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

void SecureRandom::Fill(std::span<uint8_t> out) {
  if (out.size() > kBufferedUpTo) return FillFromOpenSsl(out);
  static const bool registered = pthread_atfork(nullptr, nullptr, ForgetAfterFork) == 0;
  if (!registered) return FillFromOpenSsl(out);
  thread_local Buffered buffer;
  uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (buffer.generation != generation || kBufferBytes - buffer.next < out.size()) {
    FillFromOpenSsl(buffer.bytes);
    buffer.next = 0;
    buffer.generation = generation;
  }
  uint8_t* from = buffer.bytes.data() + buffer.next;
  std::memcpy(out.data(), from, out.size());
  OPENSSL_cleanse(from, out.size());
  buffer.next += out.size();
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
