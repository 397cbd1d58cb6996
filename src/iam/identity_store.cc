#include "iam/identity_store.h"

#include <utility>

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
                                                           const SecretSealer& sealer,
                                                           boost::asio::thread_pool* blocking) {
  // Read before loading, so that a write landing during the load moves it past what we hold.
  auto loaded_at = metadata.ConfigGeneration();
  if (!loaded_at) return loaded_at.error();
  std::optional<uint64_t> generation = *loaded_at;
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
    generation.reset();  // our own write moved it: the first write reloads
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
    generation.reset();
    LogLine(LogLevel::kInfo, "iam: sealed the plaintext secrets of " +
                                 std::to_string(sealed.size()) + " users (upgrade)");
  }
  return std::unique_ptr<IdentityStore>(new IdentityStore(
      metadata, sealer, blocking, management.id, std::move(*states), generation));
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
                             boost::asio::thread_pool* blocking, std::string management_account_id,
                             States states, std::optional<uint64_t> generation)
    : metadata_(metadata),
      sealer_(sealer),
      blocking_(blocking),
      management_account_id_(std::move(management_account_id)),
      drafts_(std::move(states)),
      draft_directory_(DirectoryOf(management_account_id_, drafts_)),
      generation_(generation) {
  current_.store(draft_directory_);
}

std::shared_ptr<const IdentityDirectory> IdentityStore::Directory() const {
  return current_.load();
}

void IdentityStore::PublishLocked(std::shared_ptr<const IdentityDirectory> directory) {
  draft_directory_ = directory;
  current_.store(std::move(directory));
}

Result<void> IdentityStore::Reload() {
  std::lock_guard lock(write_mutex_);
  return CatchUpLocked();
}

// The generation is read before the documents: a write that lands during the load moves the
// store past the generation recorded here, so the next check reloads again rather than keep a
// half-seen write.
Result<void> IdentityStore::CatchUpLocked() {
  auto generation = metadata_.ConfigGeneration();
  if (!generation) return generation.error();
  if (generation_ == *generation) return Ok();
  auto states = Load(metadata_, sealer_, nullptr);
  if (!states) return states.error();
  drafts_ = std::move(*states);
  PublishLocked(DirectoryOf(management_account_id_, drafts_));
  generation_ = *generation;
  return Ok();
}

void IdentityStore::Update(std::string_view account_id, const Mutation& mutate,
                           std::function<void(Result<void>)> done) {
  done(Mutate(account_id, nullptr, mutate));
}

void IdentityStore::Add(std::shared_ptr<const AccountInfo> account, const Mutation& mutate,
                        std::function<void(Result<void>)> done) {
  std::string id = account->id;
  done(Mutate(id, std::move(account), mutate));
}

// Update and Add: `new_account` set means the account must not exist yet.
Result<void> IdentityStore::Mutate(std::string_view account_id,
                                   std::shared_ptr<const AccountInfo> new_account,
                                   const Mutation& mutate) {
  std::lock_guard lock(write_mutex_);
  const std::string id(account_id);
  for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
    KURA_TRY(CatchUpLocked());
    Result<void> tried = TryMutateLocked(id, new_account, mutate);
    if (tried || tried.error().code != ErrorCode::kConcurrentModification) return tried;
  }
  LogLine(LogLevel::kWarning, "iam: a write of account " + id + " lost to other writers " +
                                  std::to_string(kMaxWriteAttempts) + " times in a row");
  return MakeError(ErrorCode::kServiceUnavailable,
                   "IAM state is being changed by other writers; try again.");
}

Result<void> IdentityStore::TryMutateLocked(const std::string& account_id,
                                            const std::shared_ptr<const AccountInfo>& new_account,
                                            const Mutation& mutate) {
  auto it = drafts_.find(account_id);
  if (new_account != nullptr && it != drafts_.end()) {
    return MakeError(ErrorCode::kEntityAlreadyExists, "The account already exists.");
  }
  if (new_account == nullptr && it == drafts_.end()) {
    return MakeError(ErrorCode::kNoSuchEntity, "The account does not exist.");
  }
  IdentityState before;
  if (new_account != nullptr) before.account_id = account_id;
  const IdentityState& base = new_account != nullptr ? before : it->second;
  IdentityState next = base;
  if (new_account != nullptr) next.account = new_account;
  KURA_TRY(mutate(next));
  std::vector<store::DocumentWrite> writes = DiffStates(base, next, sealer_);
  if (!writes.empty()) {
    auto written = store::WaitFor<uint64_t>([&](store::Callback<uint64_t> done) {
      metadata_.PutDocumentsIf(std::move(writes), *generation_, std::move(done));
    });
    if (!written) {
      generation_.reset();  // whether it committed is unknown after any error: reload
      return written.error();
    }
    generation_ = *written;
  }
  PublishLocked(draft_directory_->With(std::make_shared<const IdentitySnapshot>(next)));
  drafts_[account_id] = std::move(next);
  return Ok();
}

boost::asio::awaitable<Result<void>> IdentityStore::Apply(std::string account_id, Mutation mutate) {
  if (blocking_ == nullptr) co_return Mutate(account_id, nullptr, mutate);
  co_return co_await RunBlocking(*blocking_,
                                 [&] { return Mutate(account_id, nullptr, mutate); });
}

boost::asio::awaitable<Result<void>> IdentityStore::ApplyNew(
    std::shared_ptr<const AccountInfo> account, Mutation mutate) {
  std::string id = account->id;
  if (blocking_ == nullptr) co_return Mutate(id, std::move(account), mutate);
  co_return co_await RunBlocking(*blocking_,
                                 [&] { return Mutate(id, std::move(account), mutate); });
}

}  // namespace kura::iam
