#include "crypt/data_key.h"

#include <array>
#include <cstdint>

#include "common/crypto.h"
#include "crypt/encrypted_blob.h"

namespace kura::crypt {
namespace {

constexpr char kCustomerSealVersion = 'C';
// Binds the purpose: a customer-key ciphertext made for anything else does not open here.
constexpr std::string_view kCustomerSealAad = "kura sse-c data key v1";

std::string RandomBytes(Random& random, size_t n) {
  std::string out(n, '\0');
  random.Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()), out.size()));
  return out;
}

}  // namespace

Secret NewDataKey(Random& random) { return Secret(RandomBytes(random, kDataKeyBytes)); }

std::string SealUnderCustomerKey(const Secret& data_key, const Secret& customer_key,
                                 Random& random) {
  std::string nonce = RandomBytes(random, kAesGcmNonceBytes);
  std::string out(1, kCustomerSealVersion);
  out += nonce;
  out += AesGcmSeal(customer_key.Reveal(), nonce, data_key.Reveal(), kCustomerSealAad);
  return out;
}

Result<Secret> OpenUnderCustomerKey(std::string_view sealed, const Secret& customer_key) {
  if (sealed.size() != 1 + kAesGcmNonceBytes + kDataKeyBytes + kAesGcmTagBytes ||
      sealed[0] != kCustomerSealVersion) {
    return MakeError(ErrorCode::kInternalError, "encrypted blob: malformed sealed data key");
  }
  auto opened = AesGcmOpen(customer_key.Reveal(), sealed.substr(1, kAesGcmNonceBytes),
                           sealed.substr(1 + kAesGcmNonceBytes), kCustomerSealAad);
  if (!opened) {
    return MakeError(
        ErrorCode::kAccessDenied,
        "The SSE-C key provided does not match the key the object was encrypted with.");
  }
  return Secret(std::move(*opened));
}

}  // namespace kura::crypt
