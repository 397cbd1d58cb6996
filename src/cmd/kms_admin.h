// `kura kms …` admin commands (cmd/kms_admin.cc).
#pragma once

#include <string>
#include <vector>

namespace kura::cmd {

// Runs `kura kms ARGS…`; returns the exit code.
int KmsCommand(const std::vector<std::string>& args);

}  // namespace kura::cmd
