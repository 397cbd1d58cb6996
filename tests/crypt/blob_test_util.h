// In-memory inner blobs for the crypt tests: a writer into a string the test can then tamper
// with, and a reader over a string.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "common/random.h"
#include "crypt/blob_crypto.h"
#include "crypt/data_key.h"
#include "store/blob_readers.h"

namespace kura::crypt::testing {

class StringWriter final : public store::BlobWriter {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  Result<void> Append(std::string_view bytes) override {
    out_.append(bytes);
    return Ok();
  }
  Result<store::BlobRef> Seal() override {
    store::BlobRef ref;
    ref.size = out_.size();
    return ref;
  }
  uint64_t size() const override { return out_.size(); }

 private:
  std::string& out_;
};

using StringReader = store::BytesReader;

inline std::string PatternBytes(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return out;
}

inline const Secret& TestKey() {
  static const Secret key(std::string(32, 'k'));
  return key;
}
inline constexpr std::string_view kTestSealedKey = "sealed-data-key";

// Encrypts `plaintext` (appended in pieces of `piece` bytes) and returns the stored bytes.
inline std::string Encrypt(std::string_view plaintext, size_t piece = 10000) {
  std::string stored;
  auto writer =
      NewEncryptingWriter(std::make_unique<StringWriter>(stored), TestKey(), kTestSealedKey);
  if (!writer) return "";
  for (size_t at = 0; at < plaintext.size(); at += piece) {
    if (!(*writer)->Append(plaintext.substr(at, piece))) return "";
  }
  auto ref = (*writer)->Seal();
  if (!ref || ref->size != plaintext.size()) return "";
  return stored;
}

inline Result<std::unique_ptr<store::BlobReader>> Decryptor(std::string stored, uint64_t size) {
  return NewDecryptingReader(std::make_unique<StringReader>(std::move(stored)), size,
                             [](std::string_view sealed) -> Result<Secret> {
                               if (sealed != kTestSealedKey)
                                 return MakeError(ErrorCode::kInternalError);
                               return TestKey();
                             });
}

// All of a reader's bytes read in `chunk`-byte reads, or its first error.
inline Result<std::string> ReadAll(store::BlobReader& reader, size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  for (;;) {
    auto got = reader.ReadAt(out.size(), std::span<char>(buffer.data(), buffer.size()));
    if (!got) return got.error();
    if (*got == 0) return out;
    out.append(buffer.data(), *got);
  }
}

}  // namespace kura::crypt::testing
