// Where S3's handlers meet crypt/: the writer for a new object (or part) encrypted as its
// request or bucket default asks, and a plaintext reader of a stored object (inline, file, or
// every part of a completed multipart upload) given its encryption and the request's SSE-C key.
// SSE-S3 data keys are sealed under the master key ring (env.keys), SSE-KMS ones under the KMS
// key (env.keys, after kms:GenerateDataKey / kms:Decrypt are authorized as the caller, as AWS
// requires), SSE-C ones under the customer's key (crypt/data_key.h). Each blob, and each part,
// has its own data key. Design: docs/formats/encrypted-blob.md.
// Thread-safety: pure functions over thread-safe services.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/secret.h"
#include "s3/object_encryption.h"
#include "s3/s3_call.h"

namespace kura::s3 {

// Request headers as a HeaderLookup.
HeaderLookup HeadersOf(const S3Call& call);

// The encryption a write (PutObject, CopyObject's target, CreateMultipartUpload) asks for, made
// ready to store: RequestedEncryption over the call's headers and the bucket's default, the KMS
// key resolved to its ARN with kms:GenerateDataKey authorized on it, the SSE-C key's check
// computed. kNotImplemented for SSE-S3/SSE-KMS when kura runs without a key service.
Result<WriteEncryption> PrepareWriteEncryption(S3Env& env, const S3Call& call,
                                               std::string_view bucket_default);
// The same for a browser POST upload, whose form `fields` name the encryption of object `key`;
// SSE-KMS's kms:GenerateDataKey is authorized as the uploader (`authorize_uploader`: the form's
// signer, or the anonymous caller of an unsigned form), as S3 does, and its key id or alias
// resolves in the uploader's account (`uploader_account`).
Result<WriteEncryption> PrepareFormEncryption(S3Env& env, const S3Call& call, const HeaderLookup& fields,
                                              std::string_view key, std::string_view bucket_default,
                                              const AuthorizeFn& authorize_uploader,
                                              std::string_view uploader_account);

// What a write of one more part (UploadPart, UploadPartCopy) into an upload stored with
// `stored` needs: the upload's SSE-C key presented again, or kms:GenerateDataKey authorized.
Result<WriteEncryption> PartWriteEncryption(S3Env& env, const S3Call& call,
                                            const ObjectEncryption& stored);

// The SSE-C key a read of an object stored with `stored` presents (`which` headers), checked;
// for SSE-KMS, kms:Decrypt authorized on the object's key when the read decrypts (`decrypts`:
// not a HeadObject, which reads no bytes).
Result<std::optional<CustomerKey>> ReadEncryption(const S3Call& call, KeyHeaders which,
                                                  const ObjectEncryption& stored,
                                                  bool allow_plain_http, bool decrypts = true);

// CompleteMultipartUpload of an SSE-KMS upload: AWS requires kms:Decrypt on the key as well as
// the parts' kms:GenerateDataKey. Ok for other modes.
Result<void> AuthorizeCompleteUpload(const S3Call& call, const ObjectEncryption& stored);

// A writer for a new blob encrypted as `wanted` says (plain for kNone).
struct ObjectWriter {
  std::unique_ptr<store::BlobWriter> writer;
  Secret etag_key;  // SSE-C and SSE-KMS: the key the ETag is derived under; empty otherwise

  // The ETag of the bytes written, given their plaintext MD5: the MD5 itself for none and
  // SSE-S3 (as AWS), else an HMAC of it under a key derived from the data key, so it is stable
  // for the object but is not the plaintext's MD5 (as AWS's SSE-C and SSE-KMS ETags are not).
  std::string EtagOf(std::string_view md5_hex) const;
};
Result<ObjectWriter> NewObjectWriter(S3Env& env, const WriteEncryption& wanted,
                                     store::Placement placement);

// The plaintext of `blob`, stored with `encryption` (`customer_key` for SSE-C). Every part of a
// multipart blob is opened now, so a racing overwrite cannot cut a read short.
Result<std::unique_ptr<store::BlobReader>> OpenPlaintext(
    S3Env& env, const ObjectEncryption& encryption, const std::optional<CustomerKey>& customer_key,
    const store::BlobRef& blob);

// The object's encryption as stored; kInternalError when the stored bytes are malformed.
Result<ObjectEncryption> StoredEncryption(std::string_view encoded);

}  // namespace kura::s3
