// DecodeClaims on arbitrary bytes: never reads out of bounds; whatever decodes re-encodes to a
// record that decodes to the same encoding (encodings need not be canonical: varints may be
// padded).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sts/claims_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto claims =
      kura::sts::DecodeClaims(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!claims) return 0;
  std::string encoded = kura::sts::EncodeClaims(*claims);
  auto again = kura::sts::DecodeClaims(encoded);
  if (!again || kura::sts::EncodeClaims(*again) != encoded) std::abort();
  return 0;
}
