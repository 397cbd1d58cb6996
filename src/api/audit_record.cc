#include "api/audit_record.h"

#include <array>

#include "api/audit_json.h"
#include "common/time_format.h"

namespace kura::api {
namespace {
constexpr std::string_view kEventVersion = "1.09";

// CloudTrail's session attributes: kura has no MFA, so no session is MFA-authenticated.
void WriteSessionAttributes(JsonWriter& w, const SessionInfo& session) {
  w.BeginObject("attributes");
  w.String("creationDate", FormatIso8601Seconds(session.issued_at));
  w.String("mfaAuthenticated", "false");
  w.EndObject();
}

// The provider's condition keys the token carried (HOST/PATH:sub → values), as CloudTrail lists
// them under webIdFederationData.attributes; several values are joined with commas.
void WriteWebIdFederationData(JsonWriter& w, const SessionInfo& session) {
  w.BeginObject("webIdFederationData");
  if (!session.federated_provider.empty()) {
    w.String("federatedProvider", session.federated_provider);
    w.BeginObject("attributes");
    for (const auto& [key, values] : session.web_identity_context) {
      std::string joined;
      for (const auto& v : values) joined.append(joined.empty() ? "" : ",").append(v);
      w.String(key, joined);
    }
    w.EndObject();
  }
  w.EndObject();
}

// A role session: who issued it (the role) and when.
void WriteRoleSessionContext(JsonWriter& w, const Principal& p, const SessionInfo& s) {
  w.BeginObject("sessionContext");
  w.BeginObject("sessionIssuer");
  w.String("type", "Role");
  w.String("principalId", s.role_id);
  w.String("arn", s.role_arn);
  w.String("accountId", p.account_id);
  w.String("userName", s.role_name);
  w.EndObject();
  WriteWebIdFederationData(w, s);
  WriteSessionAttributes(w, s);
  w.StringIfSet("sourceIdentity", s.source_identity);
  w.EndObject();
}

void WriteAnonymous(JsonWriter& w, const AuditEvent& e) {
  if (e.web_identity != nullptr && !e.web_identity->provider.empty()) {
    // AssumeRoleWithWebIdentity's caller: principalId is provider:audience:subject.
    const WebIdentityCaller& c = *e.web_identity;
    w.String("type", "WebIdentityUser");
    w.String("principalId", c.provider + ":" + c.audience + ":" + c.subject);
    w.String("userName", c.subject);
    w.String("identityProvider", c.provider);
    return;
  }
  // S3's form for an unsigned request (and kura's for one refused before it was authenticated:
  // with the access key id it presented, which no longer names a caller kura vouches for).
  w.String("type", "AWSAccount");
  w.String("principalId", "");
  w.String("accountId", "anonymous");
  w.StringIfSet("accessKeyId", e.presented_access_key_id);
}

// CloudTrail's userIdentity.type of a signed caller.
std::string_view IdentityType(PrincipalType type) {
  switch (type) {
    case PrincipalType::kRoot:
      return "Root";
    case PrincipalType::kUser:
      return "IAMUser";
    case PrincipalType::kAssumedRole:
      return "AssumedRole";
    case PrincipalType::kFederatedUser:
      return "FederatedUser";
    case PrincipalType::kAnonymous:
      break;
  }
  return "AWSAccount";  // an anonymous caller (WriteAnonymous)
}

void WriteUserIdentity(JsonWriter& w, const AuditEvent& e) {
  w.BeginObject("userIdentity");
  const Principal* p = e.principal;
  if (p == nullptr || p->IsAnonymous()) {
    WriteAnonymous(w, e);
  } else if (!e.recipient_account.empty() && !p->account_id.empty() &&
             e.recipient_account != p->account_id) {
    // The resource owner's view of a caller from another account: the account and the
    // caller's id, not its name or key.
    w.String("type", "AWSAccount");
    w.String("principalId", p->user_id);
    w.String("accountId", p->account_id);
  } else {
    w.String("type", IdentityType(p->type));
    w.String("principalId",
             p->type == PrincipalType::kRoot && p->user_id.empty() ? p->account_id : p->user_id);
    w.String("arn", p->arn);
    w.String("accountId", p->account_id);
    w.StringIfSet("accessKeyId", p->access_key_id);
    if (p->type == PrincipalType::kUser) w.String("userName", p->user_name);
    if (p->session && p->type == PrincipalType::kAssumedRole) {
      WriteRoleSessionContext(w, *p, *p->session);
    } else if (p->session) {
      // GetSessionToken's session of a user or the root: the identity itself, with the
      // session's creation time.
      w.BeginObject("sessionContext");
      WriteSessionAttributes(w, *p->session);
      w.EndObject();
    }
  }
  w.EndObject();
}

void WriteRequestParameters(JsonWriter& w, const AuditEvent& e) {
  if (e.request_parameters == nullptr) {
    w.Null("requestParameters");
    return;
  }
  w.BeginObject("requestParameters");
  for (const AuditParam& param : *e.request_parameters) {
    if (param.number) {
      w.Raw(param.name, param.value);
    } else {
      w.String(param.name, param.value);
    }
  }
  w.EndObject();
}

bool IsReadOnly(std::string_view api, std::string_view op) {
  // STS issues and describes credentials but changes no resource: CloudTrail marks its
  // events read-only, as it does KMS's cryptographic operations.
  if (api == "sts") return true;
  static constexpr std::array<std::string_view, 5> kPrefixes = {"Get", "List", "Head", "Describe",
                                                                "Simulate"};
  for (auto prefix : kPrefixes) {
    if (op.starts_with(prefix)) return true;
  }
  return api == "kms" && (op == "Encrypt" || op == "Decrypt" || op.starts_with("GenerateDataKey"));
}

void WriteS3Details(JsonWriter& w, const AuditEvent& e) {
  w.BeginObject("additionalEventData");
  w.StringIfSet("SignatureVersion", e.signature_version);
  w.Number("bytesTransferredIn", e.bytes_in);
  w.StringIfSet("AuthenticationMethod", e.authentication_method);
  w.String("x-amz-id-2", e.request_id);
  w.Number("bytesTransferredOut", e.bytes_out);
  w.EndObject();
}

void WriteResources(JsonWriter& w, const AuditEvent& e, std::string_view recipient) {
  std::string out;
  if (e.api == "s3" && !e.bucket.empty()) {
    std::string bucket_arn = "arn:aws:s3:::" + std::string(e.bucket);
    out += '[';
    if (!e.key.empty()) {
      out += R"({"type":"AWS::S3::Object","ARN":)";
      AppendJsonString(out, bucket_arn + "/" + std::string(e.key));
      out += "},";
    }
    out += R"({"accountId":)";
    AppendJsonString(out, recipient);
    out += R"(,"type":"AWS::S3::Bucket","ARN":)";
    AppendJsonString(out, bucket_arn);
    out += "}]";
  } else if (e.api == "sts" && e.request_parameters != nullptr) {
    for (const AuditParam& param : *e.request_parameters) {
      if (param.name != "roleArn") continue;
      out += R"([{"ARN":)";
      AppendJsonString(out, param.value);
      out += R"(,"accountId":)";
      AppendJsonString(out, recipient);
      out += R"(,"type":"AWS::IAM::Role"}])";
    }
  }
  if (!out.empty()) w.Raw("resources", out);
}
}  // namespace

bool IsS3DataEvent(std::string_view op) {
  // "Logging data events" for S3: object-level operations and the listings of a bucket's
  // objects and uploads.
  static constexpr std::array<std::string_view, 8> kBucketLevelData = {
      "ListObjects",   "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads",
      "DeleteObjects", "PostObject",    "HeadBucket",         "SelectObjectContent"};
  for (auto name : kBucketLevelData) {
    if (op == name) return true;
  }
  if (op.ends_with("ObjectLockConfiguration")) return false;  // a bucket's setting
  return op.find("Object") != std::string_view::npos ||
         op.find("Multipart") != std::string_view::npos || op == "UploadPart" ||
         op == "UploadPartCopy" || op == "ListParts";
}

std::string RenderCloudTrailRecord(const AuditEvent& e) {
  std::string out;
  out.reserve(1024);  // a typical record: one allocation
  JsonWriter w(out);
  std::string_view recipient = e.recipient_account;
  if (recipient.empty() && e.principal != nullptr) recipient = e.principal->account_id;
  w.BeginObject();
  w.String("eventVersion", kEventVersion);
  WriteUserIdentity(w, e);
  w.String("eventTime", FormatIso8601Seconds(e.time));
  w.String("eventSource", std::string(e.api) + ".amazonaws.com");
  w.String("eventName", e.operation);
  w.String("awsRegion", e.region);
  w.String("sourceIPAddress", e.source_ip);
  w.String("userAgent", e.user_agent);
  if (!e.error_code.empty()) {
    w.String("errorCode", e.error_code);
    w.String("errorMessage", e.error_message);
  }
  WriteRequestParameters(w, e);
  if (e.response_elements.empty()) {
    w.Null("responseElements");
  } else {
    w.Raw("responseElements", e.response_elements);
  }
  bool s3 = e.api == "s3";
  if (s3) WriteS3Details(w, e);
  w.String("requestID", e.request_id);
  w.String("eventID", e.event_id);
  w.Bool("readOnly", IsReadOnly(e.api, e.operation));
  WriteResources(w, e, recipient);
  w.String("eventType", "AwsApiCall");
  bool data_event = s3 && IsS3DataEvent(e.operation);
  w.Bool("managementEvent", !data_event);
  w.String("recipientAccountId", recipient);
  w.String("eventCategory", data_event ? "Data" : "Management");
  if (e.tls) {
    w.BeginObject("tlsDetails");
    w.String("clientProvidedHostHeader", e.host);
    w.EndObject();
  }
  w.EndObject();
  out += '\n';
  return out;
}

std::string NewEventId(Random& random) {
  std::array<uint8_t, 16> b{};
  random.Fill(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += kHex[b[i] >> 4];
    id += kHex[b[i] & 0xF];
  }
  return id;
}

}  // namespace kura::api
