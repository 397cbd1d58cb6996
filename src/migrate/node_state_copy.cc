#include "migrate/node_state_copy.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "common/key_ring_file.h"
#include "node/account_credential_files.h"
#include "node/data_dir_node_state.h"
#include "node/document_key_ring.h"
#include "node/document_node_state.h"
#include "node/node_documents.h"
#include "sts/token_key_ring.h"

namespace kura::migrate {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadAccountId(const fs::path& data_dir) {
  fs::path path = data_dir / "account-id";
  std::ifstream in(path);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path.string() + " is missing: not a data dir kura has served from");
  }
  std::string id;
  std::getline(in, id);
  if (id.size() != 12) return MakeError(ErrorCode::kInternalError, path.string() + " is malformed");
  return id;
}

// Member accounts' root credentials, by account id.
Result<std::vector<std::pair<std::string, api::RootCredentials>>> ReadMemberCredentials(
    const fs::path& data_dir) {
  std::vector<std::pair<std::string, api::RootCredentials>> members;
  std::error_code ec;
  if (!fs::is_directory(data_dir / "accounts", ec)) return members;
  for (fs::directory_iterator it(data_dir / "accounts", ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string account_id = it->path().filename().string();
    fs::path file = node::AccountCredentialsFile(data_dir, account_id);
    if (!fs::exists(file)) continue;
    auto credentials = node::ReadAccountCredentials(file);
    if (!credentials) return credentials.error();
    members.emplace_back(account_id, std::move(*credentials));
  }
  if (ec) {
    return MakeError(ErrorCode::kInternalError,
                     "cannot list " + (data_dir / "accounts").string() + ": " + ec.message());
  }
  return members;
}

std::string Document(std::string_view kind, std::string_view id) {
  return "node state " + std::string(kind) + "/" + std::string(id);
}

}  // namespace

Result<NodeStateFiles> ReadNodeState(const fs::path& data_dir, const iam::SecretSealer& sealer) {
  NodeStateFiles state;
  const std::string kind(node::kNodeStateKind);
  auto account_id = ReadAccountId(data_dir);
  if (!account_id) return account_id.error();
  state.documents.push_back({kind, std::string(node::kAccountIdDocument), *account_id});

  if (fs::path root = data_dir / "root-credentials"; fs::exists(root)) {
    auto credentials = node::ReadAccountCredentials(root);
    if (!credentials) return credentials.error();
    state.documents.push_back({kind, std::string(node::kRootCredentialsDocument),
                               node::SealCredentialsDocument(sealer, credentials->access_key_id,
                                                             credentials->secret_key)});
    state.root_credentials = true;
  }

  auto keys = ReadKeyFile(sts::kTokenKeys, node::TokenKeyFile(data_dir));
  if (keys) {
    state.documents.push_back({kind, std::string(node::kTokenKeysDocument),
                               node::SealKeyRingDocument(sealer, sts::kTokenKeys, kind,
                                                         node::kTokenKeysDocument, *keys)});
    state.token_keys = true;
  } else if (keys.error().code != ErrorCode::kNoSuchEntity) {
    return keys.error();
  }

  auto members = ReadMemberCredentials(data_dir);
  if (!members) return members.error();
  for (const auto& [member_id, credentials] : *members) {
    state.documents.push_back(
        {std::string(node::kAccountCredentialsKind), member_id,
         node::SealCredentialsDocument(sealer, credentials.access_key_id, credentials.secret_key)});
  }
  state.member_accounts = static_cast<int>(members->size());
  return state;
}

void VerifyNodeState(const fs::path& data_dir, store::MetadataStore& target,
                     const iam::SecretSealer& sealer, std::vector<std::string>& mismatches) {
  auto account_id = ReadAccountId(data_dir);
  auto stored_id = target.GetDocument(node::kNodeStateKind, node::kAccountIdDocument);
  if (!account_id || !stored_id || !*stored_id || **stored_id != *account_id) {
    mismatches.push_back(Document(node::kNodeStateKind, node::kAccountIdDocument) +
                         " differs from DATA/account-id");
  }

  auto same_credentials = [&](const fs::path& file, std::string_view kind, std::string_view id) {
    auto expected = node::ReadAccountCredentials(file);
    auto stored = target.GetDocument(kind, id);
    std::string where = Document(kind, id);
    if (!expected || !stored || !*stored) {
      mismatches.push_back(where + " is missing");
      return;
    }
    auto opened = node::OpenCredentialsDocument(sealer, **stored, where);
    if (!opened || opened->access_key_id != expected->access_key_id ||
        opened->secret_key.Reveal() != expected->secret_key.Reveal()) {
      mismatches.push_back(where + " does not open to " + file.string() + "'s credentials");
    }
  };
  if (fs::exists(data_dir / "root-credentials")) {
    same_credentials(data_dir / "root-credentials", node::kNodeStateKind,
                     node::kRootCredentialsDocument);
  }
  if (auto members = ReadMemberCredentials(data_dir); members) {
    for (const auto& [member_id, credentials] : *members) {
      same_credentials(node::AccountCredentialsFile(data_dir, member_id),
                       node::kAccountCredentialsKind, member_id);
    }
  }

  auto keys = ReadKeyFile(sts::kTokenKeys, node::TokenKeyFile(data_dir));
  if (!keys) return;
  node::DocumentKeyRingStorage ring(target, sealer, sts::kTokenKeys,
                                    std::string(node::kNodeStateKind),
                                    std::string(node::kTokenKeysDocument));
  auto stored = ring.Load();
  if (!stored ||
      FormatKeyFile(sts::kTokenKeys, stored->keys) != FormatKeyFile(sts::kTokenKeys, *keys)) {
    mismatches.push_back(Document(node::kNodeStateKind, node::kTokenKeysDocument) +
                         " does not open to DATA/sts-keys");
  }
}

}  // namespace kura::migrate
