// S3 server-side encryption as a request asks for it and as an object keeps it
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html):
// SSE-S3 (x-amz-server-side-encryption: AES256), SSE-KMS (aws:kms with a KMS key, an encryption
// context and an optional S3 Bucket Key) and SSE-C (a customer-provided AES-256 key sent with
// every request, never stored: kura keeps only a salted HMAC that checks a later key).
//
// ObjectEncryption is what ObjectRecord::encryption holds (encoded), and — with mode kS3/kKms
// and the key id as configured — what BucketRecord::encryption holds for the bucket's default
// encryption. The data keys are not here: each blob carries its own, sealed, in its header.
// Thread-safety: plain values and pure functions (CustomerKeyCheckOf draws from a thread-safe
// Random).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/http_head.h"
#include "common/random.h"
#include "common/secret.h"
#include "kms/key_provider.h"

namespace kura::s3 {

enum class SseMode { kNone = 0, kS3 = 1, kKms = 2, kCustomer = 3 };

struct ObjectEncryption {
  SseMode mode = SseMode::kNone;
  // kKms: the key's ARN on objects; on a write request and in a bucket's default, the key id as
  // given (id, ARN or alias; "" = the AWS managed key aws/s3) until KeyProvider resolves it.
  std::string kms_key_id{};
  // kKms: the encryption context bound to the data key (the client's, else S3's default
  // {"aws:s3:arn": "arn:aws:s3:::BUCKET/KEY"}).
  kms::EncryptionContext kms_context{};
  bool bucket_key_enabled = false;  // x-amz-server-side-encryption-bucket-key-enabled
  std::string customer_key_md5{};   // kCustomer: base64 MD5 of the key, echoed in responses
  // kCustomer: base64(salt || HMAC-SHA256(key, salt)), so a later key can be checked without
  // the key being stored.
  std::string customer_key_check{};

  friend bool operator==(const ObjectEncryption&, const ObjectEncryption&) = default;
};

// "" for kNone; else a versioned line format (docs/formats/data-dir.md, schema 7).
std::string EncodeObjectEncryption(const ObjectEncryption& encryption);
// nullopt when `bytes` is malformed; "" is kNone.
std::optional<ObjectEncryption> DecodeObjectEncryption(std::string_view bytes);

// The value of the named header (lower-case name), "" when absent: a request's headers, or a
// browser POST upload's form fields.
using HeaderLookup = std::function<std::string_view(std::string_view lower_name)>;

// An SSE-C key as a request presents it: the 32 key bytes, checked against the MD5 sent with it.
struct CustomerKey {
  Secret key;
  std::string key_md5;  // base64, as sent
};

// What a write asks for: the encryption to store (kms_key_id still as given) and, for SSE-C,
// the customer's key.
struct WriteEncryption {
  ObjectEncryption stored;
  std::optional<CustomerKey> customer_key;
};

// The encryption a write (PutObject, CreateMultipartUpload, CopyObject's destination, a POST
// upload's fields) asks for: its own x-amz-server-side-encryption* headers, else the bucket's
// default (`bucket_default`, BucketRecord::encryption), else none. `secure_transport`: the
// request came over TLS (SSE-C needs it unless `allow_plain_http`). For kKms the context
// defaults to S3's {"aws:s3:arn": "arn:aws:s3:::BUCKET/KEY"}. Errors as S3 answers them:
// kInvalidArgument for unknown or conflicting methods, a KMS key id or context without aws:kms,
// a malformed context, an SSE-C key that is not 32 bytes or does not match its MD5, or missing
// half of SSE-C's headers; kInvalidEncryptionAlgorithmError for an SSE-C algorithm other than
// AES256; kInvalidRequest for SSE-C over plain HTTP; kNotImplemented for aws:kms:dsse.
Result<WriteEncryption> RequestedEncryption(const HeaderLookup& header, bool secure_transport,
                                            bool allow_plain_http, std::string_view bucket_default,
                                            std::string_view bucket, std::string_view key);

// Which SSE-C headers a read names the key with: the object's own (GET, HEAD, UploadPart,
// GetObjectAttributes) or the copy source's (CopyObject, UploadPartCopy).
enum class KeyHeaders { kObject, kCopySource };

// The SSE-C key a request must present for an object (or multipart upload) stored with
// `stored`: nullopt when the object is not SSE-C and the request names no key. Errors as S3:
// kInvalidRequest when an SSE-C object is read without a key ("The object was stored using a
// form of Server Side Encryption…") or a key is sent for an object that is not SSE-C;
// kAccessDenied when the key is not the one the object was written with; the malformed-header
// errors of RequestedEncryption; kInvalidRequest over plain HTTP.
Result<std::optional<CustomerKey>> CustomerKeyForRead(const HeaderLookup& header, KeyHeaders which,
                                                      bool secure_transport, bool allow_plain_http,
                                                      const ObjectEncryption& stored);

// base64(salt || HMAC-SHA256(key, salt)) with a fresh 16-byte salt, for
// ObjectEncryption::customer_key_check.
std::string CustomerKeyCheckOf(const CustomerKey& key, Random& random);
// Whether `key` is the key `check` was made from (constant time).
bool CustomerKeyMatches(const CustomerKey& key, std::string_view check);

// x-amz-server-side-encryption and its companions for a response about an object (or upload)
// stored with `encryption`: the method, the KMS key ARN, the bucket key flag, the SSE-C
// algorithm and key MD5; the context too when `with_context` (the responses to writes).
void SetEncryptionHeaders(const ObjectEncryption& encryption, bool with_context, ResponseHead& head);

// The header value of an encryption context (base64 of its JSON object), and back: nullopt
// unless `value` is base64 of a JSON object of string values.
std::string EncodeContextHeader(const kms::EncryptionContext& context);
std::optional<kms::EncryptionContext> DecodeContextHeader(std::string_view value);

}  // namespace kura::s3
