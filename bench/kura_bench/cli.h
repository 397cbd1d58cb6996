// kura-bench's command line: `kura-bench WORKLOAD [flags]`, every flag documented in HelpText().
// Parsing is pure (the environment's AWS_* defaults are passed in) so it is unit-tested.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "kura_bench/request_builder.h"
#include "kura_bench/workload.h"

namespace kura::bench {

struct Options {
  bool help = false;
  bool write_pattern = false;  // `kura-bench pattern --size N > file`
  std::string workload_name;
  Workload workload = Workload::kGet;
  std::string endpoint = "http://127.0.0.1:9000";
  Credentials credentials;
  bool anonymous = false;  // --anonymous: unsigned requests (credentials cleared)
  std::string region = "us-east-1";
  std::string assume_role_arn;  // run with credentials from one AssumeRole at start
  WorkloadConfig config;
  PayloadMode payload_mode = PayloadMode::kSigned;
  int sse_flags = 0;  // how many of --sse / --sse-c were given (at most one)
  uint64_t chunk_size = 64 * 1024;
  int concurrency = 16;
  int threads = 1;
  double rate = 0;
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  bool duration_given = false;  // --requests alone runs unbounded in time
  std::chrono::nanoseconds warmup = std::chrono::seconds(2);
  uint64_t requests = 0;
  bool json = false;
  bool progress = true;  // only shown on a terminal
  std::vector<int> server_pids;
  std::string ca_file;
  bool insecure = false;
};

struct Environment {
  std::string access_key_id;      // AWS_ACCESS_KEY_ID
  std::string secret_access_key;  // AWS_SECRET_ACCESS_KEY
  std::string session_token;      // AWS_SESSION_TOKEN
};

Result<Options> ParseOptions(const std::vector<std::string_view>& args, const Environment& env);
std::string HelpText();

// "4096", "4KiB", "1GiB", "10MB" (decimal), "0". nullopt on anything else.
std::optional<uint64_t> ParseSize(std::string_view text);
// "10s", "500ms", "2m", "1h", "30" (seconds).
std::optional<std::chrono::nanoseconds> ParseDuration(std::string_view text);
// "get=70,put=20,delete=10".
Result<std::vector<std::pair<OpType, unsigned>>> ParseMix(std::string_view text);

}  // namespace kura::bench
