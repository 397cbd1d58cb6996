// Single-request S3 operations: PutObject, GetObject, HeadObject, DeleteObject, CreateBucket.
#include "kura_bench/workload.h"

namespace kura::bench {
namespace {

// Checks an ETag against the MD5 of the expected content when both are known (an SSE-KMS or
// SSE-C ETag is not the content's MD5).
bool ETagMatches(const ResponseHead& head, const PayloadDigests* digests, const SseHeaders& sse) {
  if (!sse.etag_is_md5) return true;
  std::string_view etag = head.Find("ETag");
  if (digests == nullptr || digests->md5_hex.empty() || !IsMd5ETag(etag)) return true;
  return etag.substr(etag.size() == 34 ? 1 : 0, 32) == digests->md5_hex;
}

class ObjectOperation : public Operation {
 public:
  ObjectOperation(const WorkloadConfig& config, uint64_t index)
      : config_(config), path_(ObjectPath(config, index)) {}

 protected:
  const PayloadDigests* digests() const { return config_.catalog->Find(0, config_.size); }
  RequestSpec Spec(std::string method, const Headers& headers) const {
    RequestSpec spec;
    spec.method = std::move(method);
    spec.path = path_;
    spec.headers = headers;
    return spec;
  }
  bool ETagOk(const ResponseHead& head) const { return ETagMatches(head, digests(), config_.sse); }
  const WorkloadConfig& config_;
  std::string path_;
};

class PutObject final : public ObjectOperation {
 public:
  using ObjectOperation::ObjectOperation;
  OpType type() const override { return OpType::kPut; }
  uint64_t payload_bytes() const override { return config_.size; }
  RequestSpec NextRequest() override {
    RequestSpec spec = Spec("PUT", config_.sse.on_write);
    spec.body = RequestSpec::Body::kPattern;
    spec.pattern_length = config_.size;
    return spec;
  }
  StepResult OnReply(const ResponseHead& head, const ReplyBody&) override {
    if (head.status != 200) return FailedStatus(head.status);
    return ETagOk(head) ? Done() : Failed("verify");
  }
};

class GetObject final : public ObjectOperation {
 public:
  using ObjectOperation::ObjectOperation;
  OpType type() const override { return OpType::kGet; }
  uint64_t payload_bytes() const override { return ranged() ? config_.range_length : config_.size; }
  RequestSpec NextRequest() override {
    RequestSpec spec = Spec("GET", config_.sse.on_read);
    if (ranged()) {
      uint64_t last = config_.range_offset + config_.range_length - 1;
      spec.headers.push_back(
          {"Range", "bytes=" + std::to_string(config_.range_offset) + "-" + std::to_string(last)});
    }
    return spec;
  }
  StepResult OnReply(const ResponseHead& head, const ReplyBody& body) override {
    if (head.status != (ranged() ? 206 : 200)) return FailedStatus(head.status);
    const PayloadDigests* expected =
        ranged() ? config_.catalog->Find(config_.range_offset, config_.range_length) : digests();
    if (body.bytes() != payload_bytes()) return Failed("verify");
    if (expected != nullptr && body.crc32c() != expected->crc32c) return Failed("verify");
    return ETagOk(head) ? Done() : Failed("verify");
  }

 private:
  bool ranged() const { return config_.range_length > 0; }
};

class HeadObject final : public ObjectOperation {
 public:
  using ObjectOperation::ObjectOperation;
  OpType type() const override { return OpType::kHead; }
  RequestSpec NextRequest() override { return Spec("HEAD", config_.sse.on_read); }
  StepResult OnReply(const ResponseHead& head, const ReplyBody&) override {
    if (head.status != 200) return FailedStatus(head.status);
    if (head.content_length != static_cast<int64_t>(config_.size)) return Failed("verify");
    return ETagOk(head) ? Done() : Failed("verify");
  }
};

class DeleteObject final : public ObjectOperation {
 public:
  using ObjectOperation::ObjectOperation;
  OpType type() const override { return OpType::kDelete; }
  RequestSpec NextRequest() override { return Spec("DELETE", {}); }
  StepResult OnReply(const ResponseHead& head, const ReplyBody&) override {
    return head.status == 204 || head.status == 200 ? Done() : FailedStatus(head.status);
  }
};

class CreateBucket final : public Operation {
 public:
  explicit CreateBucket(const WorkloadConfig& config) : config_(config) {}
  OpType type() const override { return OpType::kCreateBucket; }
  bool KeepsBody() const override { return true; }
  RequestSpec NextRequest() override {
    RequestSpec spec;
    spec.method = "PUT";
    spec.path = "/" + config_.bucket;
    return spec;
  }
  StepResult OnReply(const ResponseHead& head, const ReplyBody& body) override {
    if (head.status == 200) return Done();
    bool ours = head.status == 409 &&
                body.kept().find("BucketAlreadyOwnedByYou") != std::string_view::npos;
    return ours ? Done() : FailedStatus(head.status);
  }

 private:
  const WorkloadConfig& config_;
};

}  // namespace

std::string ObjectPath(const WorkloadConfig& config, uint64_t index) {
  return "/" + config.bucket + "/" + config.key_prefix + std::to_string(index);
}

std::unique_ptr<Operation> MakePutObject(const WorkloadConfig& config, uint64_t index) {
  return std::make_unique<PutObject>(config, index);
}
std::unique_ptr<Operation> MakeGetObject(const WorkloadConfig& config, uint64_t index) {
  return std::make_unique<GetObject>(config, index);
}
std::unique_ptr<Operation> MakeHeadObject(const WorkloadConfig& config, uint64_t index) {
  return std::make_unique<HeadObject>(config, index);
}
std::unique_ptr<Operation> MakeDeleteObject(const WorkloadConfig& config, uint64_t index) {
  return std::make_unique<DeleteObject>(config, index);
}
std::unique_ptr<Operation> MakeCreateBucket(const WorkloadConfig& config) {
  return std::make_unique<CreateBucket>(config);
}

}  // namespace kura::bench
