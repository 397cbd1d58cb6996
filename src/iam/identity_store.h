// The owner of every account's IAM state: loads it from the metadata store at start, applies
// writes, and publishes a new IdentityDirectory (with the written account's new
// IdentitySnapshot) once each write is durable.
// Writes are serialized: Update runs its mutation on the latest state (including writes still
// being committed) under one mutex, queues the changed entities as one atomic PutDocuments
// (the store commits queued writes in order), and publishes the new snapshot when the commit's
// callback reports it durable — so a reader never sees state that a crash could lose, and a
// caller's `done` runs only after its change is visible. Reads (Current) never lock.
// If a commit fails, the in-memory draft is rebuilt from the store before the next write.
// Access keys' secrets are sealed with `sealer` in the store (secret_sealer.h); Open seals and
// rewrites the plaintext secrets an older kura stored.
// Thread-safety: all members may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/error.h"
#include "iam/identity_model.h"
#include "iam/secret_sealer.h"
#include "store/metadata_store.h"

namespace kura::iam {

class IdentityStore final : public IdentitySource {
 public:
  // Loads every iam.* document, and rewrites the users whose secrets were stored in plaintext
  // with them sealed (blocks until that commit: call at start-up). `management` is the data
  // dir's first account as the operator configures it (id, name, e-mail): a data dir from
  // before accounts gets its record; a changed name or e-mail is written. kInternalError on a
  // corrupt document or a secret that does not open. `sealer` must outlive the store.
  static Result<std::unique_ptr<IdentityStore>> Open(store::MetadataStore& metadata,
                                                     const AccountInfo& management,
                                                     const SecretSealer& sealer);

  IdentityStore(const IdentityStore&) = delete;
  IdentityStore& operator=(const IdentityStore&) = delete;

  std::shared_ptr<const IdentityDirectory> Directory() const override;

  // Edits `state` in place; an error leaves everything unchanged and is passed to `done`.
  using Mutation = std::function<Result<void>(IdentityState& state)>;
  // Runs `mutate` at once (before Update returns) on a copy of the account's latest state;
  // persists and publishes the result; then calls `done` (on the store's writer thread, or
  // inline). kNoSuchEntity when there is no such account.
  void Update(std::string_view account_id, const Mutation& mutate,
              std::function<void(Result<void>)> done);
  // Adds an account: `mutate` fills its state, which starts empty but for `account`.
  // kEntityAlreadyExists when the id is taken.
  void Add(std::shared_ptr<const AccountInfo> account, const Mutation& mutate,
           std::function<void(Result<void>)> done);

  // Update and Add from a coroutine: resume on the caller's executor after publication.
  boost::asio::awaitable<Result<void>> Apply(std::string account_id, Mutation mutate);
  boost::asio::awaitable<Result<void>> ApplyNew(std::shared_ptr<const AccountInfo> account,
                                                Mutation mutate);

 private:
  using States = std::map<std::string, IdentityState>;  // by account id

  IdentityStore(store::MetadataStore& metadata, const SecretSealer& sealer,
                std::string management_account_id, States states);
  // Every account's state. Appends to *plaintext_users (if not null) the (kind, id) documents of
  // users with a plaintext secret.
  static Result<States> Load(store::MetadataStore& metadata, const SecretSealer& sealer,
                             std::vector<std::pair<std::string, std::string>>* plaintext_users);
  static Result<void> Write(store::MetadataStore& metadata, std::vector<store::DocumentWrite> writes);
  void Mutate(std::string_view account_id, std::shared_ptr<const AccountInfo> new_account,
              const Mutation& mutate, std::function<void(Result<void>)> done);
  void Publish(uint64_t sequence, std::shared_ptr<const IdentityDirectory> directory);

  store::MetadataStore& metadata_;
  const SecretSealer& sealer_;
  const std::string management_account_id_;
  std::mutex write_mutex_;  // guards drafts_, draft_directory_, next_sequence_
  States drafts_;
  std::shared_ptr<const IdentityDirectory> draft_directory_;
  uint64_t next_sequence_ = 1;
  std::atomic<bool> needs_reload_{false};

  std::mutex publish_mutex_;  // orders publications; never held while calling out
  uint64_t published_sequence_ = 0;
  std::atomic<std::shared_ptr<const IdentityDirectory>> current_;
};

// The store writes that turn `before` into `after` (entities compared by pointer; one account's),
// secrets sealed with `sealer`.
std::vector<store::DocumentWrite> DiffStates(const IdentityState& before,
                                             const IdentityState& after,
                                             const SecretSealer& sealer);

}  // namespace kura::iam
