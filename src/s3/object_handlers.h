// Single-object operations: PutObject (streamed through the payload verifier into a blob,
// acknowledged only once durable), GetObject/HeadObject (conditional requests, one byte range,
// response-* overrides, sendfile for file blobs) and DeleteObject (object_delete.cc; idempotent:
// 204 either way).
// Spec: PutObject, GetObject, HeadObject, DeleteObject in the S3 API Reference.
#pragma once

#include "s3/object_encryption.h"
#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> PutObject(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetObject(S3Env& env, S3Call& call);   // also HeadObject
net::awaitable<Result<void>> DeleteObject(S3Env& env, S3Call& call);
net::awaitable<Result<void>> CopyObject(S3Env& env, S3Call& call);  // object_copy.cc

// How many payload bytes the client says it sends: x-amz-decoded-content-length for aws-chunked,
// else Content-Length. S3 requires one (MissingContentLength) and caps single PUTs and parts at
// 5 GiB (EntityTooLarge).
Result<void> CheckDeclaredLength(const S3Call& call);

// Streams the request body through the verifier into a new sealed blob, encrypted as
// `encryption` says. Shared by PutObject and UploadPart. On error nothing is left behind.
struct ReceivedBody {
  store::BlobRef blob;
  std::string md5_hex;  // of the plaintext
  std::string etag;     // md5_hex, or for SSE-C and SSE-KMS derived from it (ObjectWriter::EtagOf)
  std::string checksum_algorithm;  // "" when none was named
  std::string checksum_value;
};
net::awaitable<Result<ReceivedBody>> ReceiveBody(S3Env& env, S3Call& call, store::Placement placement,
                                                 const WriteEncryption& encryption);

}  // namespace kura::s3
