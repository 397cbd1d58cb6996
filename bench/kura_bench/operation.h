// One logical operation of a workload. Most are one request (GetObject, PutObject, AssumeRole);
// a multipart upload (Create, UploadPart..., Complete) and a paginated listing are several, sent
// one after the other on one connection. The operation checks every reply — status, size and
// checksum — so a fast wrong answer counts as an error, never as throughput.
// Thread-safety: an Operation lives on one worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kura_bench/payload.h"
#include "kura_bench/request_builder.h"
#include "kura_bench/response_parser.h"

namespace kura::bench {

// Table of operation types; report and JSON names come from here.
#define KURA_BENCH_OP_TYPES(X) \
  X(kPut, "put")               \
  X(kGet, "get")               \
  X(kHead, "head")             \
  X(kList, "list")             \
  X(kDelete, "delete")         \
  X(kMultipart, "multipart")   \
  X(kAssumeRole, "assume-role") \
  X(kCreateBucket, "create-bucket")

enum class OpType {
#define KURA_BENCH_OP_ENUM(name, text) name,
  KURA_BENCH_OP_TYPES(KURA_BENCH_OP_ENUM)
#undef KURA_BENCH_OP_ENUM
};
inline constexpr int kOpTypeCount = 8;
std::string_view OpTypeName(OpType type);

// Receives a response body: keeps up to kMaxKept bytes (XML replies) and checksums all of it.
class ReplyBody final : public BodySink {
 public:
  static constexpr size_t kMaxKept = 1 << 20;
  void Reset(bool keep) {
    keep_ = keep;
    kept_.clear();
    bytes_ = 0;
    crc_ = 0;
  }
  void OnBody(std::string_view bytes) override;
  std::string_view kept() const { return kept_; }
  uint64_t bytes() const { return bytes_; }
  uint32_t crc32c() const { return crc_; }

 private:
  bool keep_ = false;
  std::string kept_;
  uint64_t bytes_ = 0;
  uint32_t crc_ = 0;
};

struct StepResult {
  enum class Kind { kContinue, kDone, kFailed };
  Kind kind = Kind::kDone;
  std::string error;  // kFailed: "404", "verify", "xml" ...
};

class Operation {
 public:
  virtual ~Operation() = default;
  virtual OpType type() const = 0;
  // The next request; called first, then after every kContinue.
  virtual RequestSpec NextRequest() = 0;
  // Whether the reply body must be kept (XML) rather than only checksummed.
  virtual bool KeepsBody() const { return false; }
  virtual StepResult OnReply(const ResponseHead& head, const ReplyBody& body) = 0;
  // Payload bytes moved by the operation (for MB/s).
  virtual uint64_t payload_bytes() const { return 0; }
};

// Helpers for OnReply.
StepResult Done();
StepResult Continue();
StepResult Failed(std::string error);
StepResult FailedStatus(int status);
// True when the ETag is a plain quoted MD5 (not multipart "-N", not nginx's style).
bool IsMd5ETag(std::string_view etag);

}  // namespace kura::bench
