// DecodeClaims on arbitrary bytes, as a version-2 record and as a version-1 record (tokens of
// both versions open): never reads out of bounds; whatever decodes re-encodes (always as version
// 2) to a record that decodes to the same encoding (encodings need not be canonical: varints may
// be padded).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sts/claims_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (uint8_t version : {uint8_t{2}, uint8_t{1}}) {
    auto claims = kura::sts::DecodeClaims(bytes, version);
    if (!claims) continue;
    if (version == 1 && !claims->web_identity_context.empty()) std::abort();
    std::string encoded = kura::sts::EncodeClaims(*claims);
    auto again = kura::sts::DecodeClaims(encoded);
    if (!again || kura::sts::EncodeClaims(*again) != encoded) std::abort();
  }
  return 0;
}
