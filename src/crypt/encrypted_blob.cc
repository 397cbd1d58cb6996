#include "crypt/encrypted_blob.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <bit>
#include <cstring>

namespace kura::crypt {
namespace {

constexpr std::string_view kMagic("kEB\0", 4);
constexpr uint8_t kFormatVersion = 1;
constexpr size_t kNonceBytes = 12;

void PutU64(uint64_t value, unsigned char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(value);
    value >>= 8;
  }
}

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kInternalError, "encrypted blob: " + std::string(what));
}

}  // namespace

Result<std::string> EncodeHeader(const BlobHeader& header) {
  if (header.sealed_key.empty() || header.sealed_key.size() > kMaxSealedKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "sealed data key of unsupported length");
  }
  int log2 = std::countr_zero(header.segment_bytes);
  if (!std::has_single_bit(header.segment_bytes) || log2 < kMinSegmentLog2 ||
      log2 > kMaxSegmentLog2) {
    return MakeError(ErrorCode::kInvalidArgument, "unsupported segment size");
  }
  std::string out(kMagic);
  out += static_cast<char>(kFormatVersion);
  out += static_cast<char>(log2);
  out += '\0';
  out += '\0';
  out += static_cast<char>(header.sealed_key.size() >> 8);
  out += static_cast<char>(header.sealed_key.size() & 0xff);
  out += header.sealed_key;
  return out;
}

Result<ParsedHeader> ParseHeader(std::string_view bytes) {
  if (bytes.size() < kFixedHeaderBytes) return Corrupt("header cut short");
  auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  if (bytes.substr(0, kMagic.size()) != kMagic) return Corrupt("not an encrypted blob");
  if (byte(4) != kFormatVersion) return Corrupt("unknown format version");
  int log2 = byte(5);
  if (log2 < kMinSegmentLog2 || log2 > kMaxSegmentLog2) return Corrupt("bad segment size");
  if (byte(6) != 0 || byte(7) != 0) return Corrupt("reserved bytes set");
  size_t key_length = (size_t{byte(8)} << 8) | byte(9);
  if (key_length == 0 || key_length > kMaxSealedKeyBytes) return Corrupt("bad sealed key length");
  if (bytes.size() < kFixedHeaderBytes + key_length) return Corrupt("header cut short");
  ParsedHeader parsed;
  parsed.header.segment_bytes = uint32_t{1} << log2;
  parsed.header.sealed_key = std::string(bytes.substr(kFixedHeaderBytes, key_length));
  parsed.length = kFixedHeaderBytes + key_length;
  return parsed;
}

uint64_t SegmentCount(uint64_t plaintext_size, uint32_t segment_bytes) {
  if (plaintext_size == 0) return 1;
  return (plaintext_size + segment_bytes - 1) / segment_bytes;
}

uint64_t EncryptedSize(uint64_t plaintext_size, size_t header_length, uint32_t segment_bytes) {
  return header_length + plaintext_size + SegmentCount(plaintext_size, segment_bytes) * kTagBytes;
}

SegmentCipher::SegmentCipher(const Secret& data_key, std::string_view header)
    : key_(data_key.Reveal()), ctx_(EVP_CIPHER_CTX_new()) {
  SHA256(reinterpret_cast<const unsigned char*>(header.data()), header.size(), header_hash_.data());
}

SegmentCipher::~SegmentCipher() {
  EVP_CIPHER_CTX_free(ctx_);
  OPENSSL_cleanse(key_.data(), key_.size());
}

Result<void> SegmentCipher::Start(uint64_t index, bool final, bool encrypt) {
  if (ctx_ == nullptr || key_.size() != kDataKeyBytes) return Corrupt("bad data key");
  unsigned char nonce[kNonceBytes] = {};
  PutU64(index, nonce + 4);
  unsigned char aad[32 + 8 + 1];
  std::memcpy(aad, header_hash_.data(), 32);
  PutU64(index, aad + 32);
  aad[40] = final ? 1 : 0;
  const auto* key = reinterpret_cast<const unsigned char*>(key_.data());
  // The cipher and key are set once; later segments only change the nonce (no key schedule).
  bool first = EVP_CIPHER_CTX_get0_cipher(ctx_) == nullptr;
  int ok = EVP_CipherInit_ex(ctx_, first ? EVP_aes_256_gcm() : nullptr, nullptr,
                             first ? key : nullptr, nonce, encrypt ? 1 : 0);
  int ignored = 0;
  if (ok != 1 || EVP_CipherUpdate(ctx_, nullptr, &ignored, aad, sizeof aad) != 1) {
    return Corrupt("cipher setup failed");
  }
  return Ok();
}

Result<void> SegmentCipher::Begin(uint64_t index, bool final) { return Start(index, final, true); }

Result<void> SegmentCipher::Update(std::string_view plaintext, char* ciphertext_out) {
  if (plaintext.empty()) return Ok();
  int written = 0;
  if (EVP_EncryptUpdate(ctx_, reinterpret_cast<unsigned char*>(ciphertext_out), &written,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      static_cast<size_t>(written) != plaintext.size()) {
    return Corrupt("encrypt failed");
  }
  return Ok();
}

Result<std::array<char, kTagBytes>> SegmentCipher::Finish() {
  int written = 0;
  unsigned char ignored[16];
  std::array<char, kTagBytes> tag{};
  if (EVP_EncryptFinal_ex(ctx_, ignored, &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1) {
    return Corrupt("encrypt failed");
  }
  return tag;
}

Result<void> SegmentCipher::Open(uint64_t index, bool final, std::string_view sealed, char* out) {
  if (sealed.size() < kTagBytes) return Corrupt("segment cut short");
  KURA_TRY(Start(index, final, false));
  size_t length = sealed.size() - kTagBytes;
  int written = 0;
  if (length > 0 && EVP_DecryptUpdate(ctx_, reinterpret_cast<unsigned char*>(out), &written,
                                      reinterpret_cast<const unsigned char*>(sealed.data()),
                                      static_cast<int>(length)) != 1) {
    return Corrupt("decrypt failed");
  }
  std::array<char, kTagBytes> tag{};
  std::memcpy(tag.data(), sealed.data() + length, kTagBytes);
  unsigned char ignored[16];
  if (EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx_, ignored, &written) != 1) {
    return Corrupt("segment failed authentication");
  }
  return Ok();
}

}  // namespace kura::crypt
