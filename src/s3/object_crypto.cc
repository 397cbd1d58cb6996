#include "s3/object_crypto.h"

#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "crypt/blob_crypto.h"
#include "crypt/data_key.h"
#include "s3/owners.h"
#include "store/blob_readers.h"
#include "store/blob_reads.h"

namespace kura::s3 {
namespace {

// Derives the ETag key from the data key, so the ETag reveals nothing of the data key.
constexpr std::string_view kEtagKeyLabel = "kura object etag v1";

Error NoKeyService() {
  return MakeError(ErrorCode::kNotImplemented,
                   "Server-side encryption with SSE-S3 or SSE-KMS needs a key service, which this "
                   "server runs without");
}

Result<kms::DataKey> NewDataKey(S3Env& env, const WriteEncryption& wanted) {
  switch (wanted.stored.mode) {
    case SseMode::kS3:
      if (env.keys == nullptr) return NoKeyService();
      return env.keys->NewMasterSealedKey();
    case SseMode::kKms:
      if (env.keys == nullptr) return NoKeyService();
      return env.keys->GenerateDataKey(wanted.stored.kms_key_id, wanted.stored.kms_context);
    case SseMode::kCustomer: {
      if (!wanted.customer_key)
        return MakeError(ErrorCode::kInternalError, "SSE-C write without its key");
      kms::DataKey key;
      key.plaintext = crypt::NewDataKey(env.random);
      key.sealed = crypt::SealUnderCustomerKey(key.plaintext, wanted.customer_key->key, env.random);
      return key;
    }
    case SseMode::kNone:
      break;
  }
  return MakeError(ErrorCode::kInternalError, "no data key for an unencrypted write");
}

crypt::KeyOpener OpenerFor(S3Env& env, const ObjectEncryption& encryption,
                           const std::optional<CustomerKey>& customer_key) {
  return [&env, &encryption, &customer_key](std::string_view sealed) -> Result<Secret> {
    switch (encryption.mode) {
      case SseMode::kS3:
        if (env.keys == nullptr) return NoKeyService();
        return env.keys->OpenMasterSealedKey(sealed);
      case SseMode::kKms:
        if (env.keys == nullptr) return NoKeyService();
        return env.keys->Decrypt(encryption.kms_key_id, sealed, encryption.kms_context);
      case SseMode::kCustomer:
        if (!customer_key)
          return MakeError(ErrorCode::kInternalError, "SSE-C read without its key");
        return crypt::OpenUnderCustomerKey(sealed, customer_key->key);
      case SseMode::kNone:
        break;
    }
    return MakeError(ErrorCode::kInternalError, "no data key for an unencrypted blob");
  };
}

// The plaintext of one stored blob (inline or one file).
Result<std::unique_ptr<store::BlobReader>> OpenOne(S3Env& env, const crypt::KeyOpener& opener,
                                                   store::BlobRef ref) {
  uint64_t plaintext_size = ref.size;
  // The store bounds reads by the size it is given: the stored form is longer than the plaintext.
  ref.size = crypt::EncryptedSizeBound(plaintext_size);
  auto inner = store::OpenBounded(env.blobs, ref);
  if (!inner) return inner.error();
  return crypt::NewDecryptingReader(std::move(*inner), plaintext_size, opener);
}

Result<void> AuthorizeKms(const S3Call& call, std::string_view action,
                          const ObjectEncryption& encryption) {
  if (encryption.mode != SseMode::kKms) return Ok();
  return call.authorize(action, encryption.kms_key_id);
}

// The encryption `header` asks for, ready to store; `authorize` authorizes SSE-KMS's
// kms:GenerateDataKey as the writer.
// `requester_account`: where a KMS key id or alias resolves — the requester's account, as S3
// documents ("Amazon S3 resolves the key within the requester's account"), so that another
// account's key is used only when named by its ARN (and then kura's KMS refuses it: keys serve
// their own account).
Result<WriteEncryption> Prepare(S3Env& env, const HeaderLookup& header, bool secure_transport,
                                std::string_view bucket, std::string_view key,
                                std::string_view bucket_default, const AuthorizeFn& authorize,
                                std::string_view requester_account) {
  auto wanted = RequestedEncryption(header, secure_transport, env.sse_c_over_http, bucket_default,
                                    bucket, key);
  if (!wanted) return wanted.error();
  switch (wanted->stored.mode) {
    case SseMode::kNone:
      break;
    case SseMode::kS3:
      if (env.keys == nullptr) return NoKeyService();
      break;
    case SseMode::kKms: {
      if (env.keys == nullptr) return NoKeyService();
      auto arn = env.keys->ResolveKeyArn(requester_account, wanted->stored.kms_key_id);
      if (!arn) return arn.error();
      wanted->stored.kms_key_id = std::move(*arn);
      KURA_TRY(authorize("kms:GenerateDataKey", wanted->stored.kms_key_id));
      break;
    }
    case SseMode::kCustomer:
      wanted->stored.customer_key_check = CustomerKeyCheckOf(*wanted->customer_key, env.random);
      break;
  }
  return wanted;
}

}  // namespace

HeaderLookup HeadersOf(const S3Call& call) {
  return [&call](std::string_view name) { return call.Header(name); };
}

Result<WriteEncryption> PrepareWriteEncryption(S3Env& env, const S3Call& call,
                                               std::string_view bucket_default) {
  return Prepare(env, HeadersOf(call), call.head.secure_transport, call.request.bucket,
                 call.request.key, bucket_default, call.authorize, CallerAccount(env, call));
}

Result<WriteEncryption> PrepareFormEncryption(S3Env& env, const S3Call& call,
                                              const HeaderLookup& fields, std::string_view key,
                                              std::string_view bucket_default,
                                              const AuthorizeFn& authorize_uploader,
                                              std::string_view uploader_account) {
  return Prepare(env, fields, call.head.secure_transport, call.request.bucket, key, bucket_default,
                 authorize_uploader, uploader_account);
}

Result<WriteEncryption> PartWriteEncryption(S3Env& env, const S3Call& call,
                                            const ObjectEncryption& stored) {
  auto key = ReadEncryption(call, KeyHeaders::kObject, stored, env.sse_c_over_http);
  if (!key) return key.error();
  if (stored.mode == SseMode::kKms) KURA_TRY(AuthorizeKms(call, "kms:GenerateDataKey", stored));
  return WriteEncryption{stored, std::move(*key)};
}

Result<std::optional<CustomerKey>> ReadEncryption(const S3Call& call, KeyHeaders which,
                                                  const ObjectEncryption& stored,
                                                  bool allow_plain_http, bool decrypts) {
  auto key = CustomerKeyForRead(HeadersOf(call), which, call.head.secure_transport,
                                allow_plain_http, stored);
  if (!key) return key.error();
  if (decrypts) KURA_TRY(AuthorizeKms(call, "kms:Decrypt", stored));
  return key;
}

Result<void> AuthorizeCompleteUpload(const S3Call& call, const ObjectEncryption& stored) {
  return AuthorizeKms(call, "kms:Decrypt", stored);
}

std::string ObjectWriter::EtagOf(std::string_view md5_hex) const {
  if (etag_key.empty()) return std::string(md5_hex);
  auto raw = HexDecode(md5_hex).value_or(std::string());
  return HexLower(HmacSha256(etag_key.Reveal(), raw).substr(0, 16));
}

Result<ObjectWriter> NewObjectWriter(S3Env& env, const WriteEncryption& wanted,
                                     store::Placement placement) {
  ObjectWriter out;
  if (wanted.stored.mode == SseMode::kNone) {
    out.writer = env.blobs.NewWriterFor(placement);
    return out;
  }
  auto key = NewDataKey(env, wanted);
  if (!key) return key.error();
  auto writer =
      crypt::NewEncryptingWriter(env.blobs.NewWriterFor(placement), key->plaintext, key->sealed);
  if (!writer) return writer.error();
  out.writer = std::move(*writer);
  if (wanted.stored.mode != SseMode::kS3)
    out.etag_key = Secret(HmacSha256(key->plaintext.Reveal(), kEtagKeyLabel));
  return out;
}

Result<std::unique_ptr<store::BlobReader>> OpenPlaintext(
    S3Env& env, const ObjectEncryption& encryption, const std::optional<CustomerKey>& customer_key,
    const store::BlobRef& blob) {
  if (encryption.mode == SseMode::kNone) return env.blobs.Open(blob);
  crypt::KeyOpener opener = OpenerFor(env, encryption, customer_key);
  if (blob.kind != store::BlobRef::Kind::kParts) return OpenOne(env, opener, blob);
  std::vector<std::unique_ptr<store::BlobReader>> parts;
  parts.reserve(blob.parts.size());
  for (const auto& part : blob.parts) {
    auto reader = OpenOne(
        env, opener,
        store::BlobRef{.kind = store::BlobRef::Kind::kFile, .id = part.id, .size = part.size});
    if (!reader) return reader.error();
    parts.push_back(std::move(*reader));
  }
  return std::unique_ptr<store::BlobReader>(std::make_unique<store::ConcatenatedReader>(std::move(parts)));
}

Result<ObjectEncryption> StoredEncryption(std::string_view encoded) {
  auto decoded = DecodeObjectEncryption(encoded);
  if (!decoded) return MakeError(ErrorCode::kInternalError, "malformed stored encryption");
  return std::move(*decoded);
}

}  // namespace kura::s3
