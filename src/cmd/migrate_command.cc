#include "cmd/migrate_command.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "migrate/migration.h"

namespace kura::cmd {
namespace {

constexpr char kUsage[] =
    "usage: kura migrate --from DATA_DIR --to postgresql://… --blobs rados://…\n"
    "                    --secrets-key-file FILE\n\n"
    "Moves an embedded kura (a data dir: SQLite metadata, blob files, node state) onto\n"
    "PostgreSQL and Ceph RADOS, for nodes that share them (docs/scale-out.md, \"From one\n"
    "machine to many\"): every bucket with its configuration, every object version and delete\n"
    "marker with all its metadata and bytes, multipart uploads in progress with their parts,\n"
    "every document (IAM, STS, OIDC, KMS keys, Organizations) and the node state (account id,\n"
    "root credentials, session token keys, member accounts' root credentials, sealed with the\n"
    "secrets key). Then it reads everything back from the target and compares: every bucket's\n"
    "version listing, every blob's bytes (re-read from RADOS), every document.\n\n"
    "It only reads the data dir, and refuses while a kura serve runs on it, and refuses a\n"
    "target that already holds data. Serve the target with the same secrets key and the data\n"
    "dir's KMS master key (--master-key-file DATA/kms/master.keys, or the KURA_MASTER_KEY the\n"
    "data dir was served with).\n\n"
    "flags:\n"
    "  --from DIR                the data dir (also --data-dir; default $KURA_DATA_DIR)\n"
    "  --to URL                  the PostgreSQL metadata, as kura serve's --metadata\n"
    "  --blobs URL               the RADOS pool, as kura serve's --blobs\n"
    "  --secrets-key-file FILE   the secrets key the shared nodes use: a copy of the data\n"
    "                            dir's DATA/secrets.key (its IAM secrets are sealed with it)\n\n"
    "exit status: 0 migrated and verified, 1 copied but the verification found differences,\n"
    "2 could not run (nothing committed)\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura migrate: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

// nullopt after printing usage; *exit holds the status to return.
std::optional<migrate::MigrationOptions> ParseOptions(const std::vector<std::string>& args,
                                                      int* exit) {
  migrate::MigrationOptions options;
  if (const char* env = std::getenv("KURA_DATA_DIR"); env != nullptr && *env) {
    options.data_dir = env;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      *exit = 0;
      return std::nullopt;
    }
    if (i + 1 >= args.size()) {
      *exit = Usage("unknown flag or missing value: " + arg);
      return std::nullopt;
    }
    const std::string& value = args[++i];
    if (arg == "--from" || arg == "--data-dir") {
      options.data_dir = value;
    } else if (arg == "--to" || arg == "--metadata") {
      options.metadata = value;
    } else if (arg == "--blobs") {
      options.blobs = value;
    } else if (arg == "--secrets-key-file") {
      options.secrets_key_file = value;
    } else {
      *exit = Usage("unknown flag " + arg);
      return std::nullopt;
    }
  }
  if (options.data_dir.empty() || options.metadata.empty() || options.blobs.empty() ||
      options.secrets_key_file.empty()) {
    *exit = Usage("--from, --to, --blobs and --secrets-key-file are required");
    return std::nullopt;
  }
  return options;
}

void PrintSummary(const migrate::MigrationReport& report) {
  const migrate::RowCounts& rows = report.rows;
  std::printf(
      "migrated: %d buckets, %llu object versions (%llu delete markers), %llu bytes (%llu blobs "
      "into RADOS, %llu bytes inline), %llu uploads in progress (%llu parts), %llu documents\n",
      rows.buckets, static_cast<unsigned long long>(rows.versions),
      static_cast<unsigned long long>(rows.delete_markers),
      static_cast<unsigned long long>(report.blob_bytes + rows.inline_bytes),
      static_cast<unsigned long long>(report.blobs),
      static_cast<unsigned long long>(rows.inline_bytes),
      static_cast<unsigned long long>(rows.uploads), static_cast<unsigned long long>(rows.parts),
      static_cast<unsigned long long>(rows.documents));
  std::printf("node state: account id, %s, %s, %d member accounts' root credentials\n",
              report.root_credentials ? "root credentials"
                                      : "no root credentials file (they came from the "
                                        "environment: set the same KURA_ROOT_* on every node)",
              report.token_keys ? "session token keys" : "no session token keys yet",
              report.member_accounts);
}

}  // namespace

int MigrateCommand(const std::vector<std::string>& args) {
  int exit = 0;
  auto options = ParseOptions(args, &exit);
  if (!options) return exit;
  auto report = migrate::Migrate(*options, [](std::string_view line) {
    std::fprintf(stderr, "kura migrate: %.*s\n", static_cast<int>(line.size()), line.data());
  });
  if (!report) {
    std::fprintf(stderr, "kura migrate: %s\n", report.error().message.c_str());
    return 2;
  }
  PrintSummary(*report);
  if (!report->mismatches.empty()) {
    std::printf("verification FAILED: %zu differences between the data dir and the target:\n",
                report->mismatches.size());
    for (const auto& mismatch : report->mismatches) std::printf("  %s\n", mismatch.c_str());
    return 1;
  }
  std::printf(
      "verified: every bucket's version listing, every blob re-read from RADOS, every document "
      "and the node state match the data dir\n");
  return 0;
}

}  // namespace kura::cmd
