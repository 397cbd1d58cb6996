#include "api/request_ids.h"

namespace kura::api {
namespace {

// The splitmix64 finalizer: xor-shifts and odd multiplications, each invertible.
uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string RequestIds::Next() {
  uint64_t id = Mix(next_.fetch_add(1, std::memory_order_relaxed) ^ key_);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, id >>= 4) out[static_cast<size_t>(i)] = kHex[id & 0xf];
  return out;
}

}  // namespace kura::api
