#include "api/audit_parameters.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cstring>
#include <cctype>
#include <iterator>
#include <vector>

#include "api/audit_json.h"

namespace kura::api {
namespace {
struct ParamName {
  std::string_view api_name;
  bool number = false;
};

// IAM and STS parameters whose values are names, ids, ARNs, paths or settings.
constexpr ParamName kQueryParams[] = {
    {"AccessKeyId"},
    {"Description"},
    {"DurationSeconds", true},
    {"EntityFilter"},
    {"ExternalId"},
    {"GroupName"},
    {"InstanceProfileName"},
    {"Marker"},
    {"MaxItems", true},
    {"MaxSessionDuration", true},
    {"Name"},
    {"NewGroupName"},
    {"NewPath"},
    {"NewUserName"},
    {"OnlyAttached"},
    {"OpenIDConnectProviderArn"},
    {"Path"},
    {"PathPrefix"},
    {"PermissionsBoundary"},
    {"PolicyArn"},
    {"PolicyName"},
    {"PolicySourceArn"},
    {"PolicyUsageFilter"},
    {"PrincipalArn"},
    {"ProviderId"},
    {"RoleArn"},
    {"RoleName"},
    {"RoleSessionName"},
    {"Scope"},
    {"SerialNumber"},
    {"SetAsDefault"},
    {"SourceIdentity"},
    {"Status"},
    {"Url"},
    {"UserName"},
    {"VersionId"},
};
constexpr bool operator<(const ParamName& a, const ParamName& b) { return a.api_name < b.api_name; }

// S3 query parameters: subresources and listing or version selectors. Not X-Amz-* (presigned
// URLs' credential, signature and security token), nor Signature or AWSAccessKeyId.
constexpr std::string_view kS3QueryParams[] = {"acl",
                                               "attributes",
                                               "cors",
                                               "delete",
                                               "delimiter",
                                               "encoding-type",
                                               "encryption",
                                               "fetch-owner",
                                               "key-marker",
                                               "legal-hold",
                                               "lifecycle",
                                               "list-type",
                                               "location",
                                               "marker",
                                               "max-keys",
                                               "max-parts",
                                               "max-uploads",
                                               "object-lock",
                                               "ownershipControls",
                                               "part-number-marker",
                                               "partNumber",
                                               "policy",
                                               "policyStatus",
                                               "prefix",
                                               "publicAccessBlock",
                                               "retention",
                                               "start-after",
                                               "tagging",
                                               "upload-id-marker",
                                               "uploadId",
                                               "uploads",
                                               "version-id-marker",
                                               "versionId",
                                               "versioning",
                                               "versions"};

// KMS and Organizations request members (their JSON names are already PascalCase).
constexpr std::string_view kJsonParams[] = {"AccountId",
                                            "AccountName",
                                            "AliasName",
                                            "BypassPolicyLockoutSafetyCheck",
                                            "CreateAccountRequestId",
                                            "Description",
                                            "Email",
                                            "EncryptionAlgorithm",
                                            "KeyId",
                                            "KeySpec",
                                            "KeyUsage",
                                            "Limit",
                                            "Marker",
                                            "MultiRegion",
                                            "NumberOfBytes",
                                            "Origin",
                                            "ParentId",
                                            "PendingWindowInDays",
                                            "PolicyId",
                                            "RoleName",
                                            "TargetId",
                                            "TargetKeyId"};

std::string LowerCamel(std::string_view name) {
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

// XML text with the five predefined entities decoded (what xml::Writer escapes).
std::string DecodeXmlText(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  if (text.find('&') == std::string_view::npos) return std::string(text);  // the usual case
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool decoded = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i).starts_with(entity)) {
          out += c;
          i += entity.size();
          decoded = true;
          break;
        }
      }
    }
    if (!decoded) out += text[i++];
  }
  return out;
}

// The part of `xml` inside the first <name>…</name>, "" when absent. The tags are built on the
// stack: this runs several times for every STS and IAM answer that is audited.
std::string_view ElementBody(std::string_view xml, std::string_view name) {
  constexpr size_t kLongestName = 60;  // the longest in ResponseShapes is 31
  if (name.size() > kLongestName) return {};
  char open[kLongestName + 2];
  char close[kLongestName + 3];
  open[0] = close[0] = '<';
  close[1] = '/';
  std::memcpy(open + 1, name.data(), name.size());
  std::memcpy(close + 2, name.data(), name.size());
  open[name.size() + 1] = close[name.size() + 2] = '>';
  const std::string_view open_tag(open, name.size() + 2), close_tag(close, name.size() + 3);
  size_t start = xml.find(open_tag);
  if (start == std::string_view::npos) return {};
  start += open_tag.size();
  size_t end = xml.find(close_tag, start);
  return end == std::string_view::npos ? std::string_view() : xml.substr(start, end - start);
}

struct ElementField {
  std::string_view json_name;
  std::string_view xml_name;
};
// One member object of responseElements: `json_name` from the XML element `xml_parent`
// ("" for members at the top level, read from the whole answer).
struct ElementGroup {
  std::string_view json_name;
  std::string_view xml_parent;
  std::vector<ElementField> fields;
};
struct ResponseShape {
  std::string_view action;
  std::vector<ElementGroup> groups;
};

const std::vector<ResponseShape>& ResponseShapes() {
  // STS credentials: the key id and expiry only; SecretAccessKey and SessionToken never.
  static const ElementGroup kCredentials{
      "credentials", "Credentials", {{"accessKeyId", "AccessKeyId"}, {"expiration", "Expiration"}}};
  static const ElementGroup kAssumedRoleUser{
      "assumedRoleUser", "AssumedRoleUser", {{"assumedRoleId", "AssumedRoleId"}, {"arn", "Arn"}}};
  static const std::vector<ResponseShape> kShapes = {
      {"AssumeRole",
       {kCredentials,
        kAssumedRoleUser,
        {"",
         "",
         {{"packedPolicySize", "PackedPolicySize"}, {"sourceIdentity", "SourceIdentity"}}}}},
      {"AssumeRoleWithWebIdentity",
       {kCredentials,
        kAssumedRoleUser,
        {"",
         "",
         {{"subjectFromWebIdentityToken", "SubjectFromWebIdentityToken"},
          {"provider", "Provider"},
          {"audience", "Audience"},
          {"sourceIdentity", "SourceIdentity"}}}}},
      {"GetSessionToken", {kCredentials}},
      {"GetFederationToken",
       {kCredentials,
        {"federatedUser",
         "FederatedUser",
         {{"federatedUserId", "FederatedUserId"}, {"arn", "Arn"}}}}},
      {"CreateUser",
       {{"user",
         "User",
         {{"path", "Path"},
          {"userName", "UserName"},
          {"userId", "UserId"},
          {"arn", "Arn"},
          {"createDate", "CreateDate"}}}}},
      {"CreateRole",
       {{"role",
         "Role",
         {{"path", "Path"},
          {"roleName", "RoleName"},
          {"roleId", "RoleId"},
          {"arn", "Arn"},
          {"createDate", "CreateDate"}}}}},
      {"CreateGroup",
       {{"group",
         "Group",
         {{"path", "Path"},
          {"groupName", "GroupName"},
          {"groupId", "GroupId"},
          {"arn", "Arn"},
          {"createDate", "CreateDate"}}}}},
      {"CreateAccessKey",
       {{"accessKey",
         "AccessKey",
         {{"accessKeyId", "AccessKeyId"},
          {"status", "Status"},
          {"userName", "UserName"},
          {"createDate", "CreateDate"}}}}},
      {"CreatePolicy",
       {{"policy",
         "Policy",
         {{"policyName", "PolicyName"},
          {"policyId", "PolicyId"},
          {"arn", "Arn"},
          {"path", "Path"},
          {"defaultVersionId", "DefaultVersionId"},
          {"createDate", "CreateDate"}}}}},
      {"CreatePolicyVersion",
       {{"policyVersion",
         "PolicyVersion",
         {{"versionId", "VersionId"},
          {"isDefaultVersion", "IsDefaultVersion"},
          {"createDate", "CreateDate"}}}}},
      {"CreateOpenIDConnectProvider",
       {{"", "", {{"openIDConnectProviderArn", "OpenIDConnectProviderArn"}}}}},
  };
  return kShapes;
}

// `fields` of `scope` written as members; nothing for an element the answer lacks.
void WriteFields(JsonWriter& w, std::string_view scope, const std::vector<ElementField>& fields) {
  for (const ElementField& field : fields) {
    std::string_view body = ElementBody(scope, field.xml_name);
    if (!body.empty()) w.String(field.json_name, DecodeXmlText(body));
  }
}
}  // namespace

AuditParams QueryParametersForAudit(const std::map<std::string, std::string>& params) {
  AuditParams out;
  // The request's parameters (sorted, a handful) against the sorted allowlist: the order of
  // walking the allowlist, without a map lookup for each of its ~36 names.
  static_assert(std::is_sorted(std::begin(kQueryParams), std::end(kQueryParams)));
  for (const auto& [name, value] : params) {
    const ParamName* allowed = std::lower_bound(std::begin(kQueryParams), std::end(kQueryParams),
                                                ParamName{name});
    if (allowed == std::end(kQueryParams) || allowed->api_name != name) continue;
    bool numeric = allowed->number && !value.empty() &&
                   value.find_first_not_of("0123456789") == std::string::npos && value.size() <= 18;
    out.push_back({LowerCamel(allowed->api_name), value, numeric});
  }
  return out;
}

AuditParams S3ParametersForAudit(const s3::S3Request& request, std::string_view host) {
  AuditParams out;
  if (!request.bucket.empty()) out.push_back({"bucketName", request.bucket});
  out.push_back({"Host", std::string(host)});
  if (!request.key.empty()) out.push_back({"key", request.key});
  // The query (sorted, usually a handful of names; a presigned URL's X-Amz-* among them) against
  // the sorted allowlist: the same order as walking the allowlist, without its ~50 lookups.
  static_assert(std::is_sorted(std::begin(kS3QueryParams), std::end(kS3QueryParams)));
  for (const auto& [name, value] : request.query) {
    if (std::binary_search(std::begin(kS3QueryParams), std::end(kS3QueryParams),
                           std::string_view(name))) {
      out.push_back({name, value});
    }
  }
  return out;
}

AuditParams JsonParametersForAudit(std::string_view body) {
  AuditParams out;
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return out;
  const auto& members = value.as_object();
  for (std::string_view name : kJsonParams) {
    auto it = members.find(name);
    if (it == members.end()) continue;
    const auto& v = it->value();
    if (v.is_string()) {
      out.push_back({LowerCamel(name), std::string(v.as_string())});
    } else if (v.is_int64() || v.is_uint64()) {
      out.push_back({LowerCamel(name), boost::json::serialize(v), true});
    } else if (v.is_bool()) {
      out.push_back({LowerCamel(name), v.as_bool() ? "true" : "false", true});
    }
  }
  return out;
}

std::string ResponseElementsOf(std::string_view action, std::string_view xml) {
  for (const ResponseShape& shape : ResponseShapes()) {
    if (shape.action != action) continue;
    std::string out;
    JsonWriter w(out);
    w.BeginObject();
    for (const ElementGroup& group : shape.groups) {
      if (group.json_name.empty()) {
        WriteFields(w, xml, group.fields);
        continue;
      }
      std::string_view scope = ElementBody(xml, group.xml_parent);
      if (scope.empty()) continue;
      w.BeginObject(group.json_name);
      WriteFields(w, scope, group.fields);
      w.EndObject();
    }
    w.EndObject();
    return out;
  }
  return {};
}

std::string XmlElementText(std::string_view xml, std::string_view name) {
  return DecodeXmlText(ElementBody(xml, name));
}

}  // namespace kura::api
