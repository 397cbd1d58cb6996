// Where a member account's root credentials are left for the operator:
// DATA/accounts/ID/root-credentials (mode 0600, in a 0700 directory), in the format of
// DATA/root-credentials (access key id, newline, secret, newline). The server writes the file
// when CreateAccount makes the account; `kura account create` prints it once.
// Thread-safety: plain functions and a stateless sink.
#pragma once

#include <filesystem>
#include <string_view>

#include "api/root_credentials.h"
#include "organizations/organizations_service.h"

namespace kura::node {

std::filesystem::path AccountCredentialsFile(const std::filesystem::path& data_dir,
                                             std::string_view account_id);

// The credentials in an account's file; kInternalError when missing or malformed.
Result<api::RootCredentials> ReadAccountCredentials(const std::filesystem::path& file);

class AccountCredentialFiles final : public organizations::RootCredentialsSink {
 public:
  explicit AccountCredentialFiles(std::filesystem::path data_dir)
      : data_dir_(std::move(data_dir)) {}
  Result<void> Write(std::string_view account_id, std::string_view access_key_id,
                     const Secret& secret_key) override;

 private:
  std::filesystem::path data_dir_;
};

}  // namespace kura::node
