// `kura kms rotate-master-key`: a new active master key in the master key file (DATA/kms/
// master.keys or --master-key-file). Older keys stay in the ring for ever: every SSE-S3 data key
// and KMS key material they sealed still opens. A running server picks the new key up at its
// next start (until then it keeps sealing with the key it loaded, which stays valid).
// Refused when KURA_MASTER_KEY supplies the key (kms/master_key_ring.h).
#include "cmd/kms_admin.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "kms/master_key_ring.h"

namespace kura::cmd {
namespace {

constexpr char kUsage[] =
    "usage: kura kms <command> [flags]\n\n"
    "commands:\n"
    "  rotate-master-key  [--data-dir DIR] [--master-key-file PATH]\n"
    "      make a new active master key (keys it replaces stay, to unseal what they sealed);\n"
    "      a running server uses it from its next start\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura kms: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

}  // namespace

int KmsCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "rotate-master-key") return Usage("unknown command '" + args[0] + "'");
  std::map<std::string, std::string> flags = {{"data-dir", "./kura-data"}, {"master-key-file", ""}};
  for (size_t i = 1; i < args.size(); i += 2) {
    std::string name = args[i].starts_with("--") ? args[i].substr(2) : "";
    if (!flags.contains(name) || i + 1 >= args.size())
      return Usage("bad argument '" + args[i] + "'");
    flags[name] = args[i + 1];
  }
  const char* env = std::getenv(kms::kMasterKeyEnv);
  kms::MasterKeySource source{kms::MasterKeyFile(flags["data-dir"], flags["master-key-file"]),
                              env == nullptr ? "" : env};
  SecureRandom random;
  SystemClock clock;
  auto rotated = kms::RotateMasterKey(source, random, clock.Now());
  if (!rotated) {
    std::fprintf(stderr, "kura kms: %s\n", rotated.error().message.c_str());
    return 1;
  }
  std::printf("active master key is now %u (in %s); running servers seal with it within 5 s (or at once on SIGHUP)\n",
              *rotated, source.file.c_str());
  return 0;
}

}  // namespace kura::cmd
