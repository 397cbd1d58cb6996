#include "s3/post_object.h"

#include <algorithm>
#include <vector>

#include "common/async_bridge.h"
#include "common/crypto.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "s3/acl_handlers.h"
#include "s3/blob_io.h"
#include "s3/bucket_policy_cache.h"
#include "s3/honoured_headers.h"
#include "s3/names.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/owners.h"
#include "s3/post_form.h"
#include "s3/object_crypto.h"
#include "s3/post_policy.h"
#include "s3/response.h"
#include "crypt/blob_crypto.h"
#include "store/awaitable.h"
#include "s3/tagging.h"
#include "s3/metadata_reads.h"
#include "sigv4/signature_v2.h"
#include "sigv4/signing_key.h"

namespace kura::s3 {
namespace {

// The form's x-amz-* fields are the upload's headers (S3 POST Object: x-amz-meta-*,
// x-amz-storage-class, x-amz-server-side-encryption, …), so they are held to PutObject's row of
// the honoured-header table: a field kura would not act on is refused, never stored past. The
// fields that sign the form are its authentication (VerifySigner); x-amz-checksum-* fields are
// refused because PostObject does not verify them.
Result<void> CheckFormFields(S3Env& env, const S3Call& call, const FormFields& fields) {
  static constexpr std::string_view kSigningFields[] = {
      "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature", "x-amz-security-token"};
  std::vector<HeaderField> as_headers;
  for (const auto& [name, value] : fields) {
    if (!name.starts_with("x-amz-")) continue;
    if (std::find(std::begin(kSigningFields), std::end(kSigningFields), name) != std::end(kSigningFields)) {
      continue;
    }
    if (name.starts_with("x-amz-checksum-")) {
      return MakeError(ErrorCode::kNotImplemented,
                       "A header you provided implies functionality that is not implemented: " + name +
                           " (as a POST form field)");
    }
    as_headers.push_back({name, value});
  }
  return CheckRequestHeaders(S3Operation::kPutObject, as_headers,
                             env.policies.OwnerOf(call.request.bucket));
}

std::string FieldOr(const FormFields& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? "" : it->second;
}

// Whether the form is signed with Signature Version 2 (AWSAccessKeyId, signature, no
// x-amz-algorithm) and kura accepts v2 (--sigv2); else it must be a SigV4 form.
bool SignedWithV2(const S3Env& env, const FormFields& f) {
  return env.sigv2 && (f.count("awsaccesskeyid") || f.count("signature")) && !f.count("x-amz-algorithm");
}

// A Signature Version 2 form: signature = Base64(HMAC-SHA1(secret, policy)), the access key in
// AWSAccessKeyId, a session token in x-amz-security-token.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html (v2).
Result<sigv4::ResolvedCredential> VerifyV2Signer(const S3Env& env, const FormFields& f) {
  for (const char* field : {"AWSAccessKeyId", "Signature"}) {
    if (!f.count(AsciiLower(field))) {
      return MakeError(ErrorCode::kInvalidArgument, std::string("Bucket POST must contain a field named '") +
                                                        field + "'.  If it is specified, please check the order of the fields.");
    }
  }
  auto resolved = env.credentials.Resolve(FieldOr(f, "awsaccesskeyid"), FieldOr(f, "x-amz-security-token"));
  if (!resolved) return resolved.error();
  if (!sigv4::V2SignatureMatches(resolved->secret_key, FieldOr(f, "policy"), FieldOr(f, "signature"))) {
    return MakeError(ErrorCode::kSignatureDoesNotMatch);
  }
  return resolved;
}

// Verifies the form's policy signature (SigV4, or v2 unless --sigv2 off); returns who signed it
// (and what resolving the signer's credential established for the authorizer: a role
// session's policies).
Result<sigv4::ResolvedCredential> VerifySigner(const S3Env& env, const FormFields& f) {
  auto get = [&](const char* name) { return FieldOr(f, name); };
  if (SignedWithV2(env, f)) return VerifyV2Signer(env, f);
  if (get("x-amz-algorithm") != "AWS4-HMAC-SHA256") {
    return MakeError(ErrorCode::kInvalidArgument, "Only AWS4-HMAC-SHA256 is supported for POST uploads");
  }
  std::string credential = get("x-amz-credential");
  std::vector<std::string> scope;
  for (size_t start = 0;;) {
    size_t slash = credential.find('/', start);
    scope.push_back(credential.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request" || scope[2] != env.region ||
      !get("x-amz-date").starts_with(scope[1])) {
    return MakeError(ErrorCode::kAuthorizationQueryParametersError,
                     "Error parsing the X-Amz-Credential parameter; the region or service is wrong.");
  }
  auto resolved = env.credentials.Resolve(scope[0], get("x-amz-security-token"));
  if (!resolved) return resolved.error();
  if (!sigv4::PostPolicySignatureMatches(resolved->secret_key, scope[1], scope[2], "s3", get("policy"),
                                         get("x-amz-signature"))) {
    return MakeError(ErrorCode::kSignatureDoesNotMatch);
  }
  return resolved;
}

// The object's metadata from the form, as PutObject reads it from headers.
Result<store::ObjectRecord> RecordFromForm(const FormFields& fields, const std::string& file_type) {
  RequestHead head;
  for (const auto& [name, value] : fields) {
    if (name == "content-type" || name == "cache-control" || name == "content-disposition" ||
        name == "content-encoding" || name == "expires" || name == "x-amz-storage-class" ||
        name == "x-amz-website-redirect-location" || name.starts_with("x-amz-meta-") ||
        name.starts_with("x-amz-object-lock-")) {
      head.fields.set(name, value);
    }
  }
  if (!fields.count("content-type") && !file_type.empty()) head.fields.set("content-type", file_type);
  store::ObjectRecord record;
  KURA_TRY(ReadObjectHeaders(head, record));
  if (auto tagging = fields.find("tagging"); tagging != fields.end()) {
    auto tags = ParseTagging(tagging->second, limits::kMaxObjectTags);
    if (!tags) return tags.error();
    record.tags = std::move(*tags);
  }
  return record;
}

// The ACL fields of the form: "acl" (a canned ACL) and the x-amz-grant-* that CheckFormFields let
// through as PutObject's headers.
AclRequest AclRequestOfForm(const FormFields& fields) {
  AclRequest request;
  if (auto acl = fields.find("acl"); acl != fields.end()) request.canned = acl->second;
  for (const auto& [name, value] : fields) {
    if (auto permission = GrantHeaderPermission(name)) request.grant_headers.emplace_back(*permission, value);
  }
  return request;
}

net::awaitable<Result<void>> Respond(S3Call& call, const FormFields& f, const store::ObjectRecord& o,
                                     const store::PutOutcome& written) {
  std::string location = "/" + o.bucket + "/" + UriEncode(o.key, false);
  auto redirect = f.count("success_action_redirect") ? f.at("success_action_redirect")
                  : f.count("redirect")              ? f.at("redirect") : "";
  auto head = NewHead(call);
  head.fields.set(bhttp::field::etag, QuotedEtag(o.etag));
  SetWrittenVersionId(head, written.versioning, written.version_id);
  if (auto encryption = DecodeObjectEncryption(o.encryption)) {
    SetEncryptionHeaders(*encryption, /*with_context=*/true, head);
  }
  if (!redirect.empty()) {
    std::string query = "bucket=" + UriEncode(o.bucket) + "&key=" + UriEncode(o.key) + "&etag=" +
                        UriEncode(QuotedEtag(o.etag));
    head.status = bhttp::status::see_other;
    head.fields.set(bhttp::field::location, redirect + (redirect.find('?') == std::string::npos ? "?" : "&") + query);
    co_return co_await RespondEmpty(call, std::move(head));
  }
  head.fields.set(bhttp::field::location, location);
  std::string status = f.count("success_action_status") ? f.at("success_action_status") : "";
  if (status == "201") {
    xml::Writer w("PostResponse");
    w.Element("Location", location).Element("Bucket", o.bucket).Element("Key", o.key).Element("ETag", QuotedEtag(o.etag));
    head.status = bhttp::status::created;
    head.fields.set(bhttp::field::content_type, "application/xml");
    co_return co_await call.response.Respond(std::move(head), w.Finish());
  }
  head.status = status == "200" ? bhttp::status::ok : bhttp::status::no_content;
  co_return co_await RespondEmpty(call, std::move(head));
}

// An admitted upload: its policy (none for an unsigned form) and how to authorize more actions
// as the one who uploads (the form's signer; for an unsigned form, the anonymous caller), e.g.
// SSE-KMS's kms:GenerateDataKey.
struct Admission {
  std::optional<PostPolicy> policy;
  AuthorizeFn authorize;
  std::string writer_account;  // whose object it becomes under ObjectWriter
};

// Checks the fields (policy, signature, key) and authorizes the upload.
Result<Admission> Admit(S3Env& env, S3Call& call, FormFields& fields, const std::string& key) {
  if (!fields.count("policy")) {
    KURA_TRY(call.authorize("s3:PutObject", "arn:aws:s3:::" + call.request.bucket + "/" + key));
    return Admission{std::nullopt, call.authorize, std::string(CallerAccount(env, call))};
  }
  auto signer = VerifySigner(env, fields);
  if (!signer) return signer.error();
  auto policy = ParsePostPolicy(fields["policy"], env.clock.Now());
  if (!policy) return policy.error();
  FormFields checked = fields;
  // A v2 form's signing fields need no condition, as x-amz-signature needs none in a v4 form.
  if (SignedWithV2(env, fields)) {
    checked.erase("awsaccesskeyid");
    checked.erase("signature");
  }
  checked["bucket"] = call.request.bucket;
  checked["key"] = key;
  KURA_TRY(CheckPostPolicy(*policy, checked));
  if (!call.authorize_as) return MakeError(ErrorCode::kAccessDenied);
  KURA_TRY(call.authorize_as(*signer->principal, signer->grants.get(), "s3:PutObject", "arn:aws:s3:::" + call.request.bucket + "/" + key));
  AuthorizeFn as_signer = [&call, principal = signer->principal, grants = signer->grants](
                              std::string_view action, std::string_view resource) {
    return call.authorize_as(*principal, grants.get(), action, resource);
  };
  return Admission{std::move(*policy), std::move(as_signer), signer->principal->account_id};
}

net::awaitable<Result<void>> ReceivePost(S3Env& env, S3Call& call) {
  auto boundary = BoundaryOf(call.Header("content-type"));
  if (!boundary) co_return boundary.error();
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  FormReader form(call.body, *boundary);
  FormFields fields;
  auto file = co_await form.ReadFields(fields);
  if (!file) co_return file.error();
  if (!fields.count("key")) {
    co_return MakeError(ErrorCode::kInvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
  }
  std::string key = fields["key"];
  if (size_t at = key.find("${filename}"); at != std::string::npos) key.replace(at, 11, file->filename);
  KURA_CO_TRY(ValidateObjectKey(key));
  auto admission = Admit(env, call, fields, key);
  if (!admission) co_return admission.error();
  const std::optional<PostPolicy>& policy = admission->policy;
  KURA_CO_TRY(CheckFormFields(env, call, fields));
  auto record = RecordFromForm(fields, file->content_type);
  if (!record) co_return record.error();
  auto acl = NewObjectAcl(env, admission->writer_account, AclRequestOfForm(fields), *bucket);
  if (!acl) co_return acl.error();
  record->acl = std::move(*acl);
  KURA_CO_TRY(CheckObjectLockWrite(env, call, *bucket, *record, /*needs_integrity=*/false));

  auto range = policy ? ContentLengthRange(*policy) : std::nullopt;
  uint64_t max = range ? std::min(range->second, limits::kMaxSinglePutBytes) : limits::kMaxSinglePutBytes;
  // The form's x-amz-server-side-encryption* fields ask for encryption as PutObject's headers do.
  HeaderLookup field = [&fields](std::string_view name) -> std::string_view {
    auto it = fields.find(std::string(name));
    return it == fields.end() ? std::string_view() : std::string_view(it->second);
  };
  auto encryption = PrepareFormEncryption(env, call, field, key, bucket->encryption, admission->authorize,
                                          admission->writer_account);
  if (!encryption) co_return encryption.error();
  record->encryption = EncodeObjectEncryption(encryption->stored);
  auto object_writer = NewObjectWriter(env, *encryption, store::Placement::kInlineIfSmall);
  if (!object_writer) co_return object_writer.error();
  auto& writer = object_writer->writer;
  Hasher md5(HashAlgorithm::kMd5);
  KURA_CO_TRY(co_await form.ReadFile([&](std::string_view bytes) -> Result<void> {
    md5.Update(bytes);
    if (writer->size() + bytes.size() > max) {
      return MakeError(ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size");
    }
    return writer->Append(bytes);
  }));
  if (range && writer->size() < range->first) {
    co_return MakeError(ErrorCode::kEntityTooSmall, "Your proposed upload is smaller than the minimum allowed size");
  }
  // (No co_await inside a conditional expression: GCC 12 miscompiles its temporaries.)
  Result<store::BlobRef> blob = MakeError(ErrorCode::kInternalError);
  if (writer->size() + crypt::kSmallBlobOverhead <= store::kInlineThreshold) {
    blob = writer->Seal();
  } else {
    blob = co_await RunBlocking(env.blocking, [&writer] { return writer->Seal(); });
  }
  if (!blob) co_return blob.error();
  record->bucket = call.request.bucket;
  record->key = key;
  record->size = blob->size;
  record->etag = object_writer->EtagOf(HexLower(md5.Finish()));
  record->last_modified = env.clock.Now();
  record->blob = *blob;
  auto written = co_await CommitObject(env, call, *record, {});
  if (!written) co_return written.error();
  co_return co_await Respond(call, fields, *record, *written);
}

}  // namespace

net::awaitable<Result<void>> PostObject(S3Env& env, S3Call& call) {
  auto result = co_await ReceivePost(env, call);
  // A refused form may leave body bytes unread: the connection cannot be reused.
  if (!result) call.response.CloseAfterResponse();
  co_return result;
}

}  // namespace kura::s3
