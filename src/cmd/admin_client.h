// The admin commands' client for the running server (`kura sts revoke-sessions`, `kura account
// …`): one SigV4-signed POST over plain HTTP, signed with the management account's root
// credentials (KURA_ROOT_ACCESS_KEY/SECRET_KEY, else DATA/root-credentials), as any AWS SDK
// would sign it. Blocking; for command-line use only.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/root_credentials.h"
#include "common/error.h"

namespace kura::cmd {

// `--name value` pairs over `defaults`. Other arguments go to *positionals, or are refused
// (kInvalidArgument) when it is null.
Result<std::map<std::string, std::string>> ParseAdminFlags(
    const std::vector<std::string>& args, std::map<std::string, std::string> defaults,
    std::vector<std::string>* positionals = nullptr);

struct AdminEndpoint {
  std::string host;
  std::string port;
};

// http://HOST[:PORT][/…]; kInvalidArgument for anything else (https is not spoken here).
Result<AdminEndpoint> ParseAdminEndpoint(std::string_view url);

// The root credentials to sign with; kInvalidArgument naming both sources when neither exists.
Result<api::RootCredentials> AdminCredentials(const std::filesystem::path& data_dir);

struct AdminRequest {
  std::string service;  // SigV4 scope: "iam", "organizations", …
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>>
      headers;  // further signed headers, lower-case names
};

struct AdminResponse {
  int status = 0;
  std::string body;
};

// POSTs `request` to / and reads the answer; kInternalError when the server cannot be reached.
Result<AdminResponse> PostSigned(const AdminEndpoint& endpoint, const std::string& region,
                                 const api::RootCredentials& root, const AdminRequest& request);

}  // namespace kura::cmd
