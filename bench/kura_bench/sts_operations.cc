// STS AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
// POST / with a form body, signed for service "sts".
#include "common/encoding.h"
#include "kura_bench/workload.h"
#include "kura_bench/xml_fields.h"

namespace kura::bench {
namespace {

class AssumeRole final : public Operation {
 public:
  AssumeRole(const WorkloadConfig& config, Credentials* out) : config_(config), out_(out) {}
  OpType type() const override { return OpType::kAssumeRole; }
  bool KeepsBody() const override { return true; }

  RequestSpec NextRequest() override {
    RequestSpec spec;
    spec.method = "POST";
    spec.path = "/";
    spec.service = RequestSpec::Service::kSts;
    spec.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    spec.body = RequestSpec::Body::kBytes;
    spec.bytes = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + UriEncode(config_.role_arn) +
                 "&RoleSessionName=" + UriEncode(config_.role_session_name) +
                 "&DurationSeconds=" + std::to_string(config_.duration_seconds);
    return spec;
  }

  StepResult OnReply(const ResponseHead& head, const ReplyBody& body) override {
    if (head.status != 200) return FailedStatus(head.status);
    auto credentials = ParseAssumeRoleCredentials(body.kept());
    if (!credentials) return Failed("xml");
    if (out_ != nullptr) *out_ = std::move(credentials).value();
    return Done();
  }

 private:
  const WorkloadConfig& config_;
  Credentials* out_;
};

}  // namespace

std::unique_ptr<Operation> MakeAssumeRole(const WorkloadConfig& config, Credentials* out) {
  return std::make_unique<AssumeRole>(config, out);
}

}  // namespace kura::bench
