// Blob work shared by the object handlers: deleting unreferenced blobs off the I/O threads,
// copying (a range of) an object's bytes into a new blob with its MD5 and an optional checksum
// computed on the way (CopyObject, UploadPartCopy), and reading S3's conditional-write headers.
// Thread-safety: pure functions over thread-safe services.
#pragma once

#include <optional>
#include <string>

#include "s3/object_encryption.h"
#include "s3/s3_call.h"
#include "sigv4/checksums.h"

namespace kura::s3 {

// Deletes `blob` on the blocking pool (no-op for inline blobs). Call only after the metadata
// that stopped referencing it is durable.
void DeleteBlobLater(S3Env& env, store::BlobRef blob);

struct CopiedBlob {
  store::BlobRef blob;
  std::string md5_hex;       // of the plaintext
  std::string etag;          // md5_hex, or derived from it (ObjectWriter::EtagOf)
  std::string checksum_raw;  // of `algorithm`, when one was asked for
};

// A stored blob and what reading its plaintext takes (object_crypto.h).
struct BlobSource {
  const store::BlobRef& blob;
  const ObjectEncryption& encryption;
  const std::optional<CustomerKey>& customer_key;
};

// Copies `length` plaintext bytes from `offset` of `source` into a new sealed blob encrypted as
// `target` says, on the blocking pool. kNoSuchKey when the source blob vanished (overwritten
// meanwhile): re-read the metadata.
net::awaitable<Result<CopiedBlob>> CopyBlob(S3Env& env, const BlobSource& source, uint64_t offset,
                                           uint64_t length, store::Placement placement,
                                           const WriteEncryption& target,
                                           std::optional<sigv4::ChecksumAlgorithm> algorithm);

// The raw checksum of a whole blob's plaintext, computed on the blocking pool.
net::awaitable<Result<std::string>> ChecksumOfBlob(S3Env& env, const BlobSource& source,
                                                   sigv4::ChecksumAlgorithm algorithm);

// If-None-Match: * and If-Match: "etag" of PutObject / CompleteMultipartUpload / CopyObject.
// Any other If-None-Match value is NotImplemented, as in S3.
Result<store::WritePrecondition> WritePreconditionOf(const S3Call& call);

// "\"abc\"" → "abc"; a "W/" prefix is dropped.
std::string UnquoteEtag(std::string_view etag);

}  // namespace kura::s3
