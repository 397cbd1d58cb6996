// ParseJwks on arbitrary text: never crashes; every key it keeps has an OpenSSL key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "oidc/jwks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto jwks = kura::oidc::ParseJwks(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!jwks) return 0;
  for (const auto& key : jwks->keys) {
    if (!key.key) std::abort();
  }
  (void)jwks->Candidates("k");
  return 0;
}
