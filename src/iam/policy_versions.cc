// CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion,
// DeletePolicyVersion. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
// At most limits::kMaxPolicyVersions versions; the default one cannot be deleted.
#include "common/limits.h"
#include "common/time_format.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

Error NoSuchVersion(std::string_view arn, std::string_view version) {
  return MakeError(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " version " +
                                                 std::string(version) +
                                                 " does not exist or is not attachable.");
}

void WriteVersion(xml::Writer& w, const ManagedPolicy& p, const PolicyVersion& v, bool document) {
  if (document) w.Element("Document", PolicyDocumentText(v.document));
  w.Element("VersionId", v.version_id)
      .Bool("IsDefaultVersion", v.version_id == p.default_version_id)
      .Element("CreateDate", FormatIso8601Seconds(v.created));
}

}  // namespace

net::awaitable<Result<std::string>> CreatePolicyVersion(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  bool make_default = call.Param("SetAsDefault") == "true";
  auto submitted =
      ReadPolicyDocument(call, "PolicyDocument", limits::kMaxManagedPolicyChars, *arn);
  if (!submitted) co_return submitted.error();
  PolicyVersion created;
  std::shared_ptr<const ManagedPolicy> after;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    const ManagedPolicy* found = FindPolicyIn(s, *arn);
    if (found == nullptr) return NoSuchPolicy(*arn);
    if (found->versions.size() >= static_cast<size_t>(limits::kMaxPolicyVersions)) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "A managed policy can have up to " +
                           std::to_string(limits::kMaxPolicyVersions) +
                           " versions. Before you create a new version, you must delete an "
                           "existing version.");
    }
    ManagedPolicy& p = Edit(s.policies, NameKey(found->name));
    created = PolicyVersion{"v" + std::to_string(p.next_version++), submitted->document,
                            call.now(), submitted->compiled};
    p.versions.push_back(created);
    if (make_default) p.default_version_id = created.version_id;
    p.updated = created.created;
    after = s.policies.at(NameKey(p.name));
    return Ok();
  }));
  auto& w = call.Start();
  w.Open("PolicyVersion");
  WriteVersion(w, *after, created, false);
  w.Close("PolicyVersion");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> GetPolicyVersion(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  auto version = call.Required("VersionId", "versionId");
  if (!version) co_return version.error();
  const ManagedPolicy* p = call.snapshot().FindPolicy(*arn);
  if (p == nullptr) co_return NoSuchVersion(*arn, *version);
  for (const PolicyVersion& v : p->versions) {
    if (v.version_id != *version) continue;
    auto& w = call.Start();
    w.Open("PolicyVersion");
    WriteVersion(w, *p, v, true);
    w.Close("PolicyVersion");
    co_return call.Finish();
  }
  co_return NoSuchVersion(*arn, *version);
}

net::awaitable<Result<std::string>> ListPolicyVersions(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  const ManagedPolicy* p = call.snapshot().FindPolicy(*arn);
  if (p == nullptr) co_return NoSuchPolicy(*arn);
  auto& w = call.Start();
  w.Open("Versions");
  // Newest first, as AWS lists them.
  for (auto it = p->versions.rbegin(); it != p->versions.rend(); ++it) {
    w.Open("member");
    WriteVersion(w, *p, *it, false);
    w.Close("member");
  }
  w.Close("Versions").Bool("IsTruncated", false);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> SetDefaultPolicyVersion(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  auto version = call.Required("VersionId", "versionId");
  if (!version) co_return version.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    const ManagedPolicy* found = FindPolicyIn(s, *arn);
    if (found == nullptr) return NoSuchPolicy(*arn);
    bool exists = std::any_of(found->versions.begin(), found->versions.end(),
                              [&](const PolicyVersion& v) { return v.version_id == *version; });
    if (!exists) return NoSuchVersion(*arn, *version);
    ManagedPolicy& p = Edit(s.policies, NameKey(found->name));
    p.default_version_id = *version;
    p.updated = call.now();
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> DeletePolicyVersion(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  auto version = call.Required("VersionId", "versionId");
  if (!version) co_return version.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    const ManagedPolicy* found = FindPolicyIn(s, *arn);
    if (found == nullptr) return NoSuchPolicy(*arn);
    if (found->default_version_id == *version) {
      return MakeError(ErrorCode::kDeleteConflict, "Cannot delete the default version of a policy.");
    }
    ManagedPolicy& p = Edit(s.policies, NameKey(found->name));
    auto it = std::find_if(p.versions.begin(), p.versions.end(),
                           [&](const PolicyVersion& v) { return v.version_id == *version; });
    if (it == p.versions.end()) return NoSuchVersion(*arn, *version);
    p.versions.erase(it);
    return Ok();
  }));
  co_return call.Empty();
}

}  // namespace kura::iam::handlers
