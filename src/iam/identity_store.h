// The owner of the account's IAM state: loads it from the metadata store at start, applies
// writes, and publishes a new IdentitySnapshot once each write is durable.
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
  // with them sealed (blocks until that commit: call at start-up). kInternalError on a corrupt
  // document or a secret that does not open. `sealer` must outlive the store.
  static Result<std::unique_ptr<IdentityStore>> Open(store::MetadataStore& metadata,
                                                     std::string account_id,
                                                     const SecretSealer& sealer);

  IdentityStore(const IdentityStore&) = delete;
  IdentityStore& operator=(const IdentityStore&) = delete;

  std::shared_ptr<const IdentitySnapshot> Current() const override;

  // Edits `state` in place; an error leaves everything unchanged and is passed to `done`.
  using Mutation = std::function<Result<void>(IdentityState& state)>;
  // Runs `mutate` at once (before Update returns) on a copy of the latest state; persists and
  // publishes the result; then calls `done` (on the store's writer thread, or inline).
  void Update(const Mutation& mutate, std::function<void(Result<void>)> done);

  // Update from a coroutine: resumes on the caller's executor after publication.
  boost::asio::awaitable<Result<void>> Apply(Mutation mutate);

 private:
  IdentityStore(store::MetadataStore& metadata, const SecretSealer& sealer, IdentityState state);
  // Appends to *plaintext_users (if not null) the ids of users with a plaintext secret.
  static Result<IdentityState> Load(store::MetadataStore& metadata, std::string account_id,
                                    const SecretSealer& sealer,
                                    std::vector<std::string>* plaintext_users);
  static Result<void> SealPlaintextSecrets(store::MetadataStore& metadata,
                                           const IdentityState& state,
                                           const std::vector<std::string>& user_ids,
                                           const SecretSealer& sealer);
  void Publish(uint64_t sequence, std::shared_ptr<const IdentitySnapshot> snapshot);

  store::MetadataStore& metadata_;
  const SecretSealer& sealer_;
  std::mutex write_mutex_;  // guards draft_, next_sequence_
  IdentityState draft_;
  uint64_t next_sequence_ = 1;
  std::atomic<bool> needs_reload_{false};

  std::mutex publish_mutex_;  // orders publications; never held while calling out
  uint64_t published_sequence_ = 0;
  std::atomic<std::shared_ptr<const IdentitySnapshot>> current_;
};

// The store writes that turn `before` into `after` (entities compared by pointer), users'
// secrets sealed with `sealer`.
std::vector<store::DocumentWrite> DiffStates(const IdentityState& before,
                                             const IdentityState& after,
                                             const SecretSealer& sealer);

}  // namespace kura::iam
