// The encrypted-blob header parser and the decrypting reader over arbitrary stored bytes
// (crypt/encrypted_blob.h). Whatever the bytes: a header that parses re-encodes to exactly the
// bytes it took, and a decrypting reader over them (under a fixed test key) returns errors,
// never plaintext, unless every tag verifies — which random bytes cannot make happen.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "crypt/blob_crypto.h"
#include "crypt/encrypted_blob.h"

namespace {

class BytesReader final : public kura::store::BlobReader {
 public:
  explicit BytesReader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  int fd() const override { return -1; }
  kura::Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= bytes_.size()) return size_t{0};
    size_t n = std::min<uint64_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string_view bytes_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = kura::crypt::ParseHeader(bytes);
  if (!parsed) return 0;
  if (parsed->length > bytes.size() || parsed->length > kura::crypt::kMaxHeaderBytes) std::abort();
  auto encoded = kura::crypt::EncodeHeader(parsed->header);
  if (!encoded || *encoded != bytes.substr(0, parsed->length)) std::abort();
  // A plaintext size drawn from the input: the reader must stay inside the stored bytes.
  uint64_t plaintext_size =
      bytes.size() > parsed->length ? static_cast<uint8_t>(bytes.back()) * 257u : 0;
  kura::Secret key(std::string(32, 'k'));
  auto reader = kura::crypt::NewDecryptingReader(
      std::make_unique<BytesReader>(bytes), plaintext_size,
      [&key](std::string_view) -> kura::Result<kura::Secret> { return key; });
  if (!reader) return 0;
  std::string out(70000, '\0');
  for (uint64_t offset : {uint64_t{0}, plaintext_size / 2}) {
    auto got = (*reader)->ReadAt(offset, std::span<char>(out.data(), out.size()));
    if (got && *got > 0) std::abort();  // random bytes never authenticate
  }
  return 0;
}
