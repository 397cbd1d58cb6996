// Shared pieces of the IAM handlers: AWS's error messages for missing and duplicate entities,
// the XML forms of users, groups, roles, policies and tags (member names as the IAM API's
// shapes), and copy-on-write editing of entities inside an IdentityStore mutation.
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/xml_writer.h"
#include "iam/iam_call.h"
#include "iam/identity_model.h"

namespace kura::iam {

// NoSuchEntity: "The user with name NAME cannot be found." (entity: "user", "group", "role").
Error NoSuchEntity(std::string_view entity, std::string_view name);
// NoSuchEntity: "Policy ARN does not exist or is not attachable."
Error NoSuchPolicy(std::string_view arn);
// EntityAlreadyExists: "User with name NAME already exists." (entity: "User", "Group", "Role").
Error AlreadyExists(std::string_view entity, std::string_view name);

// The XML forms. Documents are URL-encoded as AWS returns them.
void WriteTags(xml::Writer& w, const std::vector<Tag>& tags);
void WriteBoundary(xml::Writer& w, const std::string& boundary_arn);
void WriteUser(xml::Writer& w, const User& user, bool with_tags);
void WriteGroup(xml::Writer& w, const Group& group);
void WriteRole(xml::Writer& w, const Role& role, bool full);
void WritePolicy(xml::Writer& w, const ManagedPolicy& policy, const IdentitySnapshot& snapshot,
                 bool with_description);
std::string PolicyDocumentText(std::string_view document);  // URL-encoded

// Copy-on-write: a mutable copy of the entity stored under `key`, replacing it in the map.
template <typename T>
T& Edit(std::map<std::string, std::shared_ptr<const T>>& map, const std::string& key) {
  auto copy = std::make_shared<T>(*map.at(key));
  T& ref = *copy;
  map[key] = std::move(copy);
  return ref;
}

// Applies `fn` to every entity of the map, replacing only those it reports changed.
template <typename T, typename Fn>
void EditAll(std::map<std::string, std::shared_ptr<const T>>& map, Fn fn) {
  for (auto& [key, entity] : map) {
    T copy = *entity;
    if (fn(copy)) entity = std::make_shared<const T>(std::move(copy));
  }
}

// The keys of a map in order, filtered by path prefix (for pagination).
template <typename T>
std::vector<std::string> KeysWithPathPrefix(const std::map<std::string, std::shared_ptr<const T>>& map,
                                            std::string_view path_prefix) {
  std::vector<std::string> keys;
  for (const auto& [key, entity] : map) {
    if (std::string_view(entity->path).substr(0, path_prefix.size()) == path_prefix) {
      keys.push_back(key);
    }
  }
  return keys;
}

}  // namespace kura::iam

namespace kura::iam {

// The ARN a call on an entity is authorized against: the entity's own ARN when it exists, else
// the ARN it would have at path "/".
std::string UserResource(const IdentitySnapshot& snapshot, std::string_view name);
std::string GroupResource(const IdentitySnapshot& snapshot, std::string_view name);
std::string RoleResource(const IdentitySnapshot& snapshot, std::string_view name);

// Reads and compiles the identity policy document in parameter `param` (required):
// LimitExceeded past `max_chars` non-whitespace characters ("Cannot exceed quota for
// PolicySize: 6144" unless `too_large` says otherwise), MalformedPolicyDocument with the
// parser's message when it is not a valid identity policy.
struct SubmittedPolicy {
  std::string document;
  CompiledPolicyPtr compiled;
};
Result<SubmittedPolicy> ReadPolicyDocument(const IamCall& call, std::string_view param,
                                           size_t max_chars, std::string policy_id,
                                           std::string too_large = {});

// A managed policy of the state by ARN (null when none), without building a snapshot.
const ManagedPolicy* FindPolicyIn(const IdentityState& state, std::string_view arn);
// The name of a user, for calls whose UserName defaults to the caller (CreateAccessKey …):
// the parameter, else the calling IAM user; ValidationError for root and other callers.
Result<std::string> UserNameOrCaller(const IamCall& call);

}  // namespace kura::iam
