#include "kura_bench/workload.h"

namespace kura::bench {

std::optional<Workload> ParseWorkload(std::string_view name) {
  static constexpr std::pair<std::string_view, Workload> kNames[] = {
      {"prepare", Workload::kPrepare}, {"put", Workload::kPut},
      {"get", Workload::kGet},         {"head", Workload::kHead},
      {"list", Workload::kList},       {"delete", Workload::kDelete},
      {"mixed", Workload::kMixed},     {"multipart", Workload::kMultipart},
      {"assume-role", Workload::kAssumeRole}};
  for (const auto& [text, workload] : kNames) {
    if (text == name) return workload;
  }
  return std::nullopt;
}

OpFactory::OpFactory(const WorkloadConfig& config, Workload workload, uint64_t seed)
    : config_(config), workload_(workload), rng_(seed) {
  for (const auto& [type, weight] : config.mix) mix_total_ += weight;
}

uint64_t OpFactory::RandomIndex() {
  return config_.objects == 0 ? 0 : rng_() % config_.objects;
}

std::unique_ptr<Operation> OpFactory::Make(OpType type) {
  switch (type) {
    case OpType::kPut:
      return MakePutObject(config_, RandomIndex());
    case OpType::kGet:
      return MakeGetObject(config_, RandomIndex());
    case OpType::kHead:
      return MakeHeadObject(config_, RandomIndex());
    case OpType::kDelete:
      return MakeDeleteObject(config_, RandomIndex());
    case OpType::kList:
      return MakeListObjects(config_);
    case OpType::kMultipart:
      return MakeMultipartUpload(config_, RandomIndex());
    case OpType::kAssumeRole:
      return MakeAssumeRole(config_, config_.credentials_out);
    case OpType::kCreateBucket:
      return MakeCreateBucket(config_);
  }
  return nullptr;
}

std::unique_ptr<Operation> OpFactory::Next() {
  switch (workload_) {
    case Workload::kPrepare: {
      uint64_t index = config_.sequence->fetch_add(1);
      return index < config_.objects ? MakePutObject(config_, index) : nullptr;
    }
    case Workload::kPut:
      return Make(OpType::kPut);
    case Workload::kGet:
      return Make(OpType::kGet);
    case Workload::kHead:
      return Make(OpType::kHead);
    case Workload::kList:
      return Make(OpType::kList);
    case Workload::kDelete:
      return Make(OpType::kDelete);
    case Workload::kMultipart:
      return Make(OpType::kMultipart);
    case Workload::kAssumeRole:
      return Make(OpType::kAssumeRole);
    case Workload::kCreateBucket:
      return Make(OpType::kCreateBucket);
    case Workload::kMixed:
      break;
  }
  uint64_t pick = mix_total_ == 0 ? 0 : rng_() % mix_total_;
  for (const auto& [type, weight] : config_.mix) {
    if (pick < weight) return Make(type);
    pick -= weight;
  }
  return Make(OpType::kGet);
}

}  // namespace kura::bench
