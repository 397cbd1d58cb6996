#include "kms/ciphertext_blob.h"

#include <array>

#include "common/crypto.h"

namespace kura::kms {
namespace {

constexpr char kMagic = 'K';
constexpr char kVersion = 1;

void AppendU32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

std::string HeaderBytes(const CiphertextHeader& header) {
  std::string out{kMagic, kVersion, static_cast<char>(header.key_id.size())};
  out += header.key_id;
  AppendU32(out, header.material_version);
  return out;
}

std::string AssociatedData(std::string_view header_bytes, const EncryptionContext& context) {
  std::string out(header_bytes);
  for (const auto& [key, value] : context) {  // std::map: sorted by key
    AppendU32(out, static_cast<uint32_t>(key.size()));
    out += key;
    AppendU32(out, static_cast<uint32_t>(value.size()));
    out += value;
  }
  return out;
}

// The length of the header, or 0 when `blob` is too short or not ours.
size_t HeaderLength(std::string_view blob) {
  if (blob.size() < 3 || blob[0] != kMagic || blob[1] != kVersion) return 0;
  size_t length = 3 + static_cast<uint8_t>(blob[2]) + 4;
  return blob.size() >= length + kAesGcmNonceBytes + kAesGcmTagBytes ? length : 0;
}

}  // namespace

std::string SealCiphertext(const CiphertextHeader& header, const Secret& material,
                           std::string_view plaintext, const EncryptionContext& context,
                           Random& random) {
  std::array<uint8_t, kAesGcmNonceBytes> nonce{};
  random.Fill(nonce);
  std::string_view nonce_bytes(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  std::string out = HeaderBytes(header);
  std::string associated = AssociatedData(out, context);
  out += nonce_bytes;
  out += AesGcmSeal(material.Reveal(), nonce_bytes, plaintext, associated);
  return out;
}

std::optional<CiphertextHeader> PeekCiphertext(std::string_view blob) {
  size_t length = HeaderLength(blob);
  if (length == 0) return std::nullopt;
  CiphertextHeader header;
  header.key_id = std::string(blob.substr(3, length - 7));
  for (size_t i = length - 4; i < length; ++i) {
    header.material_version = (header.material_version << 8) | static_cast<uint8_t>(blob[i]);
  }
  return header;
}

Result<Secret> OpenCiphertext(std::string_view blob, const Secret& material,
                              const EncryptionContext& context) {
  size_t length = HeaderLength(blob);
  if (length == 0) return MakeError(ErrorCode::kKmsInvalidCiphertext);
  auto opened = AesGcmOpen(material.Reveal(), blob.substr(length, kAesGcmNonceBytes),
                           blob.substr(length + kAesGcmNonceBytes),
                           AssociatedData(blob.substr(0, length), context));
  if (!opened) return MakeError(ErrorCode::kKmsInvalidCiphertext);
  return Secret(std::move(*opened));
}

}  // namespace kura::kms
