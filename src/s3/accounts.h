// The accounts S3 serves (#15), as S3 needs them: who owns a bucket, whom an ACL names (by
// canonical user id or e-mail address), the DisplayName an <Owner> shows, and whether an
// account is closed. S3 may not know IAM, so it asks this interface; cmd implements it over
// iam::IdentitySource (cmd/s3_accounts.h), tests with a fixed list.
// Canonical user ids: CanonicalUserId(account id) (response.h), one per account, as in S3.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kura::s3 {

struct S3Account {
  std::string id;            // 12 digits
  std::string canonical_id;  // CanonicalUserId(id)
  std::string display_name;  // <Owner><DisplayName>
  std::string email;         // what an ACL grant by emailAddress names; "" = none
  bool active = true;        // false: closed (its buckets answer AllAccessDisabled)
};

class AccountDirectory {
 public:
  virtual ~AccountDirectory() = default;
  // Each: nullopt when no account matches (closed accounts are found: see S3Account::active).
  virtual std::optional<S3Account> Find(std::string_view account_id) const = 0;
  virtual std::optional<S3Account> FindByCanonicalId(std::string_view canonical_id) const = 0;
  // E-mail addresses compare case-insensitively.
  virtual std::optional<S3Account> FindByEmail(std::string_view email) const = 0;
};

}  // namespace kura::s3
