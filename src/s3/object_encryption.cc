#include "s3/object_encryption.h"

#include <boost/json.hpp>

#include <array>
#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/text.h"

namespace kura::s3 {
namespace {

constexpr std::string_view kFormatVersion = "sse1";
constexpr size_t kCustomerKeyBytes = 32;  // AES-256
constexpr size_t kCustomerKeySaltBytes = 16;

constexpr std::string_view kSseHeader = "x-amz-server-side-encryption";
constexpr std::string_view kKmsKeyIdHeader = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr std::string_view kContextHeader = "x-amz-server-side-encryption-context";
constexpr std::string_view kBucketKeyHeader = "x-amz-server-side-encryption-bucket-key-enabled";

struct CustomerKeyHeaderNames {
  std::string_view algorithm, key, key_md5;
};
constexpr CustomerKeyHeaderNames kObjectKeyHeaders{
    "x-amz-server-side-encryption-customer-algorithm", "x-amz-server-side-encryption-customer-key",
    "x-amz-server-side-encryption-customer-key-md5"};
constexpr CustomerKeyHeaderNames kCopySourceKeyHeaders{
    "x-amz-copy-source-server-side-encryption-customer-algorithm",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key-md5"};

std::string_view NextLine(std::string_view& rest) {
  size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

std::string_view ModeName(SseMode mode) {
  switch (mode) {
    case SseMode::kNone: return "none";
    case SseMode::kS3: return "AES256";
    case SseMode::kKms: return "aws:kms";
    case SseMode::kCustomer: return "SSE-C";
  }
  return "none";
}

std::optional<SseMode> ModeFromName(std::string_view name) {
  for (SseMode mode : {SseMode::kS3, SseMode::kKms, SseMode::kCustomer}) {
    if (ModeName(mode) == name) return mode;
  }
  return std::nullopt;
}

// The SSE-C headers of `names`, or nullopt when none is present. Errors as S3 words them.
Result<std::optional<CustomerKey>> ParseCustomerKey(const HeaderLookup& header,
                                                    const CustomerKeyHeaderNames& names) {
  std::string_view algorithm = header(names.algorithm);
  std::string_view key = header(names.key);
  std::string_view key_md5 = header(names.key_md5);
  if (algorithm.empty() && key.empty() && key_md5.empty()) return std::optional<CustomerKey>();
  if (algorithm.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Requests specifying Server Side Encryption with Customer provided keys must "
                     "provide a valid encryption algorithm.");
  }
  if (algorithm != "AES256") return MakeError(ErrorCode::kInvalidEncryptionAlgorithmError);
  if (key.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Requests specifying Server Side Encryption with Customer provided keys must "
                     "provide an appropriate secret key.");
  }
  auto raw = Base64Decode(key);
  if (!raw || raw->size() != kCustomerKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The secret key was invalid for the specified algorithm.");
  }
  Secret secret(std::move(*raw));
  if (key_md5.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Requests specifying Server Side Encryption with Customer provided keys must "
                     "provide the client calculated MD5 of the secret key.");
  }
  if (!ConstantTimeEquals(Base64Encode(Md5(secret.Reveal())), key_md5)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The calculated MD5 hash of the key did not match the hash that was provided.");
  }
  return std::optional<CustomerKey>(CustomerKey{std::move(secret), std::string(key_md5)});
}

Error NeedsSecureTransport() {
  return MakeError(ErrorCode::kInvalidRequest,
                   "Requests specifying Server Side Encryption with Customer provided keys must "
                   "be made over a secure connection.");
}

Result<bool> ParseBucketKeyEnabled(std::string_view value) {
  if (value.empty() || EqualsIgnoreAsciiCase(value, "false")) return false;
  if (EqualsIgnoreAsciiCase(value, "true")) return true;
  return MakeError(ErrorCode::kInvalidArgument,
                   "Invalid x-amz-server-side-encryption-bucket-key-enabled header: " + std::string(value));
}

// The method x-amz-server-side-encryption names. aws:kms:dsse (two layers) is a valid request
// kura does not implement.
Result<SseMode> ParseMethod(std::string_view value) {
  if (value == "AES256") return SseMode::kS3;
  if (value == "aws:kms") return SseMode::kKms;
  if (value == "aws:kms:dsse") {
    return MakeError(ErrorCode::kNotImplemented,
                     "Dual-layer server-side encryption (aws:kms:dsse) is not implemented");
  }
  return MakeError(ErrorCode::kInvalidArgument, "The encryption method specified is not supported");
}

Result<ObjectEncryption> KmsRequest(const HeaderLookup& header, std::string_view bucket,
                                    std::string_view key) {
  ObjectEncryption wanted;
  wanted.mode = SseMode::kKms;
  wanted.kms_key_id = std::string(header(kKmsKeyIdHeader));
  if (std::string_view context = header(kContextHeader); !context.empty()) {
    auto decoded = DecodeContextHeader(context);
    if (!decoded) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded "
                       "UTF-8 string holding JSON which represents a string-string map");
    }
    wanted.kms_context = std::move(*decoded);
  } else {
    wanted.kms_context = {{"aws:s3:arn", "arn:aws:s3:::" + std::string(bucket) + "/" + std::string(key)}};
  }
  return wanted;
}

}  // namespace

std::string EncodeObjectEncryption(const ObjectEncryption& e) {
  if (e.mode == SseMode::kNone) return "";
  std::string out(kFormatVersion);
  for (std::string_view field :
       {ModeName(e.mode), std::string_view(e.bucket_key_enabled ? "1" : "0"),
        std::string_view(e.kms_key_id), std::string_view(e.customer_key_md5),
        std::string_view(e.customer_key_check)}) {
    out += '\n';
    out += field;
  }
  out += '\n';
  out += e.kms_context.empty() ? "" : EncodeContextHeader(e.kms_context);
  return out;
}

std::optional<ObjectEncryption> DecodeObjectEncryption(std::string_view bytes) {
  if (bytes.empty()) return ObjectEncryption{};
  std::string_view rest = bytes;
  if (NextLine(rest) != kFormatVersion) return std::nullopt;
  ObjectEncryption e;
  auto mode = ModeFromName(NextLine(rest));
  if (!mode) return std::nullopt;
  e.mode = *mode;
  std::string_view bucket_key = NextLine(rest);
  if (bucket_key != "0" && bucket_key != "1") return std::nullopt;
  e.bucket_key_enabled = bucket_key == "1";
  e.kms_key_id = std::string(NextLine(rest));
  e.customer_key_md5 = std::string(NextLine(rest));
  e.customer_key_check = std::string(NextLine(rest));
  std::string_view context = NextLine(rest);
  if (!rest.empty()) return std::nullopt;
  if (!context.empty()) {
    auto decoded = DecodeContextHeader(context);
    if (!decoded) return std::nullopt;
    e.kms_context = std::move(*decoded);
  }
  return e;
}

Result<WriteEncryption> RequestedEncryption(const HeaderLookup& header, bool secure_transport,
                                            bool allow_plain_http, std::string_view bucket_default,
                                            std::string_view bucket, std::string_view key) {
  auto customer_key = ParseCustomerKey(header, kObjectKeyHeaders);
  if (!customer_key) return customer_key.error();
  std::string_view method = header(kSseHeader);
  bool names_kms_detail = !header(kKmsKeyIdHeader).empty() || !header(kContextHeader).empty();
  auto bucket_key_enabled = ParseBucketKeyEnabled(header(kBucketKeyHeader));
  if (!bucket_key_enabled) return bucket_key_enabled.error();

  WriteEncryption wanted;
  if (*customer_key) {
    if (!method.empty() || names_kms_detail) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Server Side Encryption with Customer provided key is incompatible with the "
                       "encryption method specified");
    }
    if (!secure_transport && !allow_plain_http) return NeedsSecureTransport();
    wanted.stored.mode = SseMode::kCustomer;
    wanted.stored.customer_key_md5 = (*customer_key)->key_md5;
    wanted.customer_key = std::move(*customer_key);
    return wanted;
  }
  if (method.empty()) {
    if (names_kms_detail) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Specifying x-amz-server-side-encryption-aws-kms-key-id or "
                       "x-amz-server-side-encryption-context requires x-amz-server-side-encryption "
                       "to be aws:kms");
    }
    auto fallback = DecodeObjectEncryption(bucket_default);
    if (!fallback) return MakeError(ErrorCode::kInternalError, "malformed bucket default encryption");
    wanted.stored = std::move(*fallback);
    if (wanted.stored.mode == SseMode::kKms) {
      wanted.stored.kms_context = {
          {"aws:s3:arn", "arn:aws:s3:::" + std::string(bucket) + "/" + std::string(key)}};
    }
    return wanted;
  }
  auto mode = ParseMethod(method);
  if (!mode) return mode.error();
  if (*mode == SseMode::kS3) {
    if (names_kms_detail) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Specifying x-amz-server-side-encryption-aws-kms-key-id or "
                       "x-amz-server-side-encryption-context requires x-amz-server-side-encryption "
                       "to be aws:kms");
    }
    wanted.stored.mode = SseMode::kS3;
    return wanted;
  }
  auto kms = KmsRequest(header, bucket, key);
  if (!kms) return kms.error();
  wanted.stored = std::move(*kms);
  wanted.stored.bucket_key_enabled = *bucket_key_enabled;
  return wanted;
}

Result<std::optional<CustomerKey>> CustomerKeyForRead(const HeaderLookup& header, KeyHeaders which,
                                                      bool secure_transport, bool allow_plain_http,
                                                      const ObjectEncryption& stored) {
  const auto& names = which == KeyHeaders::kObject ? kObjectKeyHeaders : kCopySourceKeyHeaders;
  auto key = ParseCustomerKey(header, names);
  if (!key) return key.error();
  if (stored.mode != SseMode::kCustomer) {
    if (*key) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "The encryption parameters are not applicable to this object.");
    }
    return key;
  }
  if (!*key) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "The object was stored using a form of Server Side Encryption. The correct "
                     "parameters must be provided to retrieve the object.");
  }
  if (!secure_transport && !allow_plain_http) return NeedsSecureTransport();
  if (!CustomerKeyMatches(**key, stored.customer_key_check)) {
    return MakeError(ErrorCode::kAccessDenied,
                     "The SSE-C key provided does not match the key the object was encrypted with.");
  }
  return key;
}

std::string CustomerKeyCheckOf(const CustomerKey& key, Random& random) {
  std::array<uint8_t, kCustomerKeySaltBytes> salt{};
  random.Fill(salt);
  std::string salt_bytes(reinterpret_cast<const char*>(salt.data()), salt.size());
  return Base64Encode(salt_bytes + HmacSha256(key.key.Reveal(), salt_bytes));
}

bool CustomerKeyMatches(const CustomerKey& key, std::string_view check) {
  auto raw = Base64Decode(check);
  if (!raw || raw->size() <= kCustomerKeySaltBytes) return false;
  std::string_view bytes = *raw;
  std::string_view salt = bytes.substr(0, kCustomerKeySaltBytes);
  return ConstantTimeEquals(HmacSha256(key.key.Reveal(), salt), bytes.substr(kCustomerKeySaltBytes));
}

void SetEncryptionHeaders(const ObjectEncryption& e, bool with_context, ResponseHead& head) {
  switch (e.mode) {
    case SseMode::kNone:
      return;
    case SseMode::kS3:
      head.fields.set(kSseHeader, "AES256");
      return;
    case SseMode::kKms:
      head.fields.set(kSseHeader, "aws:kms");
      head.fields.set(kKmsKeyIdHeader, e.kms_key_id);
      if (with_context && !e.kms_context.empty()) {
        head.fields.set(kContextHeader, EncodeContextHeader(e.kms_context));
      }
      if (e.bucket_key_enabled) head.fields.set(kBucketKeyHeader, "true");
      return;
    case SseMode::kCustomer:
      head.fields.set(kObjectKeyHeaders.algorithm, "AES256");
      head.fields.set(kObjectKeyHeaders.key_md5, e.customer_key_md5);
      return;
  }
}

std::string EncodeContextHeader(const kms::EncryptionContext& context) {
  boost::json::object object;
  for (const auto& [name, value] : context) object[name] = value;
  return Base64Encode(boost::json::serialize(object));
}

std::optional<kms::EncryptionContext> DecodeContextHeader(std::string_view value) {
  auto text = Base64Decode(value);
  if (!text) return std::nullopt;
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(*text, error);
  if (error || !parsed.is_object()) return std::nullopt;
  kms::EncryptionContext context;
  for (const auto& [name, member] : parsed.as_object()) {
    if (!member.is_string()) return std::nullopt;
    context.emplace(std::string(name), std::string(member.as_string()));
  }
  return context;
}

}  // namespace kura::s3
