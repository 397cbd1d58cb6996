// The workloads kura-bench runs and the factory that makes each worker's stream of operations:
// keys drawn uniformly from the key space (or in order for prepare), types drawn by the --mix
// weights. Thread-safety: a WorkloadConfig is shared read-only (its counter is atomic); each
// worker owns its OpFactory.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kura_bench/operation.h"
#include "kura_bench/sse.h"

namespace kura::bench {

// kCreateBucket is internal (the first step of prepare).
enum class Workload {
  kPrepare, kPut, kGet, kHead, kList, kDelete, kMixed, kMultipart, kAssumeRole, kCreateBucket
};
std::optional<Workload> ParseWorkload(std::string_view name);

struct WorkloadConfig {
  std::string bucket = "kura-bench";
  std::string key_prefix = "obj-";
  uint64_t objects = 1000;
  uint64_t size = 4096;
  uint64_t part_size = 8ull << 20;
  int max_keys = 1000;
  std::string role_arn;
  std::string role_session_name = "kura-bench";
  int duration_seconds = 3600;
  std::vector<std::pair<OpType, unsigned>> mix;  // for kMixed
  SseHeaders sse;                                // --sse / --sse-c
  // --range OFFSET:LENGTH: GET asks for these bytes (Range: bytes=…); length 0: the whole object.
  uint64_t range_offset = 0;
  uint64_t range_length = 0;
  const PayloadCatalog* catalog = nullptr;
  std::atomic<uint64_t>* sequence = nullptr;  // prepare: the next key index to write
  Credentials* credentials_out = nullptr;     // assume-role: where to keep the last credentials
};

std::string ObjectPath(const WorkloadConfig& config, uint64_t index);  // "/bucket/prefixN"

// Operations, each made for one key (or none).
std::unique_ptr<Operation> MakePutObject(const WorkloadConfig& config, uint64_t index);
std::unique_ptr<Operation> MakeGetObject(const WorkloadConfig& config, uint64_t index);
std::unique_ptr<Operation> MakeHeadObject(const WorkloadConfig& config, uint64_t index);
std::unique_ptr<Operation> MakeDeleteObject(const WorkloadConfig& config, uint64_t index);
std::unique_ptr<Operation> MakeCreateBucket(const WorkloadConfig& config);
std::unique_ptr<Operation> MakeListObjects(const WorkloadConfig& config);
std::unique_ptr<Operation> MakeMultipartUpload(const WorkloadConfig& config, uint64_t index);
// On success stores the parsed credentials in *out (when not null).
std::unique_ptr<Operation> MakeAssumeRole(const WorkloadConfig& config, Credentials* out);

class OpFactory {
 public:
  OpFactory(const WorkloadConfig& config, Workload workload, uint64_t seed);
  // The next operation; nullptr when the workload is exhausted (prepare wrote every key).
  std::unique_ptr<Operation> Next();

 private:
  std::unique_ptr<Operation> Make(OpType type);
  uint64_t RandomIndex();

  const WorkloadConfig& config_;
  Workload workload_;
  std::mt19937_64 rng_;
  unsigned mix_total_ = 0;
};

}  // namespace kura::bench
