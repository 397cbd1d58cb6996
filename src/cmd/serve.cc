#include "cmd/serve.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "api/audit_log.h"
#include "api/health_check.h"
#include "policy/authorizer.h"
#include "api/request_pipeline.h"
#include "api/root_credentials.h"
#include "cmd/oidc_setup.h"
#include "cmd/s3_accounts.h"
#include "cmd/sts_setup.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/random.h"
#include "console/assets.h"
#include "console/console_router.h"
#include "cmd/version.h"
#include "metrics/process_metrics.h"
#include "node/config_follower.h"
#include "node/write_acknowledgement.h"
#include "store/key_usage_log.h"
#include "store/node_registry.h"
#include "node/open_node_state.h"
#include "metrics/registry.h"
#include "metrics/request_metrics.h"
#include "metrics/session_metrics.h"
#include "metrics/storage_metrics.h"
#include "metrics/store_metrics.h"
#include "http/server.h"
#include "iam/iam_authorizer.h"
#include "iam/iam_credential_resolver.h"
#include "iam/iam_service.h"
#include "iam/key_usage_flusher.h"
#include "iam/identity_store.h"
#include "iam/secret_sealer.h"
#include "kms/builtin_key_provider.h"
#include "kms/key_registry.h"
#include "kms/kms_service.h"
#include "kms/master_key_ring.h"
#include "organizations/organizations_service.h"
#include "s3/acl_grant_source.h"
#include "store/space/ballast.h"
#include "store/space/free_space.h"
#include "s3/bucket_policy_cache.h"
#include "s3/lifecycle_cache.h"
#include "s3/lifecycle_worker.h"
#include "s3/s3_call.h"
#include "scrub/background_scrubber.h"
#include "scrub/units.h"
#include "sigv4/verifier.h"
#include "store/open_store.h"
#include "store/store.h"
#include "sts/iam_role_directory.h"
#include "sts/session_registry.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;

int Fail(const std::string& what) {
  std::fprintf(stderr, "kura: %s\n", what.c_str());
  return 1;
}

// Raises the soft open-file limit to the hard one. Shells and service managers often start a
// process at a soft limit of 1024 under a far higher hard limit, and the connection cap follows
// the soft limit (http::ConnectionCap): left low, it would turn clients away for nothing. When
// that fails the soft limit stays, and the cap follows it.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

uint64_t OpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return std::numeric_limits<int>::max();
  }
  return limit.rlim_cur;
}

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "HOST:PORT" or "[V6]:PORT", as --listen and --console-listen take it.
Result<HostPort> ParseHostPort(const std::string& flag, const std::string& value) {
  size_t colon = value.rfind(':');
  if (colon == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "--" + flag + " needs HOST:PORT");
  HostPort result;
  result.host = value.substr(0, colon);
  if (result.host.size() > 2 && result.host.front() == '[') result.host = result.host.substr(1, result.host.size() - 2);
  try {
    int port = std::stoi(value.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    result.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return MakeError(ErrorCode::kInvalidArgument, "bad --" + flag + " port");
  }
  return result;
}

Result<http::ServerConfig> ServerConfigFrom(const std::map<std::string, std::string>& flags) {
  http::ServerConfig config;
  auto listen = ParseHostPort("listen", flags.at("listen"));
  if (!listen) return listen.error();
  config.host = listen->host;
  config.port = listen->port;
  try {
    config.threads = std::stoi(flags.at("threads"));
    config.max_connections = std::stoi(flags.at("max-connections"));
    if (config.max_connections < 0) throw std::out_of_range("max-connections");
  } catch (const std::exception&) {
    return MakeError(ErrorCode::kInvalidArgument, "bad --threads or --max-connections");
  }
  config.max_connections = http::ConnectionCap(config.max_connections, OpenFileLimit());
  if (!flags.at("tls-cert").empty() != !flags.at("tls-key").empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "--tls-cert and --tls-key go together");
  }
  if (!flags.at("tls-cert").empty()) {
    config.tls_cert = flags.at("tls-cert");
    config.tls_key = flags.at("tls-key");
  }
  auto proxies = http::TrustedProxies::Parse(flags.at("trusted-proxies"));
  if (!proxies) return proxies.error();
  config.trusted_proxies = std::move(proxies).value();
  return config;
}

// The crash leftovers a start-up must not wait for: blobs sealed by a process that died before
// their metadata committed. Runs once on the blocking pool while the server already serves.
// The free-space reserve (--min-free-space) and the metadata ballast (--metadata-ballast), see
// store/space/. The ballast is made before the store opens; a failure to make it (a disk
// already full) is logged, and the monitor makes it once there is room.
struct SpaceReserve {
  std::unique_ptr<store::space::Ballast> ballast;  // null: none
  std::unique_ptr<store::space::FreeSpaceMonitor> monitor;
};

Result<SpaceReserve> SetUpSpaceReserve(const std::map<std::string, std::string>& flags,
                                       const fs::path& data_dir, const Clock& clock) {
  namespace space = store::space;
  auto reserve = space::ParseReserve(flags.at("min-free-space"));
  if (!reserve) return reserve.error();
  auto ballast_size = space::ParseReserve(flags.at("metadata-ballast"));
  if (!ballast_size || ballast_size->kind != space::Reserve::Kind::kBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "bad --metadata-ballast: want bytes, e.g. 16MiB");
  }
  SpaceReserve result;
  result.monitor = std::make_unique<space::FreeSpaceMonitor>(data_dir, *reserve, clock);
  if (ballast_size->bytes == 0) return result;
  result.ballast = std::make_unique<space::Ballast>(data_dir / "reserve", ballast_size->bytes);
  if (auto made = result.ballast->Make(); !made) {
    LogLine(LogLevel::kWarning, "store: no metadata ballast yet: " + made.error().message);
  }
  result.monitor->OnRoom(ballast_size->bytes, [ballast = result.ballast.get()] {
    if (ballast->present()) return;
    if (auto made = ballast->Make(); made) {
      LogLine(LogLevel::kInfo, "store: free space is back; the metadata ballast is re-made");
    }
  });
  return result;
}

// A non-negative decimal count ("100000").
std::optional<size_t> ParseCount(const std::string& text) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return static_cast<size_t>(std::stoull(text));
}

// The audit trail (--audit-log, --audit-log-max-size, --audit-log-max-files): disabled for "off",
// standard error for "-" (never rotated), else a file rotated by size.
Result<std::unique_ptr<api::AuditLog>> OpenAuditLog(const std::map<std::string, std::string>& flags) {
  const std::string& path = flags.at("audit-log");
  if (path == "off" || path.empty()) return std::make_unique<api::AuditLog>();
  auto max_size = scrub::ParseByteRate(flags.at("audit-log-max-size"));
  if (!max_size) return MakeError(ErrorCode::kInvalidArgument, "--audit-log-max-size: " + max_size.error().message);
  int max_files = std::atoi(flags.at("audit-log-max-files").c_str());
  if (max_files < 0 || flags.at("audit-log-max-files").find_first_not_of("0123456789") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "--audit-log-max-files must be a number of files");
  }
  return api::AuditLog::Open({.file = {.path = path, .max_size = *max_size, .max_files = max_files}});
}

// What the audit log and the live session registry tell /metrics (docs/operations.md, "Metrics").
void AddAuditAndSessionMetrics(metrics::Registry& registry, const api::AuditLog& audit,
                               const sts::SessionRegistry* sessions) {
  registry.AddCounter("kura_audit_records_written_total", "Audit records written to the audit log.",
                      [&audit] { return static_cast<double>(audit.written_records()); });
  registry.AddCounter("kura_audit_records_dropped_total",
                      "Audit records dropped: the queue was full or their write failed.",
                      [&audit] { return static_cast<double>(audit.dropped_records()); });
  if (sessions == nullptr) return;
  registry.AddGauge("kura_sts_live_sessions",
                    "STS sessions held by the live session registry (some may have expired since its last purge).",
                    [sessions] { return static_cast<double>(sessions->stats().live); });
}

void SweepOrphanBlobs(store::Store& store) {
  auto removed = store::RemoveOrphanBlobs(store);
  if (!removed) {
    LogLine(LogLevel::kError, "store: orphan blob sweep failed: " + removed.error().message);
  } else if (*removed > 0) {
    LogLine(LogLevel::kInfo, "store: removed " + std::to_string(*removed) + " orphan blobs");
  }
}

// The console listener's file source: the files built into the binary, or --console-assets' directory.
Result<std::unique_ptr<console::AssetSource>> ConsoleAssets(const std::string& dir) {
  if (dir.empty()) return std::unique_ptr<console::AssetSource>(
      std::make_unique<console::EmbeddedAssetSource>(console::EmbeddedAssets()));
  auto source = console::DirectoryAssetSource::Open(dir);
  if (!source) return source.error();
  return std::unique_ptr<console::AssetSource>(std::move(*source));
}

// Everything /metrics shows (docs/operations.md, "Metrics"). Built before the store, whose
// commits it counts; the figures of objects built later (the server's open connections) are
// callbacks added once those exist.
struct Metrics {
  explicit Metrics(size_t session_role_labels) : sessions(session_role_labels) {}
  metrics::RequestMetrics requests;
  metrics::SessionMetrics sessions;
  metrics::StoreMetrics store;
  metrics::Registry registry;
};

Result<std::unique_ptr<Metrics>> SetUpMetrics(const std::map<std::string, std::string>& flags,
                                              const fs::path& data_dir, const Clock& clock) {
  int role_labels = -1;
  try {
    role_labels = std::stoi(flags.at("metrics-session-roles"));
  } catch (const std::exception&) {
  }
  if (role_labels < 0 || role_labels > static_cast<int>(metrics::SessionMetrics::kMaxRoleLabels)) {
    return MakeError(ErrorCode::kInvalidArgument, "--metrics-session-roles must be 0 to 256");
  }
  auto m = std::make_unique<Metrics>(static_cast<size_t>(role_labels));
  Metrics* raw = m.get();
  m->registry.AddCollector([raw](metrics::TextWriter& out) { raw->requests.Collect(out); });
  m->registry.AddCollector([raw](metrics::TextWriter& out) { raw->sessions.Collect(out); });
  m->registry.AddCollector([raw](metrics::TextWriter& out) { raw->store.Collect(out); });
  metrics::AddProcessMetrics(m->registry, VersionNumber(), clock);
  metrics::AddStorageMetrics(m->registry, data_dir, {data_dir / "meta.db", data_dir / "meta.db-wal"});
  return m;
}

// The shutdown order, which matters (issue #10: ASan heap-use-after-free at SIGTERM). Callbacks
// of store writes run on the store's writer thread and hold the awaiting coroutine's wake-up
// timer (AwaitCallback), which belongs to the server's io_context; pool jobs hold the same.
//   1. join the blocking pool and the metadata read threads: no job runs or submits a write any
//      more; their completions wait, queued, on the stopped io_context; then write the access
//      keys' last uses a last time (iam/key_usage_flusher.h), on this thread, store still open;
//   2. close the metadata store: its writer commits what is queued and runs the callbacks
//      (IdentityStore::Publish, the posts that wake coroutines) while the io_context and
//      everything else they touch still exist, and drops its references to their timers;
//   3. (the caller) destroy the server: its io_context destroys the suspended connection
//      coroutines and the queued completions — whose blob writers discard their temp files
//      through the blob store, still open — and the timers go while their service exists.
// Before, the store closed last, after the io_context: the writer thread then freed a timer
// whose service was gone, and could publish into a destroyed IdentityStore.
void ShutDown(boost::asio::thread_pool& blocking, boost::asio::thread_pool* metadata_reads,
              iam::KeyUsageFlusher& key_usage, store::Store& store) {
  blocking.join();
  if (metadata_reads != nullptr) metadata_reads->join();
  (void)key_usage.FlushNow();  // logs a failure
  store.metadata.reset();
}

void PrintNewRootCredentials(const api::RootCredentials& root, const std::string& kept_in) {
  std::printf(
      "Generated root credentials (shown once; kept in %s):\n"
      "  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n",
      kept_in.c_str(), root.access_key_id.c_str(),
      std::string(root.secret_key.Reveal()).c_str());
  std::fflush(stdout);
}
// --config-poll: a whole number of seconds ("1s") or milliseconds ("250ms").
Result<std::chrono::milliseconds> ParseConfigPoll(const std::string& text) {
  bool ms = text.ends_with("ms");
  std::string digits = text.substr(0, text.size() - (ms ? 2 : text.ends_with("s") ? 1 : 0));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 9 || std::stoll(digits) == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "--config-poll must be e.g. 1s or 250ms");
  }
  auto count = std::stoll(digits);
  return ms ? std::chrono::milliseconds(count) : std::chrono::seconds(count);
}

// With shared metadata, the follower of other nodes' configuration changes (null otherwise);
// `node_id` is the node's row in the store's node registry, made before the caches were loaded.
std::unique_ptr<node::ConfigFollower> FollowConfiguration(
    store::NodeRegistry* registry, std::chrono::milliseconds interval, std::string node_id,
    store::MetadataStore& metadata, uint64_t loaded_at, std::vector<node::FollowedCache> caches) {
  if (registry == nullptr) return nullptr;
  node::FollowerOptions options;
  options.interval = interval;
  options.stale_after = node::StaleBoundFor(interval);
  options.node_id = std::move(node_id);
  return std::make_unique<node::ConfigFollower>(metadata, registry, std::move(caches),
                                                std::move(options), loaded_at);
}

}  // namespace

int Serve(const std::map<std::string, std::string>& flags) {
  // A peer that closes mid-response makes sendfile(2) raise SIGPIPE, whose default action would
  // end the whole server; ignored, the write fails with EPIPE and only that connection ends.
  std::signal(SIGPIPE, SIG_IGN);
  // Everything kura creates is its own alone (the stores also ask for 0600/0700 explicitly).
  ::umask(077);
  RaiseOpenFileLimit();  // before the connection cap is derived from it
  auto server_config = ServerConfigFrom(flags);
  if (!server_config) return Fail(server_config.error().message);
  const std::string& sse_c_flag = flags.at("sse-c-over-http");
  if (sse_c_flag != "on" && sse_c_flag != "off") return Fail("--sse-c-over-http must be 'on' or 'off'");
  const std::string& sigv2_flag = flags.at("sigv2");
  if (sigv2_flag != "on" && sigv2_flag != "off") return Fail("--sigv2 must be 'on' or 'off'");
  bool sigv2 = sigv2_flag == "on";
  const std::string& level = flags.at("log-level");
  SetLogLevel(level == "debug" ? LogLevel::kDebug : level == "warning" ? LogLevel::kWarning
              : level == "error" ? LogLevel::kError : LogLevel::kInfo);

  fs::path data_dir = flags.at("data-dir");
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Fail("cannot create data dir " + data_dir.string() + ": " + ec.message());
  ::chmod(data_dir.c_str(), 0700);

  SecureRandom random;
  SystemClock clock;
  auto space_reserve = SetUpSpaceReserve(flags, data_dir, clock);
  if (!space_reserve) return Fail(space_reserve.error().message);
  auto metric_set = SetUpMetrics(flags, data_dir, clock);
  if (!metric_set) return Fail(metric_set.error().message);
  store::sqlite::SqliteOptions store_options;
  store_options.on_commit = [store_metrics = &(*metric_set)->store](std::chrono::nanoseconds took,
                                                                 size_t writes) {
    store_metrics->ObserveCommit(took, writes);
  };
  if (store::space::Ballast* ballast = space_reserve->ballast.get()) {
    store_options.release_space = [ballast] { return ballast->Release(); };
  }
  store::OpenStats open_stats;
  const store::StoreLocations locations{flags.at("metadata"), flags.at("blobs")};
  auto store = store::OpenStore(data_dir, locations, std::move(store_options), &open_stats);
  if (!store) return Fail("cannot open the store: " + store.error().message);

  boost::asio::thread_pool blocking(2);
  // With shared metadata each read is a network round trip: the S3 handlers make them on these
  // threads, one per read connection of the store, never on an I/O thread (issue #20).
  std::optional<boost::asio::thread_pool> metadata_read_threads;
  if (store::SharesMetadata(locations)) metadata_read_threads.emplace(store::kSharedMetadataReads);
  boost::asio::thread_pool* metadata_reads =
      metadata_read_threads ? &*metadata_read_threads : nullptr;
  // The configuration follower's polls run on a thread of their own: requests waiting on the
  // blocking pool for an engine that fails (RADOS timing out, PostgreSQL not answering) must not
  // keep the poll from running, or the node would turn stale and refuse everything.
  boost::asio::thread_pool follower_thread(1);
  const std::string& region = flags.at("region");
  // Where the node's own state lives (node/open_node_state.h): with shared metadata, in the
  // metadata store, so that every node serves the same account, root key and token keys.
  const node::NodeStateHome node_home = store::SharesMetadata(locations)
                                            ? node::NodeStateHome::kMetadataStore
                                            : node::NodeStateHome::kDataDir;
  const char* master_key_env = std::getenv(kms::kMasterKeyEnv);
  if (auto checked = node::CheckMasterKeySource(node_home, flags.at("master-key-file"),
                                                master_key_env == nullptr ? "" : master_key_env);
      !checked) {
    return Fail(checked.error().message);
  }
  auto secrets_key =
      node::OpenSecretsKey(node_home, data_dir, flags.at("secrets-key-file"), random);
  if (!secrets_key) return Fail(secrets_key.error().message);
  auto sealer = iam::SecretSealer::Create(std::move(*secrets_key), random);
  if (!sealer) return Fail(sealer.error().message);
  std::unique_ptr<node::NodeState> node_state =
      node::OpenNodeState(node_home, data_dir, *store->metadata, *sealer, random);
  auto account_id = node_state->LoadOrCreateAccountId();
  if (!account_id) return Fail(account_id.error().message);
  auto root = node_state->LoadOrCreateRootCredentials();
  if (!root) return Fail(root.error().message);
  bool print_root = root->newly_created;
  api::RootCredentials root_copy = *root;
  iam::AccountInfo management{.id = *account_id,
                              .name = flags.at("account-name"),
                              .email = flags.at("account-email"),
                              .management = true,
                              .joined = clock.Now()};
  // With shared metadata, the node registers (as behind every write) before it loads any
  // configuration: a write committed from now on waits for this node's confirmation, and every
  // write before is in what it loads (node/write_acknowledgement.h).
  // Every metadata store is a node registry; only a shared one has other nodes to tell.
  store::NodeRegistry* node_registry =
      store::SharesMetadata(locations) ? dynamic_cast<store::NodeRegistry*>(store->metadata.get())
                                       : nullptr;
  auto config_poll = ParseConfigPoll(flags.at("config-poll"));
  if (!config_poll) return Fail(config_poll.error().message);
  const std::string node_id = node_registry ? "node-" + random.Chars(16, "0123456789abcdef") : "";
  if (node_registry != nullptr) {
    if (auto registered = node_registry->ConfirmFollowing(node_id, 0); !registered) {
      return Fail("cannot register in the node registry: " + registered.error().message);
    }
  }
  // Read before any configuration is loaded: a write landing meanwhile is seen by the first poll.
  auto config_loaded_at = store->metadata->ConfigGeneration();
  if (!config_loaded_at) return Fail("cannot read the configuration generation: " + config_loaded_at.error().message);
  auto identities = iam::IdentityStore::Open(*store->metadata, management, *sealer, &blocking);
  if (!identities) return Fail("cannot load IAM state: " + identities.error().message);
  iam::KeyUsageTracker key_usage(region);
  iam::IamCredentialResolver iam_resolver(**identities, key_usage);
  // Every metadata store keeps the keys' last uses (store/key_usage_log.h).
  auto* key_usage_log = dynamic_cast<store::KeyUsageLog*>(store->metadata.get());
  if (key_usage_log == nullptr) return Fail("the metadata store keeps no access key uses");
  api::RootCredentialResolver root_resolver(std::move(*root), *account_id);
  int sts_min_duration = std::atoi(flags.at("sts-min-duration").c_str());
  if (sts_min_duration < 1) return Fail("--sts-min-duration must be a positive number of seconds");
  auto max_live_sessions = ParseCount(flags.at("sts-max-live-sessions"));
  if (!max_live_sessions) return Fail("--sts-max-live-sessions must be a number (0: no registry)");
  sts::IamRoleDirectory roles(**identities);
  auto oidc = BuildOidc(flags, clock);
  if (!oidc) return Fail("cannot set up web identity federation: " + oidc.error().message);
  sts::StsConfig sts_config{*account_id, sts_min_duration, {}};
  sts_config.on_issued = [sessions = &(*metric_set)->sessions](std::string_view role_arn) {
    sessions->SessionIssued(role_arn);
  };
  auto token_keys = node_state->OpenTokenKeyRing(clock.Now());
  if (!token_keys) return Fail("cannot set up STS: " + token_keys.error().message);
  auto sts = BuildSts(data_dir, std::move(*token_keys), std::move(sts_config), roles, clock, random,
                      sts::WebIdentity{oidc->keys.get(), &blocking}, *max_live_sessions);
  if (!sts) return Fail("cannot set up STS: " + sts.error().message);
  sigv4::CredentialResolverChain resolver({&root_resolver, &iam_resolver, sts->resolver.get()});
  s3::BucketPolicyCache bucket_policies(*store->metadata, *account_id);
  if (auto loaded = bucket_policies.Load(); !loaded) return Fail("cannot load bucket policies: " + loaded.error().message);
  int lifecycle_day = std::atoi(flags.at("lifecycle-day-seconds").c_str());
  if (lifecycle_day < 1) return Fail("--lifecycle-day-seconds must be a positive number of seconds");
  s3::LifecycleRulesCache lifecycle_rules(*store->metadata, std::chrono::seconds(lifecycle_day));
  if (auto loaded = lifecycle_rules.Load(); !loaded) {
    return Fail("cannot load lifecycle configurations: " + loaded.error().message);
  }
  // The background scrubber (issue #16; scrub/background_scrubber.h): --scrub-interval 0 disables
  // it. Started with the lifecycle worker once serving, stopped before the store closes.
  auto scrub_interval = scrub::ParseInterval(flags.at("scrub-interval"));
  if (!scrub_interval) return Fail("--scrub-interval: " + scrub_interval.error().message);
  auto scrub_rate = scrub::ParseByteRate(flags.at("scrub-rate"));
  if (!scrub_rate) return Fail("--scrub-rate: " + scrub_rate.error().message);
  std::optional<scrub::BackgroundScrubber> scrubber;
  // The scrubber reads blob files; a RADOS pool is scrubbed by Ceph itself (deep scrub).
  if (scrub_interval->count() > 0 && store::KeepsBlobFiles(locations)) {
    scrubber.emplace(scrub::BackgroundConfig{data_dir, *scrub_interval, *scrub_rate}, clock);
  }
  s3::LifecycleWorker lifecycle_worker(*store->metadata, *store->blobs, clock, random,
                                       {.day = std::chrono::seconds(lifecycle_day)});
  s3::S3Env s3_env{*store->metadata, *store->blobs, clock,     blocking,       region,
                   *account_id,     random,         resolver, bucket_policies, lifecycle_rules,
                   flags.at("account-name"), flags.at("account-email"), sigv2};
  s3_env.sse_c_over_http = sse_c_flag == "on";
  s3_env.metadata_reads = metadata_reads;
  S3Accounts s3_accounts(**identities);
  s3_env.accounts = &s3_accounts;
  std::filesystem::path master_key_file = kms::MasterKeyFile(data_dir, flags.at("master-key-file"));
  auto master_keys = kms::OpenMasterKeyRing(
      {master_key_file, master_key_env == nullptr ? "" : master_key_env}, random, clock.Now());
  if (!master_keys) return Fail("cannot open the master key ring: " + master_keys.error().message);
  // `kura kms rotate-master-key` takes effect without a restart (a key from the environment
  // has no file to follow).
  std::optional<sts::KeyRingWatcher> master_key_watcher;
  std::vector<WatchedKeyRing> watched_rings{{"sts: token key ring", sts->watcher.get()}};
  if (master_key_env == nullptr) {
    master_key_watcher.emplace(**master_keys);
    watched_rings.push_back({"kms: master key ring", &*master_key_watcher});
  }
  auto kms_keys = kms::KeyRegistry::Open(*store->metadata, **master_keys, random, clock, region);
  if (!kms_keys) return Fail("cannot load KMS keys: " + kms_keys.error().message);
  if (store::SharesMetadata(locations)) (*kms_keys)->ReloadOnMiss();
  kms::BuiltinKeyProvider key_provider(**master_keys, random, kms_keys->get());
  s3_env.keys = &key_provider;
  sigv4::Verifier verifier(resolver, clock, region,
                           {.enabled = sigv2, .virtual_host_domain = flags.at("domain")});
  s3::AclGrantSource acl_grants(bucket_policies, *store->metadata, metadata_reads);
  iam::IamAuthorizer authorizer(**identities, clock, region, &bucket_policies, &acl_grants);
  iam::IamService iam_service(**identities, {key_usage, key_usage_log, &blocking}, clock, random,
                              sts->sessions.get());
  auto create_statuses = organizations::CreateAccountStatusLog::Open(*store->metadata);
  if (!create_statuses) return Fail("cannot load account requests: " + create_statuses.error().message);
  auto follower = FollowConfiguration(
      node_registry, *config_poll, node_id, *store->metadata, *config_loaded_at,
      {{"iam", [&identities] { return (*identities)->Reload(); }},
       {"bucket policies", [&bucket_policies] { return bucket_policies.Load(); }},
       {"lifecycle rules", [&lifecycle_rules] { return lifecycle_rules.Load(); }},
       {"kms keys", [&kms_keys] { return (*kms_keys)->Reload(); }},
       {"account requests", [&create_statuses] { return (*create_statuses)->Reload(); }}});
  // The free-space reserve guards the file system that holds the data; on PostgreSQL and RADOS
  // the data dir holds none (an audit log, a session journal), and a node must not refuse writes
  // for its own disk that the shared engines would take.
  const bool data_dir_holds_data =
      store::KeepsBlobFiles(locations) || !store::SharesMetadata(locations);
  api::PipelineConfig pipeline_config{flags.at("domain"),
                                      data_dir_holds_data ? space_reserve->monitor.get() : nullptr,
                                      &(*metric_set)->requests};
  std::function<bool()> configuration_stale;
  std::optional<node::WriteAcknowledgement> acknowledgement;
  if (node::ConfigFollower* f = follower.get()) {
    configuration_stale = [f] { return f->Stale(); };
    pipeline_config.configuration_stale = configuration_stale;
    acknowledgement.emplace(*store->metadata, *node_registry, blocking,
                            node::AcknowledgementFor(f->options().interval,
                                                     node::LivenessBound(f->options())),
                            [f] { (void)f->Poll(); });
    pipeline_config.await_followers = [a = &*acknowledgement]() -> boost::asio::awaitable<void> {
      co_await a->Await();
    };
  }
  auto audit = OpenAuditLog(flags);
  if (!audit) return Fail(audit.error().message);
  api::RequestPipeline pipeline(std::move(pipeline_config), s3_env, verifier, authorizer, random,
                                **audit);
  AddAuditAndSessionMetrics((*metric_set)->registry, **audit, sts->sessions.get());
  pipeline.AddQueryService(iam_service);
  pipeline.AddQueryService(*sts->service);
  kms::KmsService kms_service(**kms_keys, authorizer);
  pipeline.SetKmsService(kms_service);
  organizations::OrganizationsService organizations_service({**identities, **create_statuses,
                                                             node_state->AccountCredentials(), authorizer,
                                                             clock, random, blocking});
  pipeline.SetOrganizationsService(organizations_service);
  // GET /_kura/health for load balancers (api/health_check.h), on both listeners.
  api::HealthCheckRouter health_check(flags.at("domain"), configuration_stale, pipeline);

  // The console listener (--console-listen): the console's pages, then the same pipeline.
  std::optional<HostPort> console_listen;
  if (!flags.at("console-listen").empty()) {
    auto parsed = ParseHostPort("console-listen", flags.at("console-listen"));
    if (!parsed) return Fail(parsed.error().message);
    console_listen = *parsed;
  }
  auto console_assets = ConsoleAssets(flags.at("console-assets"));
  if (!console_assets) return Fail(console_assets.error().message);
  metrics::Registry& registry = (*metric_set)->registry;
  metrics::RequestMetrics& request_metrics = (*metric_set)->requests;
  console::ConsoleRouter console_router(
      console::ConsoleOptions{
          .assets = console_assets->get(),
          .metrics_page = [&registry] { return registry.Render(); },
          .observe =
              [&request_metrics](std::string_view operation, int status, std::chrono::nanoseconds took) {
                request_metrics.Record(metrics::Api::kConsole, operation, status, took, 0, 0);
              }},
      health_check);

  // Shown before the port is bound: whoever waits for the port finds them already written.
  if (print_root) PrintNewRootCredentials(root_copy, node_state->RootCredentialsPlace());
  {
    // The server and what runs on its io_context live in this block, so that they are destroyed
    // after the shutdown steps below and before what their coroutines use.
    auto server = http::Server::Open(*server_config, health_check);
    if (!server) return Fail(server.error().message);
    std::optional<uint16_t> console_port;
    if (console_listen) {
      auto bound = (*server)->AddListener(console_listen->host, console_listen->port, console_router);
      if (!bound) return Fail(bound.error().message);
      console_port = *bound;
    }
    http::Server* serving = server->get();
    registry.AddGauge("kura_open_connections", "Connections open now, on every listener.",
                      [serving] { return static_cast<double>(serving->open_connections()); });
    boost::asio::signal_set signals((*server)->io_context(), SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { (*server)->Stop(); });
    KeyRingReloader key_ring_reloader((*server)->io_context(), std::move(watched_rings));
    iam::KeyUsageFlusher key_usage_flusher(
        key_usage, *key_usage_log, (*server)->io_context(), blocking,
        store::SharesMetadata(locations) ? std::chrono::milliseconds(iam::kSharedKeyUsageFlush)
                                         : std::chrono::milliseconds(iam::kEmbeddedKeyUsageFlush));

    // Before "kura listening on", which stays the last start-up line (tests wait for it).
    if (console_port) {
      std::printf("kura console on %s://%s:%u/ (pages, /metrics; also S3, IAM and STS)\n",
                  server_config->tls_cert ? "http(s)" : "http", console_listen->host.c_str(),
                  *console_port);
    }
    std::printf("kura listening on %s://%s:%u (region %s, data dir %s, account %s); removed %d temp files\n",
                server_config->tls_cert ? "http(s)" : "http", server_config->host.c_str(),
                (*server)->port(), region.c_str(), data_dir.c_str(), account_id->c_str(),
                open_stats.temp_files_removed);
    std::fflush(stdout);
    LogLine(LogLevel::kInfo, "http: serving at most " + std::to_string(server_config->max_connections) +
                                 " connections at once (open-file limit " + std::to_string(OpenFileLimit()) + ")");
    boost::asio::post(blocking, [&store] { SweepOrphanBlobs(*store); });
    if (follower) {
      (void)follower->Poll();  // fresh (and confirmed to the others) before the first request
      follower->Start((*server)->io_context(), follower_thread);
    }
    lifecycle_worker.Start();
    key_usage_flusher.Start();
    if (scrubber) scrubber->Start();
    (*server)->Run();  // returns once a signal stopped the io_context and its threads ended
    lifecycle_worker.Stop();  // between two of its writes, before the store closes
    if (follower) follower->Stop();  // its timer goes before the io_context; leaves the registry
    follower_thread.join();  // a poll in progress ends (it posts to the stopped io_context)
    if (scrubber) scrubber->Stop();  // after the object in hand, its cursor saved
    key_usage_flusher.Stop();  // a flush in progress ends with the blocking pool
    ShutDown(blocking, metadata_reads, key_usage_flusher, *store);
  }  // destroys the reloader and the signal set, then the server (see ShutDown)
  return 0;
}

}  // namespace kura::cmd
