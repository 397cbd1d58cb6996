#include "cmd/flags.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "common/text.h"

namespace kura::cmd {
namespace {
std::string EnvName(const std::string& flag) {
  std::string name = "KURA_";
  for (char c : flag) name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return name;
}

const FlagSpec* Find(const std::string& name) {
  for (const auto& spec : ServeFlags()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

Result<void> ReadConfigFile(const std::string& path, std::map<std::string, std::string>& out) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read config file " + path);
  std::string line;
  while (std::getline(in, line)) {
    line = std::string(TrimLineWhitespace(line));
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string name(TrimLineWhitespace(std::string_view(line).substr(0, eq)));
    if (eq == std::string::npos || Find(name) == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, "config file " + path + ": unknown setting '" + name + "'");
    }
    out[name] = std::string(TrimLineWhitespace(line.substr(eq + 1)));
  }
  return Ok();
}
}  // namespace

const std::vector<FlagSpec>& ServeFlags() {
  static const std::vector<FlagSpec> kFlags = {
      {"data-dir", "./kura-data", "directory for metadata, object data and keys (created 0700)"},
      {"metadata", "sqlite",
       "where buckets, objects' metadata, IAM, STS and KMS state live: 'sqlite' (DATA/meta.db) "
       "or a PostgreSQL URL postgresql://USER@HOST:PORT/DB shared by several nodes (see "
       "docs/scale-out.md)"},
      {"blobs", "files",
       "where object bytes live: 'files' (DATA/blobs) or a Ceph RADOS pool "
       "rados://POOL?conf=/etc/ceph/ceph.conf&id=admin (see docs/scale-out.md)"},
      {"listen", "127.0.0.1:9000", "HOST:PORT to serve S3, IAM and STS on (port 0 = any free port)"},
      {"region", "us-east-1", "the region this endpoint is (SigV4 scope, bucket location)"},
      {"domain", "", "enables virtual-hosted-style requests: BUCKET.DOMAIN"},
      {"tls-cert", "", "PEM certificate chain; with --tls-key the port also speaks HTTPS"},
      {"tls-key", "", "PEM private key for --tls-cert"},
      {"console-listen", "",
       "HOST:PORT of the console listener: the web console's pages and /metrics (unsigned, "
       "unauthenticated: keep it on loopback or a private network) plus the same S3, IAM and STS "
       "APIs as --listen; empty = off (port 0 = any free port)"},
      {"console-assets", "",
       "serve the console's files from this directory instead of those built into the binary "
       "(for working on the pages)"},
      {"metrics-session-roles", "0",
       "give kura_sts_sessions_issued_total a role label for the first N role ARNs (at most 256; "
       "later roles count as role=\"other\"); 0 = one series, no label. Role names are chosen by "
       "an account's users: opt in only where they are trusted not to flood the scrape"},
      {"trusted-proxies", "",
       "load balancers, ADDRESS[/PREFIX][,…]: on a connection from one, a request's source "
       "address (aws:SourceIp, the audit record) is the client its X-Forwarded-For names, "
       "read from the right past trusted addresses; empty = the peer is the source"},
      {"threads", "0", "I/O threads (0 = one per core)"},
      {"max-connections", "0",
       "connections served at once, one more is answered 503 SlowDown; 0 = as many as the "
       "open-file limit allows, (RLIMIT_NOFILE - 64) / 2, which is also the most (kura raises "
       "its soft RLIMIT_NOFILE to the hard limit at start)"},
      {"audit-log", "-",
       "audit trail destination: one CloudTrail-shaped JSON record per request (see "
       "docs/operations.md), to a file path (created 0600), '-' for stderr, 'off' to disable"},
      {"audit-log-max-size", "100MiB",
       "size at which the audit log file is rotated (AUDIT → AUDIT.1 → … ; same units as "
       "--scrub-rate; 0 = never rotate)"},
      {"audit-log-max-files", "5",
       "rotated audit log files kept (AUDIT.1 … AUDIT.N, the oldest removed; 0 keeps none)"},
      {"account-name", "kura",
       "the management account's name: its DisplayName in ACLs and listings (member "
       "accounts' names are given when they are created)"},
      {"account-email", "",
       "the management account's e-mail address: ACL grants by emailAddress resolve to it; "
       "unknown ones are UnresolvableGrantByEmailAddress"},
      {"sigv2", "on",
       "'on' accepts AWS Signature Version 2 for S3 (Authorization: AWS, presigned "
       "AWSAccessKeyId/Signature/Expires URLs, POST policy v2); 'off' refuses it, leaving "
       "SigV4 only"},
      {"sse-c-over-http", "off",
       "'on' accepts SSE-C (customer-provided keys) over plain HTTP, for local tests only; 'off' "
       "refuses it as AWS does (400 InvalidRequest): the key would cross the network in the clear"},
      {"master-key-file", "",
       "file holding the master key ring that seals SSE-S3 data keys and KMS key material "
       "(default DATA/kms/master.keys, created 0600 on first start); the environment variable "
       "KURA_MASTER_KEY (64 hex digits) supplies a single master key instead"},
      {"secrets-key-file", "",
       "file holding the 32-byte key that seals secrets in the metadata store (IAM users' secret "
       "keys; default DATA/secrets.key, created 0600 on first start)"},
      {"sts-min-duration", "900", "smallest DurationSeconds STS accepts (AWS: 900)"},
      {"sts-max-live-sessions", "100000",
       "live STS sessions the registry keeps (no secrets; IAM ListSessions, the console; "
       "journal DATA/sts-sessions): when full, the one that expires soonest is dropped; 0 "
       "disables the registry"},
      {"lifecycle-day-seconds", "86400",
       "length of one lifecycle day (Expiration Days, NoncurrentDays, DaysAfterInitiation); "
       "the lifecycle worker runs every quarter day, at most every 60 s. Lower only for tests"},
      {"scrub-interval", "30d",
       "time between the background scrubber's full passes over every stored object (verifying "
       "checksums, sizes, missing and orphan blobs; see kura scrub), e.g. 30d, 12h, 90s; 0 "
       "disables it"},
      {"scrub-rate", "16MiB",
       "bytes per second the background scrubber may read (e.g. 16MiB, 512KiB; 0 = no limit)"},
      {"oidc-ca-file", "", "extra PEM CA bundle for fetching OIDC providers' keys over HTTPS"},
      {"oidc-jwks-file", "", "ISSUER=PATH[,…]: use this JWKS file instead of fetching (air-gapped)"},
      {"oidc-fetch-timeout-ms", "5000", "deadline for fetching an OIDC discovery document or JWKS"},
      {"min-free-space", "default",
       "free space kept on the data dir's file system: below it, writes that take space "
       "(PutObject, uploads, copies, CreateBucket, IAM/KMS creates…) are refused with 507 "
       "InsufficientStorage before their body is read, while deletes and revocations go on. "
       "Bytes with an optional suffix (K, M, G, T; KiB, MiB, GiB, TiB), a percentage of the "
       "file system (2%), 0 for none, or 'default': max(1GiB, 2%), at most 5% of the disk. "
       "Not applied on --metadata postgresql://… with --blobs rados://… (no data in the data dir)"},
      {"metadata-ballast", "16MiB",
       "size of DATA/reserve, space set aside so that deletes and revocations can commit on a "
       "full disk: released when a metadata commit finds no room, re-made when there is room "
       "again (same units as --min-free-space; 0 = none)"},
      {"config-poll", "100ms",
       "with shared metadata (--metadata postgresql://…): how often the node checks for "
       "configuration other nodes changed (IAM, bucket policies, lifecycle, KMS keys), reloads "
       "it and confirms it in the store's node registry, e.g. 100ms, 1s. A configuration write "
       "answers once every live node confirmed it; a node that cannot confirm for max(2s, 5 "
       "times this) refuses requests (503) until it can, and writes stop waiting for it after "
       "that plus max(500ms, this)"},
      {"log-level", "info", "debug, info, warning or error"},
      {"config", "", "file of 'name = value' lines for any of these flags"},
  };
  return kFlags;
}

Result<std::map<std::string, std::string>> ParseServeFlags(const std::vector<std::string>& args) {
  std::map<std::string, std::string> command_line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!arg.starts_with("--")) return MakeError(ErrorCode::kInvalidArgument, "unexpected argument '" + arg + "'");
    std::string name = arg.substr(2), value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return MakeError(ErrorCode::kInvalidArgument, "flag --" + name + " needs a value");
    }
    if (Find(name) == nullptr) return MakeError(ErrorCode::kInvalidArgument, "unknown flag --" + name);
    command_line[name] = value;
  }
  std::map<std::string, std::string> values;
  for (const auto& spec : ServeFlags()) values[spec.name] = spec.default_value;
  std::string config = command_line.count("config") ? command_line["config"] : "";
  if (const char* env = std::getenv("KURA_CONFIG"); config.empty() && env) config = env;
  if (!config.empty()) KURA_TRY(ReadConfigFile(config, values));
  for (const auto& spec : ServeFlags()) {
    if (const char* env = std::getenv(EnvName(spec.name).c_str())) values[spec.name] = env;
  }
  for (auto& [name, value] : command_line) values[name] = value;
  return values;
}

std::string ServeUsage() {
  std::string out =
      "usage: kura serve [flags]\n\n"
      "Serves the S3, IAM and STS APIs on one endpoint.\n\n"
      "Root credentials come from KURA_ROOT_ACCESS_KEY / KURA_ROOT_SECRET_KEY; when unset, the\n"
      "first start generates them, stores them in DATA_DIR/root-credentials (mode 0600) and prints\n"
      "them once.\n\nflags (each also settable as KURA_<NAME> in the environment):\n";
  for (const auto& spec : ServeFlags()) {
    std::string left = "  --" + spec.name;
    left.resize(std::max<size_t>(left.size() + 1, 22), ' ');
    out += left + spec.help;
    if (!spec.default_value.empty()) out += " (default " + spec.default_value + ")";
    out += "\n";
  }
  return out;
}

}  // namespace kura::cmd
