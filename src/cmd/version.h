// `kura --version` / `kura version`: the version (CMake's project VERSION) and build information
// (git commit, build type, compiler, build date, and the versions of OpenSSL, SQLite and Boost
// kura runs with). Only version.cc sees the generated build_info.h, so a new commit recompiles
// one file. Thread-safety: start-up only.
#pragma once

#include <string>

namespace kura::cmd {

// "kura 0.1.0" followed by one "name: value" line per build fact; the first line is what
// help2man and packaging tools read as the version.
std::string VersionText();

// The version alone ("0.1.0"), for kura_build_info.
std::string VersionNumber();

}  // namespace kura::cmd
