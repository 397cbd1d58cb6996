#include "api/configuration_writes.h"

#include <array>

namespace kura::api {

bool WritesConfiguration(std::string_view operation) {
  static constexpr std::array<std::string_view, 14> kReads = {
      "Get",     "List",    "Describe", "Simulate", "Generate", "Assume",    "Decode",
      "Encrypt", "Decrypt", "ReEncrypt", "Sign",    "Verify",   "Download", "Head"};
  for (std::string_view read : kReads) {
    if (operation.starts_with(read)) return false;
  }
  return true;
}

bool WritesConfiguration(s3::S3Operation operation) {
  if (s3::ResourceKindOf(operation) != policy::ResourceKind::kBucket) return false;
  std::string_view name = s3::OperationName(operation);
  return name.starts_with("Create") || name.starts_with("Put") || name.starts_with("Delete");
}

boost::asio::awaitable<void> AcknowledgingSink::WaitBefore(const ResponseHead& head) {
  const auto status = static_cast<unsigned>(head.status);
  if (waited_ || status < 200 || status >= 300) co_return;
  waited_ = true;
  co_await wait_();
}

boost::asio::awaitable<Result<void>> AcknowledgingSink::Respond(ResponseHead head,
                                                                std::string body) {
  co_await WaitBefore(head);
  co_return co_await inner_.Respond(std::move(head), std::move(body));
}

boost::asio::awaitable<Result<void>> AcknowledgingSink::RespondView(ResponseHead head,
                                                                    std::string_view body) {
  co_await WaitBefore(head);
  co_return co_await inner_.RespondView(std::move(head), body);
}

boost::asio::awaitable<Result<void>> AcknowledgingSink::WriteHead(ResponseHead head,
                                                                  uint64_t content_length) {
  co_await WaitBefore(head);
  co_return co_await inner_.WriteHead(std::move(head), content_length);
}

}  // namespace kura::api
