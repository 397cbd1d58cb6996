#include "kms/master_seal.h"

#include <array>
#include <cstdint>

#include "common/crypto.h"

namespace kura::kms {
namespace {

constexpr char kMagic = 'k';
constexpr char kVersion = 1;
constexpr size_t kHeaderBytes = 6;  // magic, version, key id

std::string Header(uint32_t key_id) {
  std::string header{kMagic, kVersion};
  for (int shift = 24; shift >= 0; shift -= 8) header += static_cast<char>((key_id >> shift) & 0xff);
  return header;
}

uint32_t KeyIdOf(std::string_view sealed) {
  uint32_t id = 0;
  for (size_t i = 2; i < kHeaderBytes; ++i) id = (id << 8) | static_cast<uint8_t>(sealed[i]);
  return id;
}

Error Unsealable(std::string_view why) {
  return MakeError(ErrorCode::kInternalError, "cannot open a master-sealed key: " + std::string(why));
}

}  // namespace

std::string SealUnderMaster(const KeySet& keys, Random& random, std::string_view secret,
                            std::string_view purpose) {
  const RingKey& key = keys.Active();
  std::array<uint8_t, kAesGcmNonceBytes> nonce{};
  random.Fill(nonce);
  std::string_view nonce_bytes(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  std::string out = Header(key.id);
  std::string associated = out + std::string(purpose);
  out += nonce_bytes;
  out += AesGcmSeal(key.material.Reveal(), nonce_bytes, secret, associated);
  return out;
}

Result<Secret> OpenUnderMaster(const KeySet& keys, std::string_view sealed,
                               std::string_view purpose) {
  if (sealed.size() < kHeaderBytes + kAesGcmNonceBytes + kAesGcmTagBytes || sealed[0] != kMagic ||
      sealed[1] != kVersion) {
    return Unsealable("malformed");
  }
  const RingKey* key = keys.Find(KeyIdOf(sealed));
  if (key == nullptr) {
    return Unsealable("master key " + std::to_string(KeyIdOf(sealed)) + " is not in the ring");
  }
  std::string associated = std::string(sealed.substr(0, kHeaderBytes)) + std::string(purpose);
  auto opened = AesGcmOpen(key->material.Reveal(), sealed.substr(kHeaderBytes, kAesGcmNonceBytes),
                           sealed.substr(kHeaderBytes + kAesGcmNonceBytes), associated);
  if (!opened) return Unsealable("authentication failed");
  return Secret(std::move(*opened));
}

}  // namespace kura::kms
