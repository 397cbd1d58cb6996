// Which requests write configuration that every node holds in memory (IAM, bucket policies and
// other bucket configuration, KMS keys, Organizations' account statuses), so that, with several
// nodes on one store (issue #20), their success is answered only once every node follows it
// (PipelineConfig::await_followers, node/write_acknowledgement.h); and the response sink that
// waits before an S3 handler's success goes out.
// Thread-safety: the functions are pure; a sink is one request's.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string_view>

#include "common/response_sink.h"
#include "s3/operation.h"

namespace kura::api {

// An IAM, STS, KMS or Organizations operation (as AWS names it) that may write configuration:
// every one that is not a read (Get…, List…, Describe…, Simulate…, Generate…, AssumeRole…,
// Encrypt, Decrypt, Sign, Verify…). Unknown names count as writes: waiting is the safe side.
bool WritesConfiguration(std::string_view operation);
// An S3 operation that may write a bucket's configuration: a bucket-level Create…, Put… or
// Delete… (CreateBucket, PutBucketPolicy, DeleteBucketLifecycle, PutObjectLockConfiguration…);
// object operations never do.
bool WritesConfiguration(s3::S3Operation operation);

// Forwards to `inner`; before the head of a successful (2xx) answer, once, co_awaits `wait`.
class AcknowledgingSink final : public ResponseSink {
 public:
  AcknowledgingSink(ResponseSink& inner, std::function<boost::asio::awaitable<void>()> wait)
      : inner_(inner), wait_(std::move(wait)) {}

  boost::asio::awaitable<Result<void>> Respond(ResponseHead head, std::string body) override;
  boost::asio::awaitable<Result<void>> RespondView(ResponseHead head,
                                                   std::string_view body) override;
  boost::asio::awaitable<Result<void>> WriteHead(ResponseHead head,
                                                 uint64_t content_length) override;
  boost::asio::awaitable<Result<void>> WriteBody(std::string_view piece) override {
    return inner_.WriteBody(piece);
  }
  boost::asio::awaitable<Result<void>> WriteFile(int fd, uint64_t offset,
                                                 uint64_t length) override {
    return inner_.WriteFile(fd, offset, length);
  }
  bool response_started() const override { return inner_.response_started(); }
  int response_status() const override { return inner_.response_status(); }
  void CloseAfterResponse() override { inner_.CloseAfterResponse(); }

 private:
  boost::asio::awaitable<void> WaitBefore(const ResponseHead& head);

  ResponseSink& inner_;
  std::function<boost::asio::awaitable<void>()> wait_;
  bool waited_ = false;
};

}  // namespace kura::api
