// What the node-state tests share: a temporary directory, and the root-credential environment
// variables cleared for the test's length (they would take precedence over any stored root).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/store/store_test_util.h"

namespace kura::node::testing {

using store::testing::TempDir;

class ClearedRootEnvironment {
 public:
  ClearedRootEnvironment() {
    ::unsetenv("KURA_ROOT_ACCESS_KEY");
    ::unsetenv("KURA_ROOT_SECRET_KEY");
  }
};

inline std::string ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteWhole(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace kura::node::testing
