#include "iam/identity_codec.h"

#include <boost/json.hpp>

#include "policy/arn.h"
#include "policy/policy.h"

namespace kura::iam {
namespace json = boost::json;

namespace {

int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint FromMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

json::array TagsJson(const std::vector<Tag>& tags) {
  json::array out;
  for (const Tag& t : tags) out.push_back(json::object{{"k", t.key}, {"v", t.value}});
  return out;
}

json::array InlineJson(const std::vector<InlinePolicy>& policies) {
  json::array out;
  for (const InlinePolicy& p : policies) out.push_back(json::object{{"n", p.name}, {"d", p.document}});
  return out;
}

json::array StringsJson(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values) out.push_back(json::string(v));
  return out;
}

// Reading: a small cursor over a json::object that records the first type error.
class Reader {
 public:
  explicit Reader(const json::object& o) : o_(o) {}
  std::string Str(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return {};
    if (!v->is_string()) return Fail(), std::string();
    return std::string(v->get_string());
  }
  int64_t Int(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return 0;
    if (!v->is_int64()) return Fail(), 0;
    return v->get_int64();
  }
  TimePoint Time(std::string_view key) { return FromMillis(Int(key)); }
  const json::array& Arr(std::string_view key) {
    static const json::array kEmpty;
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return kEmpty;
    if (!v->is_array()) return Fail(), kEmpty;
    return v->get_array();
  }
  std::vector<std::string> Strings(std::string_view key) {
    std::vector<std::string> out;
    for (const json::value& v : Arr(key)) {
      if (!v.is_string()) return Fail(), out;
      out.emplace_back(v.get_string());
    }
    return out;
  }
  std::vector<Tag> Tags(std::string_view key) {
    std::vector<Tag> out;
    for (const json::value& v : Arr(key)) {
      if (!v.is_object()) return Fail(), out;
      Reader r(v.get_object());
      out.push_back(Tag{r.Str("k"), r.Str("v")});
      ok_ = ok_ && r.ok();
    }
    return out;
  }
  Result<std::vector<InlinePolicy>> Inline(std::string_view key, std::string_view owner) {
    std::vector<InlinePolicy> out;
    for (const json::value& v : Arr(key)) {
      if (!v.is_object()) return Corrupt();
      Reader r(v.get_object());
      InlinePolicy p{r.Str("n"), r.Str("d"), nullptr};
      auto compiled = CompileIdentityPolicy(p.document, std::string(owner) + "/" + p.name);
      if (!compiled || !r.ok()) return Corrupt();
      p.compiled = std::move(*compiled);
      out.push_back(std::move(p));
    }
    return out;
  }
  bool ok() const { return ok_; }
  static Error Corrupt() { return MakeError(ErrorCode::kInternalError, "corrupt IAM document"); }

 private:
  void Fail() { ok_ = false; }
  const json::object& o_;
  bool ok_ = true;
};

Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Reader::Corrupt();
  return std::move(v.get_object());
}

// A stored secret: sealed (every kura since #10), or the plaintext an older kura wrote, which is
// accepted once so that the store can seal it (IdentityStore::Open).
Result<Secret> OpenSecret(std::string_view access_key_id, std::string stored,
                          const SecretSealer& sealer, bool* has_plaintext_secret) {
  if (SecretSealer::IsSealed(stored)) return sealer.Open(access_key_id, stored);
  if (has_plaintext_secret != nullptr) *has_plaintext_secret = true;
  return Secret(std::move(stored));
}

}  // namespace

Result<CompiledPolicyPtr> CompileIdentityPolicy(std::string_view document, std::string policy_id) {
  // The id is the owner's ARN (a user's, group's, role's or managed policy's), whose account an
  // empty-account ARN in the policy names.
  std::string owner(policy::AccountOfArn(policy_id));
  return policy::ParsePolicy(document, policy::PolicyKind::kIdentity, std::move(policy_id), owner);
}

std::string EncodeUser(const User& u, const SecretSealer& sealer) {
  json::array keys;
  for (const AccessKey& k : u.access_keys) {
    keys.push_back(json::object{{"id", k.id},
                                {"secret", sealer.Seal(k.id, k.secret)},
                                {"active", k.active},
                                {"created", Millis(k.created)}});
  }
  return json::serialize(json::object{{"v", 1},
                                      {"name", u.name},
                                      {"path", u.path},
                                      {"id", u.id},
                                      {"arn", u.arn},
                                      {"created", Millis(u.created)},
                                      {"tags", TagsJson(u.tags)},
                                      {"boundary", u.boundary_arn},
                                      {"groups", StringsJson(u.groups)},
                                      {"inline", InlineJson(u.inline_policies)},
                                      {"attached", StringsJson(u.attached_policy_arns)},
                                      {"keys", std::move(keys)}});
}

std::string EncodeGroup(const Group& g) {
  return json::serialize(json::object{{"v", 1},
                                      {"name", g.name},
                                      {"path", g.path},
                                      {"id", g.id},
                                      {"arn", g.arn},
                                      {"created", Millis(g.created)},
                                      {"inline", InlineJson(g.inline_policies)},
                                      {"attached", StringsJson(g.attached_policy_arns)}});
}

std::string EncodeRole(const Role& r) {
  return json::serialize(json::object{{"v", 1},
                                      {"name", r.name},
                                      {"path", r.path},
                                      {"id", r.id},
                                      {"arn", r.arn},
                                      {"description", r.description},
                                      {"max_session", r.max_session_duration},
                                      {"created", Millis(r.created)},
                                      {"trust", r.trust_policy_document},
                                      {"inline", InlineJson(r.inline_policies)},
                                      {"attached", StringsJson(r.attached_policy_arns)},
                                      {"boundary", r.boundary_arn},
                                      {"tags", TagsJson(r.tags)}});
}

std::string EncodePolicy(const ManagedPolicy& p) {
  json::array versions;
  for (const PolicyVersion& v : p.versions) {
    versions.push_back(
        json::object{{"id", v.version_id}, {"d", v.document}, {"created", Millis(v.created)}});
  }
  return json::serialize(json::object{{"v", 1},
                                      {"name", p.name},
                                      {"path", p.path},
                                      {"id", p.id},
                                      {"arn", p.arn},
                                      {"description", p.description},
                                      {"created", Millis(p.created)},
                                      {"updated", Millis(p.updated)},
                                      {"default", p.default_version_id},
                                      {"next", p.next_version},
                                      {"versions", std::move(versions)},
                                      {"tags", TagsJson(p.tags)}});
}

std::string DocumentKind(std::string_view kind, const AccountInfo& account) {
  if (account.management) return std::string(kind);
  return std::string(kind) + "@" + account.id;
}

std::string EncodeAccount(const AccountInfo& a, const SecretSealer& sealer) {
  json::object o{{"v", 1},
                 {"id", a.id},
                 {"name", a.name},
                 {"email", a.email},
                 {"suspended", a.status == AccountStatus::kSuspended},
                 {"management", a.management},
                 {"joined", Millis(a.joined)},
                 {"closed", Millis(a.closed)}};
  if (a.root_key) {
    o["root_key"] = json::object{{"id", a.root_key->id},
                                 {"secret", sealer.Seal(a.root_key->id, a.root_key->secret)},
                                 {"active", a.root_key->active},
                                 {"created", Millis(a.root_key->created)}};
  }
  return json::serialize(o);
}

Result<std::shared_ptr<const AccountInfo>> DecodeAccount(std::string_view text,
                                                         const SecretSealer& sealer) {
  auto o = ParseObject(text);
  if (!o) return o.error();
  Reader r(*o);
  auto a = std::make_shared<AccountInfo>();
  a->id = r.Str("id");
  a->name = r.Str("name");
  a->email = r.Str("email");
  auto flag = [&o](std::string_view key) {
    const json::value* v = o->if_contains(key);
    return v != nullptr && v->is_bool() && v->get_bool();
  };
  a->status = flag("suspended") ? AccountStatus::kSuspended : AccountStatus::kActive;
  a->management = flag("management");
  a->joined = r.Time("joined");
  a->closed = r.Time("closed");
  if (const json::value* key = o->if_contains("root_key"); key != nullptr) {
    if (!key->is_object()) return Reader::Corrupt();
    Reader k(key->get_object());
    std::string id = k.Str("id");
    auto secret = sealer.Open(id, k.Str("secret"));
    if (!secret) return secret.error();
    const json::value* active = key->get_object().if_contains("active");
    a->root_key = AccessKey{std::move(id), std::move(*secret),
                            active != nullptr && active->is_bool() && active->get_bool(),
                            k.Time("created")};
    if (!k.ok()) return Reader::Corrupt();
  }
  if (!r.ok() || a->id.size() != 12) return Reader::Corrupt();
  return std::shared_ptr<const AccountInfo>(std::move(a));
}

Result<std::shared_ptr<const User>> DecodeUser(std::string_view text, const SecretSealer& sealer,
                                               bool* has_plaintext_secret) {
  auto o = ParseObject(text);
  if (!o) return o.error();
  Reader r(*o);
  auto u = std::make_shared<User>();
  u->name = r.Str("name");
  u->path = r.Str("path");
  u->id = r.Str("id");
  u->arn = r.Str("arn");
  u->created = r.Time("created");
  u->tags = r.Tags("tags");
  u->boundary_arn = r.Str("boundary");
  u->groups = r.Strings("groups");
  auto inl = r.Inline("inline", u->arn);
  if (!inl) return inl.error();
  u->inline_policies = std::move(*inl);
  u->attached_policy_arns = r.Strings("attached");
  for (const json::value& v : r.Arr("keys")) {
    if (!v.is_object()) return Reader::Corrupt();
    Reader k(v.get_object());
    const json::value* active = v.get_object().if_contains("active");
    std::string id = k.Str("id");
    auto secret = OpenSecret(id, k.Str("secret"), sealer, has_plaintext_secret);
    if (!secret) return secret.error();
    u->access_keys.push_back(AccessKey{std::move(id), std::move(*secret),
                                       active != nullptr && active->is_bool() && active->get_bool(),
                                       k.Time("created")});
    if (!k.ok()) return Reader::Corrupt();
  }
  if (!r.ok() || u->name.empty()) return Reader::Corrupt();
  return std::shared_ptr<const User>(std::move(u));
}

Result<std::shared_ptr<const Group>> DecodeGroup(std::string_view text) {
  auto o = ParseObject(text);
  if (!o) return o.error();
  Reader r(*o);
  auto g = std::make_shared<Group>();
  g->name = r.Str("name");
  g->path = r.Str("path");
  g->id = r.Str("id");
  g->arn = r.Str("arn");
  g->created = r.Time("created");
  auto inl = r.Inline("inline", g->arn);
  if (!inl) return inl.error();
  g->inline_policies = std::move(*inl);
  g->attached_policy_arns = r.Strings("attached");
  if (!r.ok() || g->name.empty()) return Reader::Corrupt();
  return std::shared_ptr<const Group>(std::move(g));
}

Result<std::shared_ptr<const Role>> DecodeRole(std::string_view text) {
  auto o = ParseObject(text);
  if (!o) return o.error();
  Reader r(*o);
  auto role = std::make_shared<Role>();
  role->name = r.Str("name");
  role->path = r.Str("path");
  role->id = r.Str("id");
  role->arn = r.Str("arn");
  role->description = r.Str("description");
  role->max_session_duration = static_cast<int>(r.Int("max_session"));
  role->created = r.Time("created");
  role->trust_policy_document = r.Str("trust");
  auto trust = policy::ParsePolicy(role->trust_policy_document, policy::PolicyKind::kTrust,
                                   role->arn + "/trust", policy::AccountOfArn(role->arn));
  if (!trust) return Reader::Corrupt();
  role->trust_policy = std::move(*trust);
  auto inl = r.Inline("inline", role->arn);
  if (!inl) return inl.error();
  role->inline_policies = std::move(*inl);
  role->attached_policy_arns = r.Strings("attached");
  role->boundary_arn = r.Str("boundary");
  role->tags = r.Tags("tags");
  if (!r.ok() || role->name.empty()) return Reader::Corrupt();
  return std::shared_ptr<const Role>(std::move(role));
}

Result<std::shared_ptr<const ManagedPolicy>> DecodePolicy(std::string_view text) {
  auto o = ParseObject(text);
  if (!o) return o.error();
  Reader r(*o);
  auto p = std::make_shared<ManagedPolicy>();
  p->name = r.Str("name");
  p->path = r.Str("path");
  p->id = r.Str("id");
  p->arn = r.Str("arn");
  p->description = r.Str("description");
  p->created = r.Time("created");
  p->updated = r.Time("updated");
  p->default_version_id = r.Str("default");
  p->next_version = static_cast<int>(r.Int("next"));
  for (const json::value& v : r.Arr("versions")) {
    if (!v.is_object()) return Reader::Corrupt();
    Reader vr(v.get_object());
    PolicyVersion version{vr.Str("id"), vr.Str("d"), vr.Time("created"), nullptr};
    auto compiled = CompileIdentityPolicy(version.document, p->arn);
    if (!compiled || !vr.ok()) return Reader::Corrupt();
    version.compiled = std::move(*compiled);
    p->versions.push_back(std::move(version));
  }
  p->tags = r.Tags("tags");
  if (!r.ok() || p->name.empty() || p->DefaultVersion() == nullptr) return Reader::Corrupt();
  return std::shared_ptr<const ManagedPolicy>(std::move(p));
}

}  // namespace kura::iam
