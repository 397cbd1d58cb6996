#include "kura_bench/operation.h"

#include <algorithm>

namespace kura::bench {

std::string_view OpTypeName(OpType type) {
  switch (type) {
#define KURA_BENCH_OP_NAME(name, text) \
  case OpType::name:                   \
    return text;
    KURA_BENCH_OP_TYPES(KURA_BENCH_OP_NAME)
#undef KURA_BENCH_OP_NAME
  }
  return "?";
}

void ReplyBody::OnBody(std::string_view bytes) {
  bytes_ += bytes.size();
  crc_ = Crc32c(crc_, bytes);
  if (keep_ && kept_.size() < kMaxKept) {
    kept_.append(bytes.substr(0, std::min(bytes.size(), kMaxKept - kept_.size())));
  }
}

StepResult Done() { return {StepResult::Kind::kDone, {}}; }
StepResult Continue() { return {StepResult::Kind::kContinue, {}}; }
StepResult Failed(std::string error) { return {StepResult::Kind::kFailed, std::move(error)}; }
StepResult FailedStatus(int status) { return Failed(std::to_string(status)); }

bool IsMd5ETag(std::string_view etag) {
  if (etag.size() == 34 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, 32);
  if (etag.size() != 32) return false;
  return std::all_of(etag.begin(), etag.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

}  // namespace kura::bench
