// `kura account create|list|show|close`: the operator's commands for accounts (docs/accounts.md).
// Each signs one AWS Organizations call (CreateAccount, ListAccounts, DescribeAccount,
// CloseAccount) to the running server as the management account's root (cmd/admin_client.h)
// and prints the answer; `create` also prints the new account's root credentials, which the
// server left in DATA/accounts/ID/root-credentials (so it needs the server's --data-dir).
#pragma once

#include <string>
#include <vector>

namespace kura::cmd {

// args: the words after `kura account`. The process exit code.
int AccountCommand(const std::vector<std::string>& args);

}  // namespace kura::cmd
