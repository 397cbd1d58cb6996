#include "iam/identity_store.h"

#include "common/async_bridge.h"
#include "common/logging.h"
#include "iam/identity_codec.h"
#include "store/wait.h"

namespace kura::iam {
namespace {

template <typename T, typename Decode>
Result<void> LoadKind(store::MetadataStore& metadata, std::string_view kind, Decode decode,
                      std::map<std::string, std::shared_ptr<const T>>& into) {
  auto docs = metadata.ListDocuments(kind);
  if (!docs) return docs.error();
  for (const auto& [id, value] : *docs) {
    auto entity = decode(id, value);
    if (!entity) {
      return MakeError(ErrorCode::kInternalError, "IAM document " + std::string(kind) + "/" + id +
                                                      ": " + entity.error().message);
    }
    into[id] = std::move(*entity);
  }
  return Ok();
}

// Decoding of the kinds without secrets, in LoadKind's shape.
template <auto kDecode>
auto DecodeDocument(const std::string&, std::string_view value) {
  return kDecode(value);
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
                                             const IdentityState& after,
                                             const SecretSealer& sealer) {
  std::vector<store::DocumentWrite> writes;
  auto encode_user = [&sealer](const User& user) { return EncodeUser(user, sealer); };
  DiffKind(kUserKind, before.users, after.users, encode_user, writes);
  DiffKind(kGroupKind, before.groups, after.groups, EncodeGroup, writes);
  DiffKind(kRoleKind, before.roles, after.roles, EncodeRole, writes);
  DiffKind(kPolicyKind, before.policies, after.policies, EncodePolicy, writes);
  DiffKind(kOidcProviderKind, before.oidc_providers, after.oidc_providers, EncodeOidcProvider,
           writes);
  return writes;
}

Result<IdentityState> IdentityStore::Load(store::MetadataStore& metadata, std::string account_id,
                                          const SecretSealer& sealer,
                                          std::vector<std::string>* plaintext_users) {
  IdentityState state;
  state.account_id = std::move(account_id);
  auto decode_user = [&](const std::string& id, std::string_view value) {
    bool plaintext = false;
    auto user = DecodeUser(value, sealer, &plaintext);
    if (user && plaintext && plaintext_users != nullptr) plaintext_users->push_back(id);
    return user;
  };
  KURA_TRY(LoadKind(metadata, kUserKind, decode_user, state.users));
  KURA_TRY(LoadKind(metadata, kGroupKind, DecodeDocument<DecodeGroup>, state.groups));
  KURA_TRY(LoadKind(metadata, kRoleKind, DecodeDocument<DecodeRole>, state.roles));
  KURA_TRY(LoadKind(metadata, kPolicyKind, DecodeDocument<DecodePolicy>, state.policies));
  KURA_TRY(LoadKind(metadata, kOidcProviderKind, DecodeDocument<DecodeOidcProvider>,
                    state.oidc_providers));
  return state;
}

Result<void> IdentityStore::SealPlaintextSecrets(store::MetadataStore& metadata,
                                                 const IdentityState& state,
                                                 const std::vector<std::string>& user_ids,
                                                 const SecretSealer& sealer) {
  if (user_ids.empty()) return Ok();
  std::vector<store::DocumentWrite> writes;
  for (const std::string& id : user_ids) {
    writes.push_back(store::DocumentWrite{std::string(kUserKind), id,
                                          EncodeUser(*state.users.at(id), sealer)});
  }
  KURA_TRY(store::WaitFor<void>([&](store::Callback<void> done) {
    metadata.PutDocuments(std::move(writes), std::move(done));
  }));
  LogLine(LogLevel::kInfo, "iam: sealed the plaintext secrets of " +
                               std::to_string(user_ids.size()) + " users (upgrade)");
  return Ok();
}

Result<std::unique_ptr<IdentityStore>> IdentityStore::Open(store::MetadataStore& metadata,
                                                           std::string account_id,
                                                           const SecretSealer& sealer) {
  std::vector<std::string> plaintext_users;
  auto state = Load(metadata, std::move(account_id), sealer, &plaintext_users);
  if (!state) return state.error();
  KURA_TRY(SealPlaintextSecrets(metadata, *state, plaintext_users, sealer));
  return std::unique_ptr<IdentityStore>(new IdentityStore(metadata, sealer, std::move(*state)));
}

IdentityStore::IdentityStore(store::MetadataStore& metadata, const SecretSealer& sealer,
                             IdentityState state)
    : metadata_(metadata), sealer_(sealer), draft_(state) {
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
    auto reloaded = Load(metadata_, draft_.account_id, sealer_, nullptr);
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
  std::vector<store::DocumentWrite> writes = DiffStates(draft_, next, sealer_);
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
  co_return co_await AwaitCallback<Result<void>>(
      [this, &mutate](auto done) { Update(mutate, std::move(done)); });
}

}  // namespace kura::iam
