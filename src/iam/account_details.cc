// GetAccountAuthorizationDetails: every user, group, role and managed policy with their
// policies, in one answer. https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
// Filter.member.N narrows to User, Group, Role, LocalManagedPolicy (AWSManagedPolicy: none).
// The whole account is answered in one page (IsTruncated false).
#include "common/time_format.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

void WriteInline(xml::Writer& w, std::string_view element, const std::vector<InlinePolicy>& list) {
  w.Open(element);
  for (const InlinePolicy& p : list) {
    w.Open("member")
        .Element("PolicyName", p.name)
        .Element("PolicyDocument", PolicyDocumentText(p.document))
        .Close("member");
  }
  w.Close(element);
}

void WriteAttached(xml::Writer& w, const IdentitySnapshot& snap, const std::vector<std::string>& arns) {
  w.Open("AttachedManagedPolicies");
  for (const std::string& arn : arns) {
    const ManagedPolicy* p = snap.FindPolicy(arn);
    w.Open("member")
        .Element("PolicyName", p != nullptr ? p->name : arn.substr(arn.rfind('/') + 1))
        .Element("PolicyArn", arn)
        .Close("member");
  }
  w.Close("AttachedManagedPolicies");
}

void WriteUsers(xml::Writer& w, const IdentitySnapshot& snap) {
  w.Open("UserDetailList");
  for (const auto& [key, u] : snap.state().users) {
    w.Open("member");
    WriteUser(w, *u, true);
    WriteInline(w, "UserPolicyList", u->inline_policies);
    w.Open("GroupList");
    for (const std::string& g : u->groups) w.Element("member", g);
    w.Close("GroupList");
    WriteAttached(w, snap, u->attached_policy_arns);
    w.Close("member");
  }
  w.Close("UserDetailList");
}

void WriteGroups(xml::Writer& w, const IdentitySnapshot& snap) {
  w.Open("GroupDetailList");
  for (const auto& [key, g] : snap.state().groups) {
    w.Open("member");
    WriteGroup(w, *g);
    WriteInline(w, "GroupPolicyList", g->inline_policies);
    WriteAttached(w, snap, g->attached_policy_arns);
    w.Close("member");
  }
  w.Close("GroupDetailList");
}

void WriteRoles(xml::Writer& w, const IdentitySnapshot& snap) {
  w.Open("RoleDetailList");
  for (const auto& [key, r] : snap.state().roles) {
    w.Open("member");
    WriteRole(w, *r, true);
    w.Open("InstanceProfileList").Close("InstanceProfileList");
    WriteInline(w, "RolePolicyList", r->inline_policies);
    WriteAttached(w, snap, r->attached_policy_arns);
    w.Close("member");
  }
  w.Close("RoleDetailList");
}

void WritePolicies(xml::Writer& w, const IdentitySnapshot& snap) {
  w.Open("Policies");
  for (const auto& [key, p] : snap.state().policies) {
    w.Open("member");
    WritePolicy(w, *p, snap, true);
    w.Open("PolicyVersionList");
    for (const PolicyVersion& v : p->versions) {
      w.Open("member")
          .Element("Document", PolicyDocumentText(v.document))
          .Element("VersionId", v.version_id)
          .Bool("IsDefaultVersion", v.version_id == p->default_version_id)
          .Element("CreateDate", FormatIso8601Seconds(v.created))
          .Close("member");
    }
    w.Close("PolicyVersionList").Close("member");
  }
  w.Close("Policies");
}

}  // namespace

net::awaitable<Result<std::string>> GetAccountAuthorizationDetails(IamCall& call) {
  std::vector<std::string> filter = call.List("Filter");
  for (const std::string& f : filter) {
    if (f != "User" && f != "Role" && f != "Group" && f != "LocalManagedPolicy" &&
        f != "AWSManagedPolicy") {
      co_return MakeError(ErrorCode::kValidationError,
                          "1 validation error detected: Value '[" + f +
                              "]' at 'filter' failed to satisfy constraint: Member must satisfy "
                              "constraint: [Member must satisfy enum value set: [User, Role, "
                              "LocalManagedPolicy, Group, AWSManagedPolicy]]");
    }
  }
  auto wanted = [&](std::string_view kind) {
    return filter.empty() || std::find(filter.begin(), filter.end(), kind) != filter.end();
  };
  const IdentitySnapshot& snap = call.snapshot();
  auto& w = call.Start();
  if (wanted("User")) WriteUsers(w, snap);
  if (wanted("Group")) WriteGroups(w, snap);
  if (wanted("Role")) WriteRoles(w, snap);
  if (wanted("LocalManagedPolicy")) WritePolicies(w, snap);
  w.Bool("IsTruncated", false);
  co_return call.Finish();
}

}  // namespace kura::iam::handlers
