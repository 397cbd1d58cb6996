// The owner of every account's IAM state: loads it from the metadata store at start, applies
// writes, and publishes a new IdentityDirectory (with the written account's new
// IdentitySnapshot) once each write is durable.
// Nodes sharing one metadata store (issue #20) each hold a copy of the state, so a write is a
// read-modify-write that must not overwrite another node's newer state. Writes run one at a
// time under one mutex: read the store's configuration generation; if it differs from the one
// the copy was loaded at, reload first; run the mutation; write the changed entities as one
// PutDocumentsIf conditioned on that generation; on kConcurrentModification (another writer got
// in between) reload and run the mutation again, at most kMaxWriteAttempts times, then
// kServiceUnavailable. A write blocks its thread until its commit: Apply runs it on the blocking
// pool when one is given. A reader never sees state that a crash could lose, and a caller's
// `done` runs only after its change is visible. Reads (Directory) never lock.
// Reload() is the follower's (node/config_follower.h): it brings the copy up to the store's
// generation, publishing the reloaded state in one atomic swap.
// Access keys' secrets are sealed with `sealer` in the store (secret_sealer.h); Open seals and
// rewrites the plaintext secrets an older kura stored.
// Thread-safety: all members may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
  // corrupt document or a secret that does not open. `sealer` (and `blocking`, if not null: where
  // Apply and ApplyNew run their blocking writes) must outlive the store.
  static Result<std::unique_ptr<IdentityStore>> Open(store::MetadataStore& metadata,
                                                     const AccountInfo& management,
                                                     const SecretSealer& sealer,
                                                     boost::asio::thread_pool* blocking = nullptr);

  // How often a write is tried before it gives up with kServiceUnavailable (each attempt after
  // the first follows another writer's commit).
  static constexpr int kMaxWriteAttempts = 8;

  IdentityStore(const IdentityStore&) = delete;
  IdentityStore& operator=(const IdentityStore&) = delete;

  std::shared_ptr<const IdentityDirectory> Directory() const override;

  // Edits `state` in place; an error leaves everything unchanged and is passed to `done`.
  using Mutation = std::function<Result<void>(IdentityState& state)>;
  // Runs `mutate` on a copy of the account's latest state (again after each conflict with another
  // writer); persists and publishes the result; then calls `done`, before Update returns.
  // kNoSuchEntity when there is no such account.
  void Update(std::string_view account_id, const Mutation& mutate,
              std::function<void(Result<void>)> done);
  // Adds an account: `mutate` fills its state, which starts empty but for `account`.
  // kEntityAlreadyExists when the id is taken.
  void Add(std::shared_ptr<const AccountInfo> account, const Mutation& mutate,
           std::function<void(Result<void>)> done);

  // Brings the state up to the store's configuration generation: reloads and publishes it if the
  // generation moved since it was loaded or last written (blocking reads). An error (store
  // unreachable, corrupt document) leaves the published state as it was.
  Result<void> Reload();

  // Update and Add from a coroutine (on the blocking pool if Open had one): resume on the
  // caller's executor after publication.
  boost::asio::awaitable<Result<void>> Apply(std::string account_id, Mutation mutate);
  boost::asio::awaitable<Result<void>> ApplyNew(std::shared_ptr<const AccountInfo> account,
                                                Mutation mutate);

 private:
  using States = std::map<std::string, IdentityState>;  // by account id

  IdentityStore(store::MetadataStore& metadata, const SecretSealer& sealer,
                boost::asio::thread_pool* blocking, std::string management_account_id,
                States states, std::optional<uint64_t> generation);
  // Every account's state. Appends to *plaintext_users (if not null) the (kind, id) documents of
  // users with a plaintext secret.
  static Result<States> Load(store::MetadataStore& metadata, const SecretSealer& sealer,
                             std::vector<std::pair<std::string, std::string>>* plaintext_users);
  static Result<void> Write(store::MetadataStore& metadata, std::vector<store::DocumentWrite> writes);
  Result<void> Mutate(std::string_view account_id, std::shared_ptr<const AccountInfo> new_account,
                      const Mutation& mutate);
  // One attempt of Mutate at the generation the drafts are at. kConcurrentModification when
  // another writer moved the generation first.
  Result<void> TryMutateLocked(const std::string& account_id,
                               const std::shared_ptr<const AccountInfo>& new_account,
                               const Mutation& mutate);
  Result<void> CatchUpLocked();
  void PublishLocked(std::shared_ptr<const IdentityDirectory> directory);

  store::MetadataStore& metadata_;
  const SecretSealer& sealer_;
  boost::asio::thread_pool* const blocking_;
  const std::string management_account_id_;
  std::mutex write_mutex_;  // guards drafts_, draft_directory_, generation_; held across a write
  States drafts_;
  std::shared_ptr<const IdentityDirectory> draft_directory_;
  // The configuration generation drafts_ reflect; nullopt when unknown (reload before writing).
  std::optional<uint64_t> generation_;
  std::atomic<std::shared_ptr<const IdentityDirectory>> current_;
};

// The store writes that turn `before` into `after` (entities compared by pointer; one account's),
// secrets sealed with `sealer`.
std::vector<store::DocumentWrite> DiffStates(const IdentityState& before,
                                             const IdentityState& after,
                                             const SecretSealer& sealer);

}  // namespace kura::iam
