// Cryptographic operations of the KMS API (kms/kms_operations.h). Plaintexts travel as Secret
// and are base64-encoded only into the answer.
#include <boost/json.hpp>

#include "common/encoding.h"
#include "common/limits.h"
#include "kms/key_metadata.h"
#include "kms/key_use.h"
#include "kms/kms_operations.h"
#include "store/awaitable.h"

namespace kura::kms {
namespace {
namespace json = boost::json;

constexpr std::string_view kAlgorithm = "SYMMETRIC_DEFAULT";

Result<void> CheckAlgorithm(const KmsRequest& request, std::string_view member) {
  auto algorithm = request.String(member);
  if (!algorithm) return algorithm.error();
  if (*algorithm && **algorithm != kAlgorithm) {
    return MakeError(ErrorCode::kKmsInvalidKeyUsage,
                     "The specified encryption algorithm " + **algorithm +
                         " is not supported by a symmetric key");
  }
  return Ok();
}

// The key ready to encrypt: usable, and its material rotated first when rotation is due.
boost::asio::awaitable<Result<KmsKey>> KeyToEncrypt(KeyRegistry& registry, KmsKey key) {
  if (auto usable = CheckUsable(key); !usable) co_return usable.error();
  TimePoint now = registry.clock().Now();
  if (!RotationDue(key, now)) co_return key;
  registry.AddMaterial(key);
  key.last_rotated = FromUnixSeconds(UnixSeconds(now));
  auto stored = co_await store::StoreWrite<void>(  // borrows `key`: see key_management.cc Store
      [&registry, &key](auto done) { registry.Save(key, done); });
  if (!stored) co_return stored.error();
  co_return key;
}

// The destination key of ReEncrypt, or the key of Decrypt's optional KeyId, which must be the
// blob's (IncorrectKeyException otherwise).
Result<void> CheckNamedKey(const OperationInput& in, std::string_view member) {
  auto named = in.request.String(member);
  if (!named) return named.error();
  if (!*named) return Ok();
  auto key = in.registry.Resolve(in.account_id, **named);
  if (!key) return key.error();
  if (key->key_id != in.key->key_id) return MakeError(ErrorCode::kKmsIncorrectKey);
  return Ok();
}

// The plaintext of CiphertextBlob under the resolved key (Decrypt, ReEncrypt's source).
Result<Secret> OpenBlob(const OperationInput& in, std::string_view context_member) {
  auto context = in.request.StringMap(context_member);
  if (!context) return context.error();
  auto blob = in.request.Blob("CiphertextBlob", limits::kMaxKmsCiphertextBytes);
  if (!blob) return blob.error();
  if (auto usable = CheckUsable(*in.key); !usable) return usable.error();
  return DecryptUnder(in.registry, *in.key, (**blob).Reveal(), *context);
}

OperationResult AnswerDataKey(OperationInput& in, bool with_plaintext) {
  auto spec = in.request.String("KeySpec");
  if (!spec) co_return spec.error();
  auto bytes = in.request.Int("NumberOfBytes", 1, limits::kMaxKmsDataKeyBytes);
  if (!bytes) co_return bytes.error();
  if (spec->has_value() && bytes->has_value()) {
    co_return MakeError(ErrorCode::kKmsValidation, "Please specify either number of bytes or key spec.");
  }
  size_t size = 0;
  if (bytes->has_value()) size = static_cast<size_t>(**bytes);
  else if (spec->has_value() && **spec == "AES_256") size = 32;
  else if (spec->has_value() && **spec == "AES_128") size = 16;
  else co_return MakeError(ErrorCode::kKmsValidation, "Please specify either number of bytes or key spec.");
  auto context = in.request.StringMap("EncryptionContext");
  if (!context) co_return context.error();
  auto key = co_await KeyToEncrypt(in.registry, std::move(*in.key));
  if (!key) co_return key.error();
  Secret plaintext = NewDataKey(in.registry.random(), size);
  auto blob = EncryptUnder(in.registry, *key, plaintext.Reveal(), *context);
  if (!blob) co_return blob.error();
  json::object answer{{"CiphertextBlob", Base64Encode(*blob)}, {"KeyId", key->Arn()}};
  if (with_plaintext) answer["Plaintext"] = Base64Encode(plaintext.Reveal());
  co_return answer;
}

}  // namespace

OperationResult Encrypt(OperationInput& in) {
  if (auto ok = CheckAlgorithm(in.request, "EncryptionAlgorithm"); !ok) co_return ok.error();
  auto plaintext = in.request.Blob("Plaintext", limits::kMaxKmsPlaintextBytes);
  if (!plaintext) co_return plaintext.error();
  if (!*plaintext) {
    co_return MakeError(ErrorCode::kKmsValidation,
                        "1 validation error detected: Value null at 'plaintext' failed to satisfy "
                        "constraint: Member must not be null");
  }
  auto context = in.request.StringMap("EncryptionContext");
  if (!context) co_return context.error();
  auto key = co_await KeyToEncrypt(in.registry, std::move(*in.key));
  if (!key) co_return key.error();
  auto blob = EncryptUnder(in.registry, *key, (**plaintext).Reveal(), *context);
  if (!blob) co_return blob.error();
  co_return json::object{{"CiphertextBlob", Base64Encode(*blob)},
                         {"KeyId", key->Arn()},
                         {"EncryptionAlgorithm", kAlgorithm}};
}

OperationResult Decrypt(OperationInput& in) {
  if (auto ok = CheckAlgorithm(in.request, "EncryptionAlgorithm"); !ok) co_return ok.error();
  if (auto ok = CheckNamedKey(in, "KeyId"); !ok) co_return ok.error();
  auto plaintext = OpenBlob(in, "EncryptionContext");
  if (!plaintext) co_return plaintext.error();
  co_return json::object{{"Plaintext", Base64Encode(plaintext->Reveal())},
                         {"KeyId", in.key->Arn()},
                         {"EncryptionAlgorithm", kAlgorithm}};
}

OperationResult ReEncrypt(OperationInput& in) {
  if (auto ok = CheckAlgorithm(in.request, "SourceEncryptionAlgorithm"); !ok) co_return ok.error();
  if (auto ok = CheckAlgorithm(in.request, "DestinationEncryptionAlgorithm"); !ok) co_return ok.error();
  if (auto ok = CheckNamedKey(in, "SourceKeyId"); !ok) co_return ok.error();
  auto destination_ref = in.request.RequiredString("DestinationKeyId");
  if (!destination_ref) co_return destination_ref.error();
  auto destination = in.registry.Resolve(in.account_id, *destination_ref);
  if (!destination) co_return destination.error();
  if (auto allowed = in.authorize("kms:ReEncryptTo", *destination); !allowed) co_return allowed.error();
  auto destination_context = in.request.StringMap("DestinationEncryptionContext");
  if (!destination_context) co_return destination_context.error();
  auto plaintext = OpenBlob(in, "SourceEncryptionContext");
  if (!plaintext) co_return plaintext.error();
  auto key = co_await KeyToEncrypt(in.registry, std::move(*destination));
  if (!key) co_return key.error();
  auto blob = EncryptUnder(in.registry, *key, plaintext->Reveal(), *destination_context);
  if (!blob) co_return blob.error();
  co_return json::object{{"CiphertextBlob", Base64Encode(*blob)},
                         {"SourceKeyId", in.key->Arn()},
                         {"KeyId", key->Arn()},
                         {"SourceEncryptionAlgorithm", kAlgorithm},
                         {"DestinationEncryptionAlgorithm", kAlgorithm}};
}

OperationResult GenerateDataKey(OperationInput& in) { return AnswerDataKey(in, true); }

OperationResult GenerateDataKeyWithoutPlaintext(OperationInput& in) { return AnswerDataKey(in, false); }

}  // namespace kura::kms
