// The IAM identity model: the accounts of this kura (docs/accounts.md), and in each its users,
// groups, roles and managed policies, as one immutable IdentitySnapshot per account, gathered in
// an IdentityDirectory (which account holds which access key). Every policy document in it is compiled when it is written or
// loaded, so the request path parses no JSON and reads no database: it takes the current
// snapshot (IdentitySource::Current, a lock-free atomic load) and looks things up.
// Entities and their fields follow the IAM API
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html, API_Role.html, …).
// Names of users, groups, roles and policies are unique case-insensitively, as in AWS; lookups
// by name ignore case. Thread-safety: a snapshot is immutable; share it freely.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/secret.h"
#include "iam/oidc_provider.h"
#include "policy/compiled_policy.h"

namespace kura::iam {

using CompiledPolicyPtr = std::shared_ptr<const policy::CompiledPolicy>;

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

struct AccessKey {
  std::string id;  // AKIA…
  Secret secret;   // 40 characters; shown to the client only by CreateAccessKey
  bool active = true;
  TimePoint created;
};

// A policy embedded in a user, group or role (PutUserPolicy …).
struct InlinePolicy {
  std::string name;
  std::string document;  // the JSON text as given (returned URL-encoded by Get…Policy)
  CompiledPolicyPtr compiled;
};

struct User {
  std::string name;
  std::string path = "/";
  std::string id;   // AIDA…
  std::string arn;  // arn:aws:iam::ACCT:user/PATH/NAME
  TimePoint created;
  std::vector<Tag> tags;
  std::string boundary_arn;                       // "" = no permissions boundary
  std::vector<std::string> groups;                // group names, in the order joined
  std::vector<InlinePolicy> inline_policies;      // by name
  std::vector<std::string> attached_policy_arns;  // in attachment order
  std::vector<AccessKey> access_keys;             // at most limits::kMaxAccessKeysPerUser
};

struct Group {
  std::string name;
  std::string path = "/";
  std::string id;   // AGPA…
  std::string arn;  // arn:aws:iam::ACCT:group/PATH/NAME
  TimePoint created;
  std::vector<InlinePolicy> inline_policies;
  std::vector<std::string> attached_policy_arns;
};

struct Role {
  std::string name;
  std::string path = "/";
  std::string id;   // AROA…
  std::string arn;  // arn:aws:iam::ACCT:role/PATH/NAME
  std::string description;
  int max_session_duration = 3600;  // seconds, 3600–43200
  TimePoint created;
  std::string trust_policy_document;  // AssumeRolePolicyDocument as given
  CompiledPolicyPtr trust_policy;     // compiled as policy::PolicyKind::kTrust
  std::vector<InlinePolicy> inline_policies;
  std::vector<std::string> attached_policy_arns;
  std::string boundary_arn;
  std::vector<Tag> tags;
};

struct PolicyVersion {
  std::string version_id;  // "v1", "v2", …
  std::string document;
  TimePoint created;
  CompiledPolicyPtr compiled;
};

struct ManagedPolicy {
  std::string name;
  std::string path = "/";
  std::string id;   // ANPA…
  std::string arn;  // arn:aws:iam::ACCT:policy/PATH/NAME
  std::string description;
  TimePoint created;
  TimePoint updated;
  std::string default_version_id;
  int next_version = 2;                // the number the next CreatePolicyVersion gets
  std::vector<PolicyVersion> versions;  // at most limits::kMaxPolicyVersions, oldest first
  std::vector<Tag> tags;

  const PolicyVersion* DefaultVersion() const;
  // The compiled default version; never null in a published snapshot.
  const policy::CompiledPolicy* compiled() const;
};

// An account (AWS Organizations' Account: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
// The first account of a data dir is the organization's management account; its root key is
// DATA/root-credentials (api/root_credentials.h). Every other account's root key is kept here,
// its secret sealed in the store like users' secrets. A closed account (SUSPENDED) keeps its
// state, but none of its credentials is accepted and its buckets answer nobody.
enum class AccountStatus { kActive, kSuspended };

struct AccountInfo {
  std::string id{};  // 12 digits
  std::string name{};
  std::string email{};
  AccountStatus status = AccountStatus::kActive;
  bool management = false;
  TimePoint joined{};
  TimePoint closed{};                   // when status became kSuspended
  std::optional<AccessKey> root_key{};  // member accounts only
  bool active() const { return status == AccountStatus::kActive; }
};

// The mutable state the write path edits; keyed by lower-cased name (IAM names are
// case-insensitively unique). Entities are shared between successive states, so a copy is cheap
// and an edit replaces only the entity it touches.
struct IdentityState {
  std::string account_id;
  std::shared_ptr<const AccountInfo> account;  // never null once loaded
  std::map<std::string, std::shared_ptr<const User>> users;
  std::map<std::string, std::shared_ptr<const Group>> groups;
  std::map<std::string, std::shared_ptr<const Role>> roles;
  std::map<std::string, std::shared_ptr<const ManagedPolicy>> policies;
  // OpenID Connect providers, keyed by OidcProvider::key ("host/path"; iam/oidc_provider.h).
  std::map<std::string, std::shared_ptr<const OidcProvider>> oidc_providers;
};

// The compiled policies that apply to a user or a role, gathered at publish time.
struct EffectivePolicies {
  // User: own inline + attached, then each group's inline + attached. Role: inline + attached.
  std::vector<const policy::CompiledPolicy*> identity;
  const policy::CompiledPolicy* boundary = nullptr;  // null = no permissions boundary
};

class IdentitySnapshot {
 public:
  explicit IdentitySnapshot(IdentityState state);

  const IdentityState& state() const { return state_; }
  const std::string& account_id() const { return state_.account_id; }

  // Lookups; null when absent. Names match case-insensitively, ARNs and key ids exactly.
  const User* FindUser(std::string_view name) const;
  const User* FindUserByAccessKey(std::string_view access_key_id) const;
  const AccessKey* FindAccessKey(std::string_view access_key_id) const;
  const Group* FindGroup(std::string_view name) const;
  const Role* FindRoleByName(std::string_view name) const;
  const Role* FindRoleByArn(std::string_view arn) const;
  const ManagedPolicy* FindPolicy(std::string_view arn) const;
  // The default version of a managed policy, compiled; null when there is no such policy.
  const policy::CompiledPolicy* FindCompiledPolicy(std::string_view arn) const;

  // The policies that apply to a user's / role's requests; empty when unknown.
  const EffectivePolicies& ForUser(const User& user) const;
  const EffectivePolicies& ForRole(const Role& role) const;
  // Names of the users in a group, sorted.
  std::vector<std::string> GroupMembers(std::string_view group_name) const;
  // How many users, groups and roles attach the managed policy (AttachmentCount), and how many
  // use it as permissions boundary (PermissionsBoundaryUsageCount).
  int AttachmentCount(std::string_view policy_arn) const;
  int BoundaryUsageCount(std::string_view policy_arn) const;

 private:
  IdentityState state_;
  std::unordered_map<std::string, const User*> users_by_key_;
  std::unordered_map<std::string, const AccessKey*> keys_by_id_;
  std::unordered_map<std::string, const User*> key_owners_;
  std::unordered_map<std::string, const Role*> roles_by_arn_;
  std::unordered_map<std::string, const ManagedPolicy*> policies_by_arn_;
  std::unordered_map<const User*, EffectivePolicies> user_policies_;
  std::unordered_map<const Role*, EffectivePolicies> role_policies_;
  std::unordered_map<std::string, int> attachment_counts_;
  std::unordered_map<std::string, int> boundary_counts_;
};

// Every account's snapshot at one moment, and which account holds which access key (users'
// keys and member accounts' root keys: key ids are unique across accounts). Both tables are
// sorted vectors, not node containers: every IAM write publishes a new directory, and copying
// node-based maps of every account and key on each write churned the heap enough to slow every
// request's malloc afterwards (bench/accounts.py measured +30% CPU per GET at 1 000 accounts).
class IdentityDirectory {
 public:
  using Entry = std::pair<std::string, std::shared_ptr<const IdentitySnapshot>>;

  IdentityDirectory(std::string management_account_id,
                    std::map<std::string, std::shared_ptr<const IdentitySnapshot>> accounts);
  // A copy with `snapshot` replacing its account's (or added).
  std::shared_ptr<const IdentityDirectory> With(std::shared_ptr<const IdentitySnapshot> snapshot) const;

  const std::string& management_account_id() const { return management_account_id_; }
  // Null when there is no such account (closed ones are found: check AccountInfo::active).
  const std::shared_ptr<const IdentitySnapshot>* Find(std::string_view account_id) const;
  // The account whose user or root holds the key; null when none does.
  const IdentitySnapshot* AccountOfKey(std::string_view access_key_id) const;
  // By account id, ascending.
  const std::vector<Entry>& accounts() const { return accounts_; }

 private:
  IdentityDirectory() = default;
  void IndexKeys();

  std::string management_account_id_;
  std::vector<Entry> accounts_;
  // (key id, its account), sorted by key id; the views point into the snapshots' AccessKey ids,
  // which accounts_ keeps alive.
  std::vector<std::pair<std::string_view, const IdentitySnapshot*>> keys_;
};

// Where the request path gets the current snapshots (IdentityStore in identity_store.h
// implements it). Thread-safety: may be called from any thread at any time.
class IdentitySource {
 public:
  virtual ~IdentitySource() = default;
  // The latest durable state of every account; never null.
  virtual std::shared_ptr<const IdentityDirectory> Directory() const = 0;
  // The account's latest durable snapshot; null when there is no such account.
  std::shared_ptr<const IdentitySnapshot> Current(std::string_view account_id) const;
};

// ARNs as AWS forms them: arn:aws:iam::ACCT:KIND/PATH/NAME with PATH "/" or "/a/b/".
std::string IamArn(std::string_view account_id, std::string_view kind, std::string_view path,
                   std::string_view name);

// ASCII lower-case, the key of names in IdentityState.
std::string NameKey(std::string_view name);

}  // namespace kura::iam
