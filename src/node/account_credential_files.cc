#include "node/account_credential_files.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace kura::node {
namespace fs = std::filesystem;

fs::path AccountCredentialsFile(const fs::path& data_dir, std::string_view account_id) {
  return data_dir / "accounts" / std::string(account_id) / "root-credentials";
}

Result<api::RootCredentials> ReadAccountCredentials(const fs::path& file) {
  std::ifstream in(file);
  std::string key, secret;
  if (!(in >> key >> secret)) {
    return MakeError(ErrorCode::kInternalError, "cannot read " + file.string());
  }
  return api::RootCredentials{key, Secret(secret), false};
}

Result<void> AccountCredentialFiles::Write(std::string_view account_id,
                                           std::string_view access_key_id,
                                           const Secret& secret_key) {
  fs::path file = AccountCredentialsFile(data_dir_, account_id);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec)
    return MakeError(ErrorCode::kInternalError, "cannot create " + file.parent_path().string());
  ::chmod(file.parent_path().parent_path().c_str(), 0700);
  ::chmod(file.parent_path().c_str(), 0700);
  return api::WritePrivateFile(
      file, std::string(access_key_id) + "\n" + std::string(secret_key.Reveal()) + "\n");
}

}  // namespace kura::node
