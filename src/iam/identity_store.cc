#include "iam/identity_store.h"

#include "http/async_bridge.h"
#include "iam/identity_codec.h"

namespace kura::iam {
namespace {

template <typename T, typename Decode>
Result<void> LoadKind(store::MetadataStore& metadata, std::string_view kind, Decode decode,
                      std::map<std::string, std::shared_ptr<const T>>& into) {
  auto docs = metadata.ListDocuments(kind);
  if (!docs) return docs.error();
  for (const auto& [id, value] : *docs) {
    auto entity = decode(value);
    if (!entity) {
      return MakeError(ErrorCode::kInternalError,
                       "corrupt IAM document " + std::string(kind) + "/" + id);
    }
    into[id] = std::move(*entity);
  }
  return Ok();
}

template <typename T, typename Encode>
void DiffKind(std::string_view kind, const std::map<std::string, std::shared_ptr<const T>>& before,
              const std::map<std::string, std::shared_ptr<const T>>& after, Encode encode,
              std::vector<store::DocumentWrite>& out) {
  for (const auto& [key, entity] : after) {
    auto it = before.find(key);
    if (it != before.end() && it->second == entity) continue;
    out.push_back(store::DocumentWrite{std::string(kind), key, encode(*entity)});
  }
  for (const auto& [key, entity] : before) {
    if (after.count(key) == 0) {
      out.push_back(store::DocumentWrite{std::string(kind), key, std::nullopt});
    }
  }
}

}  // namespace

std::vector<store::DocumentWrite> DiffStates(const IdentityState& before,
                                             const IdentityState& after) {
  std::vector<store::DocumentWrite> writes;
  DiffKind(kUserKind, before.users, after.users, EncodeUser, writes);
  DiffKind(kGroupKind, before.groups, after.groups, EncodeGroup, writes);
  DiffKind(kRoleKind, before.roles, after.roles, EncodeRole, writes);
  DiffKind(kPolicyKind, before.policies, after.policies, EncodePolicy, writes);
  DiffKind(kOidcProviderKind, before.oidc_providers, after.oidc_providers, EncodeOidcProvider,
           writes);
  return writes;
}

Result<IdentityState> IdentityStore::Load(store::MetadataStore& metadata,
                                          std::string account_id) {
  IdentityState state;
  state.account_id = std::move(account_id);
  KURA_TRY(LoadKind(metadata, kUserKind, DecodeUser, state.users));
  KURA_TRY(LoadKind(metadata, kGroupKind, DecodeGroup, state.groups));
  KURA_TRY(LoadKind(metadata, kRoleKind, DecodeRole, state.roles));
  KURA_TRY(LoadKind(metadata, kPolicyKind, DecodePolicy, state.policies));
  KURA_TRY(LoadKind(metadata, kOidcProviderKind, DecodeOidcProvider, state.oidc_providers));
  return state;
}

Result<std::unique_ptr<IdentityStore>> IdentityStore::Open(store::MetadataStore& metadata,
                                                           std::string account_id) {
  auto state = Load(metadata, std::move(account_id));
  if (!state) return state.error();
  return std::unique_ptr<IdentityStore>(new IdentityStore(metadata, std::move(*state)));
}

IdentityStore::IdentityStore(store::MetadataStore& metadata, IdentityState state)
    : metadata_(metadata), draft_(state) {
  current_.store(std::make_shared<const IdentitySnapshot>(std::move(state)));
}

std::shared_ptr<const IdentitySnapshot> IdentityStore::Current() const { return current_.load(); }

void IdentityStore::Publish(uint64_t sequence, std::shared_ptr<const IdentitySnapshot> snapshot) {
  std::lock_guard lock(publish_mutex_);
  if (sequence <= published_sequence_) return;
  published_sequence_ = sequence;
  current_.store(std::move(snapshot));
}

void IdentityStore::Update(const Mutation& mutate, std::function<void(Result<void>)> done) {
  std::unique_lock lock(write_mutex_);
  if (needs_reload_.exchange(false)) {
    auto reloaded = Load(metadata_, draft_.account_id);
    if (!reloaded) {
      needs_reload_ = true;
      lock.unlock();
      done(reloaded.error());
      return;
    }
    draft_ = std::move(*reloaded);
  }
  IdentityState next = draft_;
  if (auto r = mutate(next); !r) {
    lock.unlock();
    done(r.error());
    return;
  }
  std::vector<store::DocumentWrite> writes = DiffStates(draft_, next);
  auto snapshot = std::make_shared<const IdentitySnapshot>(next);
  draft_ = std::move(next);
  uint64_t sequence = next_sequence_++;
  if (writes.empty()) {
    Publish(sequence, std::move(snapshot));
    lock.unlock();
    done(Ok());
    return;
  }
  // The in-memory fake may run the callback inline: it takes only publish_mutex_.
  metadata_.PutDocuments(std::move(writes), [this, sequence, snapshot = std::move(snapshot),
                                             done = std::move(done)](Result<void> r) mutable {
    if (!r) {
      needs_reload_ = true;
      done(r.error());
      return;
    }
    Publish(sequence, std::move(snapshot));
    done(Ok());
  });
}

boost::asio::awaitable<Result<void>> IdentityStore::Apply(Mutation mutate) {
  co_return co_await http::AwaitCallback<Result<void>>(
      [this, &mutate](auto done) { Update(mutate, std::move(done)); });
}

}  // namespace kura::iam
