#include "cmd/s3_accounts.h"

#include "common/text.h"
#include "s3/response.h"

namespace kura::cmd {

std::optional<s3::S3Account> S3Accounts::View(const iam::IdentityDirectory& directory,
                                              std::string_view account_id) {
  const std::shared_ptr<const iam::IdentitySnapshot>* snapshot = directory.Find(account_id);
  if (snapshot == nullptr) return std::nullopt;
  const iam::AccountInfo& info = *(*snapshot)->state().account;
  return s3::S3Account{.id = info.id,
                       .canonical_id = s3::CanonicalUserId(info.id),
                       .display_name = info.name,
                       .email = info.email,
                       .active = info.active()};
}

std::shared_ptr<const S3Accounts::Index> S3Accounts::CurrentIndex() const {
  std::shared_ptr<const iam::IdentityDirectory> directory = identities_.Directory();
  std::lock_guard lock(mu_);
  if (index_ != nullptr && index_->directory == directory) return index_;
  auto index = std::make_shared<Index>();
  index->directory = directory;
  for (const auto& [id, snapshot] : directory->accounts()) {
    index->by_canonical_id.emplace(s3::CanonicalUserId(id), id);
    const std::string& email = snapshot->state().account->email;
    if (!email.empty()) index->by_email.emplace(AsciiLower(email), id);
  }
  index_ = index;
  return index;
}

std::optional<s3::S3Account> S3Accounts::Find(std::string_view account_id) const {
  return View(*identities_.Directory(), account_id);
}

std::optional<s3::S3Account> S3Accounts::FindByCanonicalId(std::string_view canonical_id) const {
  std::shared_ptr<const Index> index = CurrentIndex();
  auto it = index->by_canonical_id.find(std::string(canonical_id));
  if (it == index->by_canonical_id.end()) return std::nullopt;
  return View(*index->directory, it->second);
}

std::optional<s3::S3Account> S3Accounts::FindByEmail(std::string_view email) const {
  std::shared_ptr<const Index> index = CurrentIndex();
  auto it = index->by_email.find(AsciiLower(email));
  if (it == index->by_email.end()) return std::nullopt;
  return View(*index->directory, it->second);
}

}  // namespace kura::cmd
