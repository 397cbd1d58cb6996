// The KMS JSON request parser (kms/kms_request.h) and the CiphertextBlob reader
// (kms/ciphertext_blob.h): input is a request body. Every getter of every member an operation
// reads must answer a value or one of KMS's client errors (SerializationException,
// ValidationException), never crash; a blob must open only if it authenticates.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kms/ciphertext_blob.h"
#include "kms/kms_request.h"

namespace {

using kura::ErrorCode;

template <typename R>
void ExpectClientError(const R& result) {
  if (result.has_value()) return;
  ErrorCode code = result.error().code;
  if (code != ErrorCode::kKmsSerialization && code != ErrorCode::kKmsValidation) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t length) {
  std::string_view body(reinterpret_cast<const char*>(data), length);
  auto request = kura::kms::KmsRequest::Parse(body);
  ExpectClientError(request);
  if (!request) return 0;
  for (std::string_view name : {"KeyId", "AliasName", "Description", "Policy", "KeySpec", "Marker"}) {
    ExpectClientError(request->String(name));
    ExpectClientError(request->RequiredString(name));
  }
  ExpectClientError(request->Int("Limit", 1, 1000));
  ExpectClientError(request->Int("NumberOfBytes", 1, 1024));
  ExpectClientError(request->Bool("MultiRegion"));
  ExpectClientError(request->StringMap("EncryptionContext"));
  ExpectClientError(request->Blob("Plaintext", 4096));
  auto blob = request->Blob("CiphertextBlob", 6144);
  ExpectClientError(blob);
  if (blob && *blob) {
    std::string_view bytes = (**blob).Reveal();
    auto header = kura::kms::PeekCiphertext(bytes);
    auto opened = kura::kms::OpenCiphertext(bytes, kura::Secret(std::string(32, 'k')), {});
    if (opened.has_value() && !header) std::abort();
    if (!opened && opened.error().code != ErrorCode::kKmsInvalidCiphertext) std::abort();
  }
  return 0;
}
