// Encrypting and decrypting blobs in the format of crypt/encrypted_blob.h, over any BlobStore:
// a BlobWriter that encrypts into another writer, and a BlobReader that decrypts another
// reader's bytes. Neither knows where data keys come from: the writer is given the key and its
// sealed form, the reader a function that opens the sealed form (a KeyProvider, or an SSE-C
// customer key: crypt/data_key.h).
//
// Sizes are plaintext sizes: the writer's size() and the BlobRef its Seal() returns, and the
// reader's size(). An inline blob holds the ciphertext in BlobRef::inline_data.
// Thread-safety: a writer or reader is used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/secret.h"
#include "store/blob_store.h"

namespace kura::crypt {

// Plaintext staged before it is encrypted into the inner writer: 16 segments, so a large body
// is encrypted in runs of 1 MiB straight into the inner writer's staging buffer.
inline constexpr size_t kWriterStagingBytes = 16 * 64 * 1024;

// A writer that encrypts under `data_key` (kDataKeyBytes) and stores `sealed_key` in the header,
// into `inner` (which must be empty). kInvalidArgument when the key or sealed key is malformed.
Result<std::unique_ptr<store::BlobWriter>> NewEncryptingWriter(
    std::unique_ptr<store::BlobWriter> inner, const Secret& data_key, std::string_view sealed_key);

// Opens the data key sealed in a blob's header; its errors pass through (e.g. a disabled KMS key).
using KeyOpener = std::function<Result<Secret>(std::string_view sealed_key)>;

// A reader of the plaintext of the encrypted blob `inner` holds, whose plaintext is
// `plaintext_size` bytes (the metadata's size). Reads the header and opens the data key now.
// ReadAt decrypts only the segments a read touches (the last one is cached); a tag that does
// not verify, a bad header, a short blob → kInternalError, never unverified bytes.
// `inner` may be longer than the blob (its size an upper bound, see EncryptedSizeBound).
Result<std::unique_ptr<store::BlobReader>> NewDecryptingReader(
    std::unique_ptr<store::BlobReader> inner, uint64_t plaintext_size, const KeyOpener& open_key);

// The most bytes the encrypted form of `plaintext_size` bytes can take (the largest header):
// the size to open a stored blob with when its header is not yet read.
uint64_t EncryptedSizeBound(uint64_t plaintext_size);

// Bytes an encrypted blob may add to its plaintext when it is small (the largest header and
// one tag): a blob of up to kInlineThreshold minus this stays inline.
inline constexpr uint64_t kSmallBlobOverhead = 10 + 4096 + 16;

}  // namespace kura::crypt
