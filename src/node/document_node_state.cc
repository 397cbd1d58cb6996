#include "node/document_node_state.h"

#include <cstdlib>

#include "common/ids.h"
#include "node/document_key_ring.h"
#include "node/node_documents.h"
#include "store/wait.h"
#include "sts/token_key_ring.h"

namespace kura::node {
namespace {

std::string Where(std::string_view kind, std::string_view id) {
  return "document " + std::string(kind) + "/" + std::string(id);
}

}  // namespace

std::string SealCredentialsDocument(const iam::SecretSealer& sealer, std::string_view access_key_id,
                                    const Secret& secret_key) {
  return std::string(access_key_id) + "\n" + sealer.Seal(access_key_id, secret_key) + "\n";
}

Result<api::RootCredentials> OpenCredentialsDocument(const iam::SecretSealer& sealer,
                                                     std::string_view value,
                                                     std::string_view where) {
  size_t newline = value.find('\n');
  if (newline == std::string_view::npos || newline == 0 || !value.ends_with('\n')) {
    return MakeError(ErrorCode::kInternalError, std::string(where) + " is malformed");
  }
  std::string access_key_id(value.substr(0, newline));
  auto secret = sealer.Open(access_key_id, value.substr(newline + 1, value.size() - newline - 2));
  if (!secret)
    return MakeError(ErrorCode::kInternalError, std::string(where) + ": " + secret.error().message);
  return api::RootCredentials{std::move(access_key_id), std::move(*secret), false};
}

Result<void> AccountCredentialDocuments::Write(std::string_view account_id,
                                               std::string_view access_key_id,
                                               const Secret& secret_key) {
  std::string value = SealCredentialsDocument(sealer_, access_key_id, secret_key);
  return store::WaitFor<void>([&](store::Callback<void> done) {
    metadata_.PutDocuments(
        {{std::string(kAccountCredentialsKind), std::string(account_id), std::move(value)}},
        std::move(done));
  });
}

Result<api::RootCredentials> AccountCredentialDocuments::Read(std::string_view account_id) const {
  auto value = metadata_.GetDocument(kAccountCredentialsKind, account_id);
  if (!value) return value.error();
  std::string where = Where(kAccountCredentialsKind, account_id);
  if (!*value) return MakeError(ErrorCode::kNoSuchEntity, where);
  return OpenCredentialsDocument(sealer_, **value, where);
}

DocumentNodeState::DocumentNodeState(store::MetadataStore& metadata,
                                     const iam::SecretSealer& sealer, Random& random)
    : metadata_(metadata), sealer_(sealer), random_(random), account_documents_(metadata, sealer) {}

Result<std::string> DocumentNodeState::LoadOrCreateAccountId() {
  auto adopted =
      AdoptOrCreateDocument(metadata_, kNodeStateKind, kAccountIdDocument, NewAccountId(random_));
  if (!adopted) return adopted.error();
  if (adopted->value.size() != 12) {
    return MakeError(ErrorCode::kInternalError,
                     Where(kNodeStateKind, kAccountIdDocument) + " is malformed");
  }
  return std::move(adopted->value);
}

Result<api::RootCredentials> DocumentNodeState::LoadOrCreateRootCredentials() {
  const char* env_key = std::getenv("KURA_ROOT_ACCESS_KEY");
  const char* env_secret = std::getenv("KURA_ROOT_SECRET_KEY");
  if (env_key && env_secret && *env_key && *env_secret) {
    return api::RootCredentials{env_key, Secret(env_secret), false};
  }
  api::RootCredentials candidate{NewId(random_, IdPrefix::kAccessKey),
                                 Secret(NewSecretKey(random_)), true};
  auto adopted = AdoptOrCreateDocument(
      metadata_, kNodeStateKind, kRootCredentialsDocument,
      SealCredentialsDocument(sealer_, candidate.access_key_id, candidate.secret_key));
  if (!adopted) return adopted.error();
  if (adopted->created) return candidate;
  return OpenCredentialsDocument(sealer_, adopted->value,
                                 Where(kNodeStateKind, kRootCredentialsDocument));
}

Result<std::unique_ptr<KeyRing>> DocumentNodeState::OpenTokenKeyRing(TimePoint now) {
  auto storage = std::make_unique<DocumentKeyRingStorage>(metadata_, sealer_, sts::kTokenKeys,
                                                          std::string(kNodeStateKind),
                                                          std::string(kTokenKeysDocument));
  return KeyRing::OpenOrCreate(std::move(storage), sts::kTokenKeys, random_, now);
}

std::string DocumentNodeState::RootCredentialsPlace() const {
  return "the metadata store, " + Where(kNodeStateKind, kRootCredentialsDocument) + ", sealed";
}

std::string DocumentNodeState::TokenKeysPlace() const {
  return "the metadata store, " + Where(kNodeStateKind, kTokenKeysDocument) + ", sealed";
}

}  // namespace kura::node
