#include "s3/honoured_headers.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "common/text.h"
#include "s3/acl.h"
#include "s3/ownership_controls.h"
#include "sigv4/checksums.h"

namespace kura::s3 {
namespace {
using Op = S3Operation;


constexpr size_t kOperationCount = static_cast<size_t>(Op::kUnsupported) + 1;
static_assert(kOperationCount <= 64, "OperationSet is one 64-bit word");

// A set of operations as a bit mask: where a table row's header is honoured.
class OperationSet {
 public:
  constexpr OperationSet(std::initializer_list<Op> ops) {
    for (Op op : ops) bits_ |= Bit(op);
  }
  static constexpr OperationSet Every() { return OperationSet(~uint64_t{0}); }
  constexpr OperationSet operator+(OperationSet other) const {
    return OperationSet(bits_ | other.bits_);
  }
  constexpr OperationSet operator-(OperationSet other) const {
    return OperationSet(bits_ & ~other.bits_);
  }
  constexpr bool Contains(Op op) const { return (bits_ & Bit(op)) != 0; }

 private:
  constexpr explicit OperationSet(uint64_t bits) : bits_(bits) {}
  static constexpr uint64_t Bit(Op op) { return uint64_t{1} << static_cast<unsigned>(op); }
  uint64_t bits_ = 0;
};

constexpr OperationSet kEvery = OperationSet::Every();
// The operations that write an object's bytes and metadata from the request's headers.
constexpr OperationSet kObjectWrites{Op::kPutObject, Op::kCopyObject, Op::kCreateMultipartUpload};
constexpr OperationSet kCopies{Op::kCopyObject, Op::kUploadPartCopy};
// The operations that take x-amz-acl / x-amz-grant-* (botocore's s3 model).
constexpr OperationSet kAclWrites =
    kObjectWrites + OperationSet{Op::kCreateBucket, Op::kPutBucketAcl, Op::kPutObjectAcl};
// The operations that take SSE-C keys (botocore's s3 model).
constexpr OperationSet kCustomerKeyReaders =
    kObjectWrites + OperationSet{Op::kGetObject,
                                 Op::kHeadObject,
                                 Op::kUploadPart,
                                 Op::kUploadPartCopy,
                                 Op::kCompleteMultipartUpload,
                                 Op::kListParts,
                                 Op::kGetObjectAttributes};

// The operations that act on the version ?versionId= names.
constexpr OperationSet kVersionAddressed{Op::kGetObject,           Op::kHeadObject,
                                         Op::kDeleteObject,        Op::kGetObjectTagging,
                                         Op::kPutObjectTagging,    Op::kDeleteObjectTagging,
                                         Op::kGetObjectAcl,        Op::kPutObjectAcl,
                                         Op::kGetObjectAttributes, Op::kGetObjectRetention,
                                         Op::kPutObjectRetention,  Op::kGetObjectLegalHold,
                                         Op::kPutObjectLegalHold};

struct Context {
  Op operation;
  std::span<const HeaderField> headers;
  std::string_view bucket_owner;
  std::string_view source_bucket_owner;
};

// Returns Ok to honour the header's value, or the error to refuse the request with.
using HeaderCheck = Result<void> (*)(const HeaderField& header, const Context& context);

Error NotImplementedHeader(std::string_view name, std::string_view why = "") {
  std::string message =
      "A header you provided implies functionality that is not implemented: " + std::string(name);
  if (!why.empty()) message += " (" + std::string(why) + ")";
  return MakeError(ErrorCode::kNotImplemented, std::move(message));
}

// The bucket's owner account (CreateBucket records it); another account's id is a mismatch. A
// bucket that does not exist has no owner to compare: the handler answers NoSuchBucket.
Result<void> CheckBucketOwner(const HeaderField& header, const Context& context) {
  bool source = EqualsIgnoreAsciiCase(header.name, "x-amz-source-expected-bucket-owner");
  std::string_view owner = source ? context.source_bucket_owner : context.bucket_owner;
  if (owner.empty() || header.value == owner) return Ok();
  return MakeError(ErrorCode::kAccessDenied);
}

// Sent by the SDKs for the payload; sigv4's PayloadVerifier checks the algorithms it knows.
Result<void> CheckPayloadChecksum(const HeaderField& header, const Context&) {
  if (sigv4::ChecksumFromHeaderName(header.name)) return Ok();
  return NotImplementedHeader(header.name, "checksum algorithm not implemented");
}

// The handler resolves x-amz-acl / x-amz-grant-* against the bucket's ownership (acl.h); a
// grant header it would not read is not one of S3's five.
Result<void> CheckGrantHeader(const HeaderField& header, const Context&) {
  if (GrantHeaderPermission(header.name)) return Ok();
  return NotImplementedHeader(header.name);
}

Result<void> CheckObjectOwnership(const HeaderField& header, const Context&) {
  if (ObjectOwnershipFromName(header.value)) return Ok();
  return MakeError(ErrorCode::kInvalidArgument,
                   "Invalid x-amz-object-ownership header: " + std::string(header.value));
}

// CreateBucket acts on "true" (ApplyCreateBucketObjectLock); "false" is the default.
Result<void> CheckBucketObjectLock(const HeaderField& header, const Context&) {
  if (EqualsIgnoreAsciiCase(header.value, "false") || EqualsIgnoreAsciiCase(header.value, "true")) {
    return Ok();
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "Invalid x-amz-bucket-object-lock-enabled header: " + std::string(header.value));
}

struct HeaderRule {
  std::string_view name;     // lower case; a trailing '*' makes it a prefix
  OperationSet honoured_in;  // elsewhere: 501 NotImplemented, unless `invalid_elsewhere`
  HeaderCheck check;         // null: any value is honoured (or the handler checks it)
  // Elsewhere 400 InvalidArgument, as S3 answers a header its API has only on other operations
  // (not a feature kura lacks).
  bool invalid_elsewhere = false;
};

// The first row whose name matches decides. Headers of AWS's API that are not here (
// x-amz-mfa, x-amz-write-offset-bytes, x-amz-optional-object-attributes, …)
// are refused with 501 NotImplemented until kura implements them.
constexpr HeaderRule kHeaderRules[] = {
    // Signing and payload framing, checked by sigv4 wherever they appear.
    {"x-amz-date", kEvery, nullptr},
    {"x-amz-content-sha256", kEvery, nullptr},
    {"x-amz-security-token", kEvery, nullptr},
    {"x-amz-user-agent", kEvery, nullptr},
    {"x-amz-decoded-content-length", kEvery, nullptr},
    {"x-amz-trailer", kEvery, nullptr},
    {"x-amz-sdk-checksum-algorithm", kEvery, nullptr},
    // Who asks: the bucket's owner account must match; paying as the requester costs nothing here.
    {"x-amz-expected-bucket-owner", kEvery, CheckBucketOwner},
    {"x-amz-source-expected-bucket-owner", kCopies, CheckBucketOwner},
    {"x-amz-request-payer", kEvery, nullptr},
    // Object metadata; ReadObjectHeaders checks the values (POST upload forms share it).
    {"x-amz-meta-*", kObjectWrites, nullptr},
    {"x-amz-storage-class", kObjectWrites, nullptr},
    {"x-amz-website-redirect-location", kObjectWrites, nullptr},
    {"x-amz-tagging", kObjectWrites, nullptr},
    {"x-amz-metadata-directive", {Op::kCopyObject}, nullptr},
    {"x-amz-tagging-directive", {Op::kCopyObject}, nullptr},
    // Copies (copy_source.cc, multipart_upload.cc).
    {"x-amz-copy-source", kCopies, nullptr},
    {"x-amz-copy-source-if-match", kCopies, nullptr},
    {"x-amz-copy-source-if-none-match", kCopies, nullptr},
    {"x-amz-copy-source-if-modified-since", kCopies, nullptr},
    {"x-amz-copy-source-if-unmodified-since", kCopies, nullptr},
    {"x-amz-copy-source-range", {Op::kUploadPartCopy}, nullptr},
    // Conditional deletes (object_delete.cc; If-Match is not an x-amz-* header).
    {"x-amz-if-match-last-modified-time", {Op::kDeleteObject}, nullptr},
    {"x-amz-if-match-size", {Op::kDeleteObject}, nullptr},
    // Checksums. A value header (x-amz-checksum-crc32, …) checks the payload; on
    // CompleteMultipartUpload it would state the whole object's, which kura does not verify.
    {"x-amz-checksum-algorithm", {Op::kCopyObject, Op::kCreateMultipartUpload}, nullptr},
    {"x-amz-checksum-type", {Op::kCreateMultipartUpload}, nullptr},
    {"x-amz-checksum-mode", {Op::kGetObject, Op::kHeadObject}, nullptr},
    {"x-amz-checksum-*", kEvery - OperationSet{Op::kCompleteMultipartUpload}, CheckPayloadChecksum},
    // ACLs (acl_handlers.cc: ResolveAcl checks the values against the bucket's Object Ownership).
    {"x-amz-acl", kAclWrites, nullptr},
    {"x-amz-grant-*", kAclWrites, CheckGrantHeader},
    {"x-amz-object-ownership", {Op::kCreateBucket}, CheckObjectOwnership},
    // Server-side encryption (object_crypto.cc: RequestedEncryption and CustomerKeyForRead check
    // the values and their combinations; aws:kms:dsse is refused there as NotImplemented).
    // CompleteMultipartUpload and ListParts read no bytes: an SSE-C key there is not needed.
    {"x-amz-server-side-encryption", kObjectWrites, nullptr, /*invalid_elsewhere=*/true},
    {"x-amz-server-side-encryption-aws-kms-key-id", kObjectWrites, nullptr, /*invalid_elsewhere=*/true},
    {"x-amz-server-side-encryption-context", kObjectWrites, nullptr, /*invalid_elsewhere=*/true},
    {"x-amz-server-side-encryption-bucket-key-enabled", kObjectWrites, nullptr, /*invalid_elsewhere=*/true},
    {"x-amz-server-side-encryption-customer-algorithm", kCustomerKeyReaders, nullptr},
    {"x-amz-server-side-encryption-customer-key", kCustomerKeyReaders, nullptr},
    {"x-amz-server-side-encryption-customer-key-md5", kCustomerKeyReaders, nullptr},
    {"x-amz-copy-source-server-side-encryption-customer-algorithm", kCopies, nullptr},
    {"x-amz-copy-source-server-side-encryption-customer-key", kCopies, nullptr},
    {"x-amz-copy-source-server-side-encryption-customer-key-md5", kCopies, nullptr},
    // Object Lock (object_lock.cc, object_lock_headers.cc): ReadObjectLockHeaders checks the
    // values, CheckObjectLockWrite that the bucket has Object Lock; LockContextFor reads the
    // bypass. The token is accepted unchecked: AWS no longer requires one, and kura issues none.
    {"x-amz-bucket-object-lock-enabled", {Op::kCreateBucket}, CheckBucketObjectLock},
    {"x-amz-bucket-object-lock-token", {Op::kPutObjectLockConfiguration}, nullptr},
    {"x-amz-object-lock-mode", kObjectWrites, nullptr},
    {"x-amz-object-lock-retain-until-date", kObjectWrites, nullptr},
    {"x-amz-object-lock-legal-hold", kObjectWrites, nullptr},
    {"x-amz-bypass-governance-retention",
     {Op::kDeleteObject, Op::kDeleteObjects, Op::kPutObjectRetention},
     nullptr},
    // GetObjectAttributes (object_attributes.cc checks the values).
    {"x-amz-object-attributes", {Op::kGetObjectAttributes}, nullptr},
    {"x-amz-max-parts", {Op::kGetObjectAttributes}, nullptr},
    {"x-amz-part-number-marker", {Op::kGetObjectAttributes}, nullptr},
    // kura never stops an account from removing its own access: nothing to confirm.
    {"x-amz-confirm-remove-self-bucket-access", {Op::kPutBucketPolicy}, nullptr},
};

bool Matches(const HeaderRule& rule, std::string_view name) {
  if (rule.name.ends_with('*')) {
    std::string_view prefix = rule.name.substr(0, rule.name.size() - 1);
    return name.size() > prefix.size() && StartsWithIgnoreAsciiCase(name, prefix);
  }
  return EqualsIgnoreAsciiCase(rule.name, name);
}

const HeaderRule* RuleFor(std::string_view name) {
  for (const HeaderRule& rule : kHeaderRules) {
    if (Matches(rule, name)) return &rule;
  }
  return nullptr;
}

bool IsAmzHeader(std::string_view name) {
  constexpr std::string_view kPrefix = "x-amz-";
  return StartsWithIgnoreAsciiCase(name, kPrefix);
}
}  // namespace

Result<void> CheckRequestHeaders(S3Operation operation, std::span<const HeaderField> headers,
                                 std::string_view bucket_owner,
                                 std::string_view source_bucket_owner) {
  Context context{operation, headers, bucket_owner,
                  source_bucket_owner.empty() ? bucket_owner : source_bucket_owner};
  for (const HeaderField& header : headers) {
    if (!IsAmzHeader(header.name)) continue;
    const HeaderRule* rule = RuleFor(header.name);
    if (rule != nullptr && rule->invalid_elsewhere && !rule->honoured_in.Contains(operation)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(rule->name) + " header is not supported for this operation.");
    }
    if (rule == nullptr || !rule->honoured_in.Contains(operation)) {
      return NotImplementedHeader(header.name);
    }
    if (rule->check != nullptr) KURA_TRY(rule->check(header, context));
  }
  return Ok();
}

Result<void> CheckVersionId(const std::optional<std::string>& version_id) {
  if (!version_id || *version_id == "null") return Ok();
  Error error = MakeError(ErrorCode::kInvalidArgument, "Invalid version id specified");
  error.details = {{"ArgumentName", "versionId"}, {"ArgumentValue", *version_id}};
  return error;
}

Result<void> CheckVersionId(const S3Request& request) {
  if (!request.HasQuery("versionId") || kVersionAddressed.Contains(request.operation)) return Ok();
  return CheckVersionId(std::optional<std::string>(request.Query("versionId")));
}

Result<void> CheckAmzQueryParameters(const S3Request& request) {
  // Exact case: the verifier reads these names case-sensitively, as S3 does.
  static constexpr std::string_view kSigV4Parameters[] = {
      "X-Amz-Algorithm", "X-Amz-Credential",    "X-Amz-Date",           "X-Amz-Expires",
      "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Content-Sha256"};
  for (const auto& [name, value] : request.query) {
    if (!StartsWithIgnoreAsciiCase(name, "x-amz-")) continue;
    if (std::find(std::begin(kSigV4Parameters), std::end(kSigV4Parameters), name) !=
        std::end(kSigV4Parameters)) {
      continue;
    }
    // A SigV2 presigned URL's session token (botocore's HmacV1QueryAuth), verified as signed.
    if (name == "x-amz-security-token") continue;
    // The AWS SDK for JavaScript v3 sets x-amz-checksum-mode: ENABLED on every GetObject (its
    // default responseChecksumValidation) and its presigner hoists it into the query of a
    // presigned GET URL; GetObject and HeadObject honour it there (ChecksumModeEnabled).
    if (name == "x-amz-checksum-mode" && (request.operation == S3Operation::kGetObject ||
                                          request.operation == S3Operation::kHeadObject)) {
      continue;
    }
    return MakeError(ErrorCode::kNotImplemented,
                     "A header you provided implies functionality that is not implemented: " + name +
                         " (as a query parameter)");
  }
  return Ok();
}

}  // namespace kura::s3
