#include "iam/iam_entities.h"

#include "common/encoding.h"
#include "common/time_format.h"
#include "iam/identity_codec.h"

namespace kura::iam {

Error NoSuchEntity(std::string_view entity, std::string_view name) {
  return MakeError(ErrorCode::kNoSuchEntity, "The " + std::string(entity) + " with name " +
                                                 std::string(name) + " cannot be found.");
}

Error NoSuchPolicy(std::string_view arn) {
  return MakeError(ErrorCode::kNoSuchEntity,
                   "Policy " + std::string(arn) + " does not exist or is not attachable.");
}

Error AlreadyExists(std::string_view entity, std::string_view name) {
  return MakeError(ErrorCode::kEntityAlreadyExists,
                   std::string(entity) + " with name " + std::string(name) + " already exists.");
}

std::string PolicyDocumentText(std::string_view document) { return UriEncode(document); }

void WriteTags(xml::Writer& w, const std::vector<Tag>& tags) {
  w.Open("Tags");
  for (const Tag& t : tags) {
    w.Open("member").Element("Key", t.key).Element("Value", t.value).Close("member");
  }
  w.Close("Tags");
}

void WriteBoundary(xml::Writer& w, const std::string& boundary_arn) {
  if (boundary_arn.empty()) return;
  w.Open("PermissionsBoundary")
      .Element("PermissionsBoundaryType", "Policy")
      .Element("PermissionsBoundaryArn", boundary_arn)
      .Close("PermissionsBoundary");
}

void WriteUser(xml::Writer& w, const User& user, bool with_tags) {
  w.Element("Path", user.path)
      .Element("UserName", user.name)
      .Element("UserId", user.id)
      .Element("Arn", user.arn)
      .Element("CreateDate", FormatIso8601Seconds(user.created));
  WriteBoundary(w, user.boundary_arn);
  if (with_tags && !user.tags.empty()) WriteTags(w, user.tags);
}

void WriteGroup(xml::Writer& w, const Group& group) {
  w.Element("Path", group.path)
      .Element("GroupName", group.name)
      .Element("GroupId", group.id)
      .Element("Arn", group.arn)
      .Element("CreateDate", FormatIso8601Seconds(group.created));
}

void WriteRole(xml::Writer& w, const Role& role, bool full) {
  w.Element("Path", role.path)
      .Element("RoleName", role.name)
      .Element("RoleId", role.id)
      .Element("Arn", role.arn)
      .Element("CreateDate", FormatIso8601Seconds(role.created))
      .Element("AssumeRolePolicyDocument", PolicyDocumentText(role.trust_policy_document));
  if (!role.description.empty()) w.Element("Description", role.description);
  w.Element("MaxSessionDuration", static_cast<uint64_t>(role.max_session_duration));
  WriteBoundary(w, role.boundary_arn);
  if (full) {
    if (!role.tags.empty()) WriteTags(w, role.tags);
    w.Open("RoleLastUsed").Close("RoleLastUsed");
  }
}

void WritePolicy(xml::Writer& w, const ManagedPolicy& policy, const IdentitySnapshot& snapshot,
                 bool with_description) {
  w.Element("PolicyName", policy.name)
      .Element("PolicyId", policy.id)
      .Element("Arn", policy.arn)
      .Element("Path", policy.path)
      .Element("DefaultVersionId", policy.default_version_id)
      .Element("AttachmentCount", static_cast<uint64_t>(snapshot.AttachmentCount(policy.arn)))
      .Element("PermissionsBoundaryUsageCount",
               static_cast<uint64_t>(snapshot.BoundaryUsageCount(policy.arn)))
      .Bool("IsAttachable", true);
  if (with_description && !policy.description.empty()) w.Element("Description", policy.description);
  w.Element("CreateDate", FormatIso8601Seconds(policy.created))
      .Element("UpdateDate", FormatIso8601Seconds(policy.updated));
  if (with_description && !policy.tags.empty()) WriteTags(w, policy.tags);
}

}  // namespace kura::iam

namespace kura::iam {

std::string UserResource(const IdentitySnapshot& snapshot, std::string_view name) {
  const User* u = snapshot.FindUser(name);
  return u != nullptr ? u->arn : IamArn(snapshot.account_id(), "user", "/", name);
}

std::string GroupResource(const IdentitySnapshot& snapshot, std::string_view name) {
  const Group* g = snapshot.FindGroup(name);
  return g != nullptr ? g->arn : IamArn(snapshot.account_id(), "group", "/", name);
}

std::string RoleResource(const IdentitySnapshot& snapshot, std::string_view name) {
  const Role* r = snapshot.FindRoleByName(name);
  return r != nullptr ? r->arn : IamArn(snapshot.account_id(), "role", "/", name);
}

}  // namespace kura::iam

namespace kura::iam {

const ManagedPolicy* FindPolicyIn(const IdentityState& state, std::string_view arn) {
  size_t slash = arn.rfind('/');
  if (slash == std::string_view::npos) return nullptr;
  auto it = state.policies.find(NameKey(arn.substr(slash + 1)));
  if (it == state.policies.end() || it->second->arn != arn) return nullptr;
  return it->second.get();
}

Result<std::string> UserNameOrCaller(const IamCall& call) {
  if (call.Has("UserName")) return call.Name("UserName", "userName");
  const Principal& caller = call.principal();
  if (caller.type == PrincipalType::kUser && !caller.session) return caller.user_name;
  return MakeError(ErrorCode::kValidationError,
                   "Must specify userName when calling with non-User credentials");
}

}  // namespace kura::iam

namespace kura::iam {

Result<SubmittedPolicy> ReadPolicyDocument(const IamCall& call, std::string_view param,
                                           size_t max_chars, std::string policy_id,
                                           std::string too_large) {
  std::string member(param);
  if (!member.empty()) member[0] = static_cast<char>(member[0] - 'A' + 'a');
  auto document = call.Required(param, member);
  if (!document) return document.error();
  if (document->empty()) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value '' at '" + member +
                         "' failed to satisfy constraint: Member must have length greater than "
                         "or equal to 1");
  }
  size_t chars = 0;
  for (char c : *document) chars += (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : 1;
  if (chars > max_chars) {
    if (too_large.empty()) too_large = "Cannot exceed quota for PolicySize: " + std::to_string(max_chars);
    return MakeError(ErrorCode::kLimitExceeded, std::move(too_large));
  }
  auto compiled = CompileIdentityPolicy(*document, std::move(policy_id));
  if (!compiled) return compiled.error();
  return SubmittedPolicy{std::move(*document), std::move(*compiled)};
}

}  // namespace kura::iam
