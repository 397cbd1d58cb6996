// Command-line flags of `kura serve`: each flag may also come from the environment
// (KURA_<NAME>, e.g. KURA_DATA_DIR) or from a config file (--config FILE, lines "name = value");
// the command line wins over the environment, which wins over the file.
// Thread-safety: used at start-up only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace kura::cmd {

struct FlagSpec {
  std::string name;           // "data-dir"
  std::string default_value;  // "" = none
  std::string help;
};

// The flags of `kura serve`, in --help order.
const std::vector<FlagSpec>& ServeFlags();

// Parses argv (after the subcommand) into name → value. kInvalidArgument names the bad flag.
Result<std::map<std::string, std::string>> ParseServeFlags(const std::vector<std::string>& args);

std::string ServeUsage();

}  // namespace kura::cmd
