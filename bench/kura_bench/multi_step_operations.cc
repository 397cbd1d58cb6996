// Operations of several requests: ListObjectsV2 through every page, and a multipart upload
// (CreateMultipartUpload, UploadPart for each part, CompleteMultipartUpload).
#include "kura_bench/workload.h"
#include "kura_bench/xml_fields.h"

namespace kura::bench {
namespace {

class ListObjects final : public Operation {
 public:
  explicit ListObjects(const WorkloadConfig& config) : config_(config) {}
  OpType type() const override { return OpType::kList; }
  bool KeepsBody() const override { return true; }

  RequestSpec NextRequest() override {
    RequestSpec spec;
    spec.method = "GET";
    spec.path = "/" + config_.bucket;
    spec.query = {{"list-type", "2"},
                  {"prefix", config_.key_prefix},
                  {"max-keys", std::to_string(config_.max_keys)}};
    if (!token_.empty()) spec.query.emplace_back("continuation-token", token_);
    return spec;
  }

  StepResult OnReply(const ResponseHead& head, const ReplyBody& body) override {
    if (head.status != 200) return FailedStatus(head.status);
    auto truncated = FirstElementText(body.kept(), "IsTruncated");
    if (!truncated) return Failed("xml");
    if (*truncated != "true") return Done();
    auto token = FirstElementText(body.kept(), "NextContinuationToken");
    if (!token || token->empty() || *token == token_) return Failed("xml");
    token_ = *token;
    return Continue();
  }

 private:
  const WorkloadConfig& config_;
  std::string token_;
};

class MultipartUpload final : public Operation {
 public:
  MultipartUpload(const WorkloadConfig& config, uint64_t index)
      : config_(config), path_(ObjectPath(config, index)) {
    parts_ = config.size == 0 ? 1 : (config.size + config.part_size - 1) / config.part_size;
  }
  OpType type() const override { return OpType::kMultipart; }
  bool KeepsBody() const override { return true; }
  uint64_t payload_bytes() const override { return config_.size; }

  RequestSpec NextRequest() override {
    RequestSpec spec;
    spec.path = path_;
    if (upload_id_.empty()) {
      spec.method = "POST";
      spec.query = {{"uploads", ""}};
      spec.headers = config_.sse.on_write;
    } else if (etags_.size() < parts_) {
      uint64_t number = etags_.size() + 1;
      spec.method = "PUT";
      spec.query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id_}};
      spec.headers = config_.sse.on_part;
      spec.body = RequestSpec::Body::kPattern;
      spec.pattern_offset = (number - 1) * config_.part_size;
      spec.pattern_length = std::min(config_.part_size, config_.size - spec.pattern_offset);
    } else {
      spec.method = "POST";
      spec.query = {{"uploadId", upload_id_}};
      spec.body = RequestSpec::Body::kBytes;
      spec.bytes = CompletionXml();
      spec.headers = {{"Content-Type", "application/xml"}};
    }
    return spec;
  }

  StepResult OnReply(const ResponseHead& head, const ReplyBody& body) override {
    if (head.status != 200) return FailedStatus(head.status);
    if (upload_id_.empty()) {
      auto id = FirstElementText(body.kept(), "UploadId");
      if (!id || id->empty()) return Failed("xml");
      upload_id_ = *id;
      return Continue();
    }
    if (etags_.size() < parts_) {
      std::string_view etag = head.Find("ETag");
      if (etag.empty()) return Failed("verify");
      etags_.emplace_back(etag);
      return Continue();
    }
    // CompleteMultipartUpload may fail with 200 and an <Error> body.
    bool completed = FirstElementText(body.kept(), "ETag").has_value() &&
                     !FirstElementText(body.kept(), "Code").has_value();
    return completed ? Done() : Failed("xml");
  }

 private:
  std::string CompletionXml() const {
    std::string xml = "<CompleteMultipartUpload>";
    for (size_t i = 0; i < etags_.size(); ++i) {
      xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags_[i] +
             "</ETag></Part>";
    }
    return xml + "</CompleteMultipartUpload>";
  }

  const WorkloadConfig& config_;
  std::string path_;
  uint64_t parts_;
  std::string upload_id_;
  std::vector<std::string> etags_;
};

}  // namespace

std::unique_ptr<Operation> MakeListObjects(const WorkloadConfig& config) {
  return std::make_unique<ListObjects>(config);
}

std::unique_ptr<Operation> MakeMultipartUpload(const WorkloadConfig& config, uint64_t index) {
  return std::make_unique<MultipartUpload>(config, index);
}

}  // namespace kura::bench
