// What CreateAccount makes
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html): a member
// account with its own root user (an AKIA… access key and 40-character secret: AWS gives a new
// account's root no password either; kura hands the key to the operator instead), and in it the
// role RoleName (default OrganizationAccountAccessRole) that AWS creates for the management
// account: trust policy allowing sts:AssumeRole to arn:aws:iam::MANAGEMENT:root, and the inline
// policy AdministratorAccess allowing everything
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html).
// Pure functions of their inputs (time and randomness injected), so unit tests check the
// account and the role without a store. Thread-safety: as the Random passed in.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"
#include "iam/identity_model.h"
#include "iam/identity_store.h"

namespace kura::organizations {

inline constexpr std::string_view kDefaultAccessRoleName = "OrganizationAccountAccessRole";
inline constexpr std::string_view kAccessRolePolicyName = "AdministratorAccess";

// A new member account named `name` with `email`, joined `now`, with a fresh root key and an id
// (NewAccountId) that no account of `directory` has.
std::shared_ptr<const iam::AccountInfo> NewMemberAccount(const iam::IdentityDirectory& directory,
                                                         std::string name, std::string email,
                                                         Random& random, TimePoint now);

// The mutation that fills a new account's state with the role `role_name` trusted by the
// management account's root, as AWS creates it. kInternalError if a policy does not compile
// (it always does: the documents are fixed).
iam::IdentityStore::Mutation AccessRoleMutation(std::string management_account_id,
                                                std::string role_name, Random& random,
                                                TimePoint now);

// Whether an account of `directory` already has `email` (AWS: e-mail addresses are unique among
// all AWS accounts; kura: among its accounts), ignoring case.
bool EmailTaken(const iam::IdentityDirectory& directory, std::string_view email);

}  // namespace kura::organizations
