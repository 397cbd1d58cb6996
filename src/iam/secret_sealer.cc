#include "iam/secret_sealer.h"

#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::iam {
namespace {

constexpr size_t kKeyIdHexDigits = 8;

Error Unsealable(std::string_view access_key_id, std::string_view why) {
  return MakeError(ErrorCode::kInternalError, "cannot unseal the secret of access key " +
                                                  std::string(access_key_id) + ": " +
                                                  std::string(why));
}

}  // namespace

Result<SecretSealer> SecretSealer::Create(Secret key, Random& random) {
  if (key.Reveal().size() != kAesGcmKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "a secrets key is 32 bytes");
  }
  return SecretSealer(std::move(key), random);
}

SecretSealer::SecretSealer(Secret key, Random& random)
    : key_(std::move(key)),
      key_id_(Sha256Hex(key_.Reveal()).substr(0, kKeyIdHexDigits)),
      random_(&random) {}

bool SecretSealer::IsSealed(std::string_view stored) { return stored.starts_with(kVersionPrefix); }

std::string SecretSealer::Seal(std::string_view access_key_id, const Secret& secret) const {
  std::string nonce(kAesGcmNonceBytes, '\0');
  random_->Fill({reinterpret_cast<uint8_t*>(nonce.data()), nonce.size()});
  std::string body = nonce + AesGcmSeal(key_.Reveal(), nonce, secret.Reveal(), access_key_id);
  return std::string(kVersionPrefix) + key_id_ + ":" + Base64Encode(body);
}

Result<Secret> SecretSealer::Open(std::string_view access_key_id, std::string_view sealed) const {
  if (!IsSealed(sealed)) return Unsealable(access_key_id, "not in sealed form");
  std::string_view rest = sealed.substr(kVersionPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return Unsealable(access_key_id, "malformed");
  if (rest.substr(0, colon) != key_id_) {
    return Unsealable(access_key_id, "sealed with secrets key " + std::string(rest.substr(0, colon)) +
                                         ", but secrets.key is key " + key_id_);
  }
  auto body = Base64Decode(rest.substr(colon + 1));
  if (!body || body->size() < kAesGcmNonceBytes + kAesGcmTagBytes) {
    return Unsealable(access_key_id, "malformed");
  }
  std::string_view view(*body);
  auto plain = AesGcmOpen(key_.Reveal(), view.substr(0, kAesGcmNonceBytes),
                          view.substr(kAesGcmNonceBytes), access_key_id);
  if (!plain) return Unsealable(access_key_id, "altered, or sealed for another access key");
  return Secret(std::move(*plain));
}

}  // namespace kura::iam
