#include "cmd/version.h"

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <boost/version.hpp>

#include "build_info.h"

namespace kura::cmd {

std::string VersionText() {
  // OpenSSL and SQLite are shared libraries: report the versions loaded at run time (what a
  // security update changes), not the headers'. Boost's parts kura uses are compiled in.
  std::string boost = std::to_string(BOOST_VERSION / 100000) + "." +
                      std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                      std::to_string(BOOST_VERSION % 100);
  std::string out = "kura " KURA_VERSION "\n";
  out += "commit:     " KURA_BUILD_COMMIT "\n";
  out += "build type: " KURA_BUILD_TYPE KURA_BUILD_SANITIZERS "\n";
  out += "compiler:   " KURA_BUILD_COMPILER "\n";
  out += "built:      " KURA_BUILD_DATE "\n";
  out += std::string("OpenSSL:    ") + OpenSSL_version(OPENSSL_VERSION) + "\n";
  out += std::string("SQLite:     ") + sqlite3_libversion() + "\n";
  out += "Boost:      " + boost + "\n";
  return out;
}

std::string VersionNumber() { return KURA_VERSION; }

}  // namespace kura::cmd
