// s3::AccountDirectory over IAM's accounts (iam::IdentitySource): what S3 needs to know of every
// account — canonical user id, DisplayName (AccountInfo name), e-mail address, closed or not —
// without s3 depending on iam. Lookups by canonical id and e-mail go through an index built
// once per identity directory (rebuilt when an account is added or changed), so naming an
// account in an ACL costs a hash lookup whatever the number of accounts.
// Thread-safety: thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "iam/identity_model.h"
#include "s3/accounts.h"

namespace kura::cmd {

class S3Accounts final : public s3::AccountDirectory {
 public:
  explicit S3Accounts(const iam::IdentitySource& identities) : identities_(identities) {}
  S3Accounts(const S3Accounts&) = delete;
  S3Accounts& operator=(const S3Accounts&) = delete;

  std::optional<s3::S3Account> Find(std::string_view account_id) const override;
  std::optional<s3::S3Account> FindByCanonicalId(std::string_view canonical_id) const override;
  std::optional<s3::S3Account> FindByEmail(std::string_view email) const override;

 private:
  // Canonical ids and lower-cased e-mail addresses → account id, for one directory.
  struct Index {
    std::shared_ptr<const iam::IdentityDirectory> directory;
    std::unordered_map<std::string, std::string> by_canonical_id;
    std::unordered_map<std::string, std::string> by_email;
  };
  std::shared_ptr<const Index> CurrentIndex() const;
  static std::optional<s3::S3Account> View(const iam::IdentityDirectory& directory,
                                           std::string_view account_id);

  const iam::IdentitySource& identities_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Index> index_;  // guarded by mu_
};

}  // namespace kura::cmd
