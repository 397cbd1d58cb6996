// The persisted form of the identity model: each user, group, role and managed policy is one
// document in the metadata store (kinds "iam.user", "iam.group", "iam.role", "iam.policy"; id =
// the lower-cased name), whose value is a JSON object (Boost.JSON) with "v": 1 and the entity's
// fields under short names (see Encode*; times are milliseconds since the epoch; policy
// documents are stored as given and recompiled at load). Access keys' secrets are stored sealed
// (secret_sealer.h). Decoding compiles every policy document, so a snapshot built from decoded
// entities is ready for the request path.
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "iam/identity_model.h"
#include "iam/secret_sealer.h"

namespace kura::iam {

inline constexpr std::string_view kUserKind = "iam.user";
inline constexpr std::string_view kGroupKind = "iam.group";
inline constexpr std::string_view kRoleKind = "iam.role";
inline constexpr std::string_view kPolicyKind = "iam.policy";
// One document per account (id = the account id). An account's entities are stored under their
// kind for the management account (as before there were several) and under "KIND@ACCOUNT" for
// every other: DocumentKind.
inline constexpr std::string_view kAccountKind = "iam.account";

std::string DocumentKind(std::string_view kind, const AccountInfo& account);

std::string EncodeAccount(const AccountInfo& account, const SecretSealer& sealer);
Result<std::shared_ptr<const AccountInfo>> DecodeAccount(std::string_view json,
                                                         const SecretSealer& sealer);

std::string EncodeUser(const User& user, const SecretSealer& sealer);
std::string EncodeGroup(const Group& group);
std::string EncodeRole(const Role& role);
std::string EncodePolicy(const ManagedPolicy& policy);

// kInternalError when the stored JSON is not what Encode wrote (a corrupt store).
// Opens each access key's sealed secret (kInternalError if it does not open: see
// SecretSealer::Open). A plaintext secret, as kura wrote before sealing, is accepted and
// *has_plaintext_secret set, so the caller can write the user back sealed.
Result<std::shared_ptr<const User>> DecodeUser(std::string_view json, const SecretSealer& sealer,
                                               bool* has_plaintext_secret = nullptr);
Result<std::shared_ptr<const Group>> DecodeGroup(std::string_view json);
Result<std::shared_ptr<const Role>> DecodeRole(std::string_view json);
Result<std::shared_ptr<const ManagedPolicy>> DecodePolicy(std::string_view json);

// Compiles a stored or submitted identity policy; policy_id names it in MatchedStatement and is
// its owner's ARN (or starts with it), whose account fills empty-account ARNs in the policy.
Result<CompiledPolicyPtr> CompileIdentityPolicy(std::string_view document, std::string policy_id);

}  // namespace kura::iam
