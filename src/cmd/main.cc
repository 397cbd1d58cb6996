// kura: an S3-compatible object store with IAM and STS. The entry point parses the subcommand
// and hands over; see cmd/serve.cc for the server's wiring.
#include <cstdio>
#include <string>
#include <vector>

#include "cmd/account_admin.h"
#include "cmd/flags.h"
#include "cmd/kms_admin.h"
#include "cmd/migrate_command.h"
#include "cmd/scrub_command.h"
#include "cmd/serve.h"
#include "cmd/sts_setup.h"
#include "cmd/version.h"

namespace {
constexpr char kUsage[] =
    "usage: kura <command> [flags]\n\n"
    "commands:\n"
    "  serve     serve S3, IAM, STS, KMS and Organizations (kura serve --help for flags)\n"
    "  sts       session tokens: rotate-key, list-sessions, revoke-sessions (kura sts --help)\n"
    "  kms       master key admin: rotate-master-key (kura kms --help)\n"
    "  account   accounts: create, list, show, close (kura account --help)\n"
    "  migrate   move a data dir onto PostgreSQL and Ceph RADOS (kura migrate --help)\n"
    "  scrub     verify every stored object's bytes and checksums (kura scrub --help)\n"
    "  version   print the version and build information (also kura --version)\n";
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "version" || command == "--version") {
    std::fputs(kura::cmd::VersionText().c_str(), stdout);
    return 0;
  }
  if (command == "serve") {
    for (const auto& a : args) {
      if (a == "--help" || a == "-h") {
        std::fputs(kura::cmd::ServeUsage().c_str(), stdout);
        return 0;
      }
    }
    auto flags = kura::cmd::ParseServeFlags(args);
    if (!flags) {
      std::fprintf(stderr, "kura serve: %s\n\n%s", flags.error().message.c_str(),
                   kura::cmd::ServeUsage().c_str());
      return 2;
    }
    return kura::cmd::Serve(*flags);
  }
  if (command == "sts") return kura::cmd::StsCommand(args);
  if (command == "kms") return kura::cmd::KmsCommand(args);
  if (command == "account") return kura::cmd::AccountCommand(args);
  if (command == "migrate") return kura::cmd::MigrateCommand(args);
  if (command == "scrub") return kura::cmd::ScrubCommand(args);
  std::fprintf(stderr, "kura: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
