// The body of an AWS KMS JSON request (application/x-amz-json-1.1: one JSON object whose
// members are the operation's input shape, botocore kms/2014-11-01 service-2.json), parsed
// once and read through typed getters that answer KMS's own errors: SerializationException for
// a body that is not a JSON object or a member of the wrong JSON type, ValidationException for
// a missing required member or a value out of its shape's range.
// Blobs (Plaintext, CiphertextBlob) travel base64-encoded.
// Thread-safety: a parsed request is immutable.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/secret.h"
#include "kms/key_provider.h"

namespace kura::kms {

class KmsRequest {
 public:
  // An empty body reads as "{}" (as AWS accepts for operations without input).
  static Result<KmsRequest> Parse(std::string_view body);

  // A string member; nullopt when absent. Required: kKmsValidation when absent or empty.
  Result<std::optional<std::string>> String(std::string_view name) const;
  Result<std::string> RequiredString(std::string_view name) const;
  // An integer member within [min, max].
  Result<std::optional<int64_t>> Int(std::string_view name, int64_t min, int64_t max) const;
  Result<std::optional<bool>> Bool(std::string_view name) const;
  // A base64 blob of 1..max_bytes bytes (a Secret: Plaintext must not linger).
  Result<std::optional<Secret>> Blob(std::string_view name, size_t max_bytes) const;
  // A map of strings to strings (EncryptionContext); empty when absent.
  Result<EncryptionContext> StringMap(std::string_view name) const;

 private:
  explicit KmsRequest(boost::json::object members) : members_(std::move(members)) {}
  boost::json::object members_;
};

}  // namespace kura::kms
