// kura-bench entry point: parse flags, set up (TLS, digests, temporary credentials, bucket),
// run, report. No logic of its own beyond that order. Exit status: 0 no errors, 1 setup failed,
// 2 usage, 3 some operations failed.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "kura_bench/cli.h"
#include "kura_bench/report.h"
#include "kura_bench/runner.h"
#include "kura_bench/transport.h"

namespace kura::bench {
namespace {

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

bool Writes(const Options& o) {
  if (o.workload == Workload::kPrepare || o.workload == Workload::kPut ||
      o.workload == Workload::kMultipart) {
    return true;
  }
  for (const auto& [type, weight] : o.config.mix) {
    if (o.workload == Workload::kMixed && (type == OpType::kPut || type == OpType::kMultipart)) {
      return true;
    }
  }
  return false;
}

// Digests of every body range the run will send or check, computed before the clock starts.
PayloadCatalog MakeCatalog(const Options& o) {
  DigestNeeds needs;
  needs.sha256 = o.payload_mode == PayloadMode::kSigned && Writes(o);
  needs.md5 = true;
  needs.chunk_size = o.payload_mode == PayloadMode::kChunked ? o.chunk_size : 0;
  PayloadCatalog catalog(needs);
  catalog.Prepare(0, o.config.size);
  if (o.config.range_length > 0) catalog.Prepare(o.config.range_offset, o.config.range_length);
  uint64_t part = o.config.part_size;
  for (uint64_t offset = 0; offset < o.config.size && Writes(o); offset += part) {
    catalog.Prepare(offset, std::min(part, o.config.size - offset));
  }
  return catalog;
}

RunOptions SingleShot() {
  RunOptions run;
  run.requests = 1;
  return run;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "kura-bench: %s\n", what.c_str());
  return 1;
}

// Runs a setup step (AssumeRole, CreateBucket) once; an error if it did not succeed.
Result<void> RunSetupStep(const WorkerSetup& setup, const WorkloadConfig& config,
                          Workload workload, const char* what) {
  auto result = RunWorkload(SingleShot(), setup, config, workload);
  if (!result) return std::move(result).error();
  OpStats total = result->stats.Total();
  if (total.ok == 1) return {};
  std::string kinds;
  for (const auto& [kind, count] : total.errors) kinds += " " + kind;
  return MakeError(ErrorCode::kInternalError, std::string(what) + " failed:" + kinds);
}

int Main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = ParseOptions(args, {EnvOr("AWS_ACCESS_KEY_ID"), EnvOr("AWS_SECRET_ACCESS_KEY"),
                                    EnvOr("AWS_SESSION_TOKEN")});
  if (!parsed) {
    std::fprintf(stderr, "kura-bench: %s\n", parsed.error().message.c_str());
    return 2;
  }
  Options& o = *parsed;
  if (o.help) {
    std::fputs(HelpText().c_str(), stdout);
    return 0;
  }
  if (o.write_pattern) return WritePattern(o.config.size, stdout) ? 0 : 1;

  auto endpoint = ResolveEndpoint(o.endpoint);
  if (!endpoint) return Fail(endpoint.error().message);
  ssl_ctx_st* tls = nullptr;
  if (endpoint->tls) {
    auto context = MakeTlsContext(o.ca_file, o.insecure);
    if (!context) return Fail(context.error().message);
    tls = *context;
  }
  PayloadCatalog catalog = MakeCatalog(o);
  std::atomic<uint64_t> sequence{0};
  o.config.catalog = &catalog;
  o.config.sequence = &sequence;
  WorkerSetup setup{&*endpoint, tls, !o.insecure, o.credentials, o.region, o.payload_mode,
                    o.chunk_size, &catalog};

  if (!o.assume_role_arn.empty()) {
    WorkloadConfig step = o.config;
    step.role_arn = o.assume_role_arn;
    step.credentials_out = &setup.credentials;
    if (auto r = RunSetupStep(setup, step, Workload::kAssumeRole, "AssumeRole"); !r) {
      return Fail(r.error().message);
    }
  }
  if (o.workload == Workload::kPrepare) {
    if (auto r = RunSetupStep(setup, o.config, Workload::kCreateBucket, "CreateBucket"); !r) {
      return Fail(r.error().message);
    }
  }
  RunOptions run;
  run.threads = o.threads;
  run.connections = o.concurrency;
  run.rate = o.rate;
  run.warmup = o.workload == Workload::kPrepare ? std::chrono::nanoseconds(0) : o.warmup;
  run.duration = o.workload == Workload::kPrepare ? std::chrono::nanoseconds(0) : o.duration;
  run.requests = o.workload == Workload::kPrepare ? 0 : o.requests;
  run.progress = o.progress && !o.json && isatty(STDOUT_FILENO) == 1;
  run.server_pids = o.server_pids;
  auto result = RunWorkload(run, setup, o.config, o.workload);
  if (!result) return Fail(result.error().message);

  ReportContext context{o.workload_name, o.endpoint, o.concurrency,
                        std::max(1, std::min(o.threads, o.concurrency)), o.rate, o.config.size};
  std::string report = o.json ? FormatJson(context, *result) : FormatText(context, *result);
  std::fputs(report.c_str(), stdout);
  if (tls != nullptr) FreeTlsContext(tls);
  return result->stats.Total().failed > 0 ? 3 : 0;
}

}  // namespace
}  // namespace kura::bench

int main(int argc, char** argv) { return kura::bench::Main(argc, argv); }
