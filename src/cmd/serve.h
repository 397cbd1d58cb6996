// `kura serve`: builds the server's objects from flags and runs until SIGINT/SIGTERM.
// Wiring only — no request logic lives here.
#pragma once

#include <map>
#include <string>

namespace kura::cmd {

// Returns the process exit code.
int Serve(const std::map<std::string, std::string>& flags);

}  // namespace kura::cmd
