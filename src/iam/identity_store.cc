#include "iam/identity_store.h"

#include "common/async_bridge.h"
#include "common/logging.h"
#include "iam/identity_codec.h"
#include "store/wait.h"

namespace kura::iam {
namespace {

template <typename T, typename Decode>
Result<void> LoadKind(store::MetadataStore& metadata, const std::string& kind, Decode decode,
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
void DiffKind(const std::string& kind, const std::map<std::string, std::shared_ptr<const T>>& before,
              const std::map<std::string, std::shared_ptr<const T>>& after, Encode encode,
              std::vector<store::DocumentWrite>& out) {
  for (const auto& [key, entity] : after) {
    auto it = before.find(key);
    if (it != before.end() && it->second == entity) continue;
    out.push_back(store::DocumentWrite{kind, key, encode(*entity)});
  }
  for (const auto& [key, entity] : before) {
    if (after.count(key) == 0) {
      out.push_back(store::DocumentWrite{kind, key, std::nullopt});
    }
  }
}

}  // namespace

std::vector<store::DocumentWrite> DiffStates(const IdentityState& before,
                                             const IdentityState& after,
                                             const SecretSealer& sealer) {
  std::vector<store::DocumentWrite> writes;
  // A state without its account record (as unit tests build them) is the management account's.
  static const AccountInfo kManagement{.management = true};
  const AccountInfo& account = after.account != nullptr ? *after.account : kManagement;
  if (after.account != nullptr && before.account != after.account) {
    writes.push_back(store::DocumentWrite{std::string(kAccountKind), account.id,
                                          EncodeAccount(account, sealer)});
  }
  auto kind = [&account](std::string_view k) { return DocumentKind(k, account); };
  auto encode_user = [&sealer](const User& user) { return EncodeUser(user, sealer); };
  DiffKind(kind(kUserKind), before.users, after.users, encode_user, writes);
  DiffKind(kind(kGroupKind), before.groups, after.groups, EncodeGroup, writes);
  DiffKind(kind(kRoleKind), before.roles, after.roles, EncodeRole, writes);
  DiffKind(kind(kPolicyKind), before.policies, after.policies, EncodePolicy, writes);
  DiffKind(kind(kOidcProviderKind), before.oidc_providers, after.oidc_providers,
           EncodeOidcProvider, writes);
  return writes;
}

Result<IdentityStore::States> IdentityStore::Load(
    store::MetadataStore& metadata, const SecretSealer& sealer,
    std::vector<std::pair<std::string, std::string>>* plaintext_users) {
  States states;
  auto accounts = metadata.ListDocuments(kAccountKind);
  if (!accounts) return accounts.error();
  for (const auto& [id, value] : *accounts) {
    auto account = DecodeAccount(value, sealer);
    if (!account) {
      return MakeError(ErrorCode::kInternalError,
                       "IAM document iam.account/" + id + ": " + account.error().message);
    }
    IdentityState& state = states[id];
    state.account_id = id;
    state.account = std::move(*account);
    auto kind = [&state](std::string_view k) { return DocumentKind(k, *state.account); };
    std::string user_kind = kind(kUserKind);
    auto decode_user = [&](const std::string& user_id, std::string_view json) {
      bool plaintext = false;
      auto user = DecodeUser(json, sealer, &plaintext);
      if (user && plaintext && plaintext_users != nullptr) {
        plaintext_users->emplace_back(user_kind, user_id);
      }
      return user;
    };
    KURA_TRY(LoadKind(metadata, user_kind, decode_user, state.users));
    KURA_TRY(LoadKind(metadata, kind(kGroupKind), DecodeDocument<DecodeGroup>, state.groups));
    KURA_TRY(LoadKind(metadata, kind(kRoleKind), DecodeDocument<DecodeRole>, state.roles));
    KURA_TRY(LoadKind(metadata, kind(kPolicyKind), DecodeDocument<DecodePolicy>, state.policies));
    KURA_TRY(LoadKind(metadata, kind(kOidcProviderKind), DecodeDocument<DecodeOidcProvider>,
                      state.oidc_providers));
  }
  return states;
}

Result<void> IdentityStore::Write(store::MetadataStore& metadata,
                                  std::vector<store::DocumentWrite> writes) {
  if (writes.empty()) return Ok();
  return store::WaitFor<void>([&](store::Callback<void> done) {
    metadata.PutDocuments(std::move(writes), std::move(done));
  });
}

namespace {

// The management account's record as configured: kept when unchanged, else rewritten.
std::shared_ptr<const AccountInfo> ConfiguredManagement(const IdentityState* stored,
                                                        const AccountInfo& configured) {
  if (stored != nullptr) {
    const AccountInfo& a = *stored->account;
    if (a.management && a.name == configured.name && a.email == configured.email) {
      return stored->account;
    }
    auto updated = std::make_shared<AccountInfo>(a);
    updated->management = true;
    updated->name = configured.name;
    updated->email = configured.email;
    return updated;
  }
  auto created = std::make_shared<AccountInfo>(configured);
  created->management = true;
  created->root_key.reset();
  return created;
}

}  // namespace

Result<std::unique_ptr<IdentityStore>> IdentityStore::Open(store::MetadataStore& metadata,
                                                           const AccountInfo& management,
                                                           const SecretSealer& sealer) {
  std::vector<std::pair<std::string, std::string>> plaintext_users;
  auto states = Load(metadata, sealer, &plaintext_users);
  if (!states) return states.error();
  // A data dir from before accounts has no account record: its entities are the management
  // account's (stored under the plain kinds), so loading them again after the record is written
  // finds them.
  bool upgrade = states->count(management.id) == 0;
  IdentityState* stored = upgrade ? nullptr : &states->at(management.id);
  auto account = ConfiguredManagement(stored, management);
  if (stored == nullptr || stored->account != account) {
    KURA_TRY(Write(metadata, {store::DocumentWrite{std::string(kAccountKind), management.id,
                                                   EncodeAccount(*account, sealer)}}));
    plaintext_users.clear();
    states = Load(metadata, sealer, &plaintext_users);
    if (!states) return states.error();
    if (upgrade) LogLine(LogLevel::kInfo, "iam: recorded account " + management.id + " as the management account");
  }
  std::vector<store::DocumentWrite> sealed;
  for (const auto& [kind, id] : plaintext_users) {
    for (const auto& [account_id, state] : *states) {
      if (DocumentKind(kUserKind, *state.account) != kind) continue;
      sealed.push_back(store::DocumentWrite{kind, id, EncodeUser(*state.users.at(id), sealer)});
    }
  }
  KURA_TRY(Write(metadata, sealed));
  if (!sealed.empty()) {
    LogLine(LogLevel::kInfo, "iam: sealed the plaintext secrets of " +
                                 std::to_string(sealed.size()) + " users (upgrade)");
  }
  return std::unique_ptr<IdentityStore>(
      new IdentityStore(metadata, sealer, management.id, std::move(*states)));
}

namespace {

std::shared_ptr<const IdentityDirectory> DirectoryOf(const std::string& management_account_id,
                                                     const std::map<std::string, IdentityState>& states) {
  std::map<std::string, std::shared_ptr<const IdentitySnapshot>> snapshots;
  for (const auto& [id, state] : states) {
    snapshots[id] = std::make_shared<const IdentitySnapshot>(state);
  }
  return std::make_shared<const IdentityDirectory>(management_account_id, std::move(snapshots));
}

}  // namespace

IdentityStore::IdentityStore(store::MetadataStore& metadata, const SecretSealer& sealer,
                             std::string management_account_id, States states)
    : metadata_(metadata),
      sealer_(sealer),
      management_account_id_(std::move(management_account_id)),
      drafts_(std::move(states)),
      draft_directory_(DirectoryOf(management_account_id_, drafts_)) {
  current_.store(draft_directory_);
}

std::shared_ptr<const IdentityDirectory> IdentityStore::Directory() const {
  return current_.load();
}

void IdentityStore::Publish(uint64_t sequence, std::shared_ptr<const IdentityDirectory> directory) {
  std::lock_guard lock(publish_mutex_);
  if (sequence <= published_sequence_) return;
  published_sequence_ = sequence;
  current_.store(std::move(directory));
}

void IdentityStore::Update(std::string_view account_id, const Mutation& mutate,
                           std::function<void(Result<void>)> done) {
  Mutate(account_id, nullptr, mutate, std::move(done));
}

void IdentityStore::Add(std::shared_ptr<const AccountInfo> account, const Mutation& mutate,
                        std::function<void(Result<void>)> done) {
  std::string id = account->id;
  Mutate(id, std::move(account), mutate, std::move(done));
}

// Update and Add: `new_account` set means the account must not exist yet.
void IdentityStore::Mutate(std::string_view account_id,
                           std::shared_ptr<const AccountInfo> new_account, const Mutation& mutate,
                           std::function<void(Result<void>)> done) {
  std::unique_lock lock(write_mutex_);
  auto fail = [&lock, &done](Error error) {
    lock.unlock();
    done(std::move(error));
  };
  if (needs_reload_.exchange(false)) {
    auto reloaded = Load(metadata_, sealer_, nullptr);
    if (!reloaded) {
      needs_reload_ = true;
      return fail(reloaded.error());
    }
    drafts_ = std::move(*reloaded);
    draft_directory_ = DirectoryOf(management_account_id_, drafts_);
  }
  auto it = drafts_.find(std::string(account_id));
  if (new_account != nullptr && it != drafts_.end()) {
    return fail(MakeError(ErrorCode::kEntityAlreadyExists, "The account already exists."));
  }
  if (new_account == nullptr && it == drafts_.end()) {
    return fail(MakeError(ErrorCode::kNoSuchEntity, "The account does not exist."));
  }
  IdentityState before;
  if (new_account != nullptr) before.account_id = std::string(account_id);
  const IdentityState& base = new_account != nullptr ? before : it->second;
  IdentityState next = base;
  if (new_account != nullptr) next.account = std::move(new_account);
  if (auto r = mutate(next); !r) return fail(r.error());
  std::vector<store::DocumentWrite> writes = DiffStates(base, next, sealer_);
  draft_directory_ = draft_directory_->With(std::make_shared<const IdentitySnapshot>(next));
  drafts_[std::string(account_id)] = std::move(next);
  auto directory = draft_directory_;
  uint64_t sequence = next_sequence_++;
  if (writes.empty()) {
    Publish(sequence, std::move(directory));
    lock.unlock();
    done(Ok());
    return;
  }
  // The in-memory fake may run the callback inline: it takes only publish_mutex_.
  metadata_.PutDocuments(std::move(writes), [this, sequence, directory = std::move(directory),
                                             done = std::move(done)](Result<void> r) mutable {
    if (!r) {
      needs_reload_ = true;
      done(r.error());
      return;
    }
    Publish(sequence, std::move(directory));
    done(Ok());
  });
}

boost::asio::awaitable<Result<void>> IdentityStore::Apply(std::string account_id, Mutation mutate) {
  co_return co_await AwaitCallback<Result<void>>([this, &account_id, &mutate](auto done) {
    Update(account_id, mutate, std::move(done));
  });
}

boost::asio::awaitable<Result<void>> IdentityStore::ApplyNew(
    std::shared_ptr<const AccountInfo> account, Mutation mutate) {
  co_return co_await AwaitCallback<Result<void>>([this, &account, &mutate](auto done) {
    Add(std::move(account), mutate, std::move(done));
  });
}

}  // namespace kura::iam
