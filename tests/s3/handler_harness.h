// Runs S3 requests through s3::Dispatch (or one handler) against the memory store, with an
// in-memory body and response (no sockets), for handler tests. Every request is allowed unless
// the test replaces `authorize_`; `authorized_` records each extra (action, resource) checked.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "s3/bucket_policy_cache.h"
#include "s3/lifecycle_cache.h"
#include "s3/s3_call.h"
#include "store/awaitable.h"
#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/sigv4/test_signer.h"
#include "tests/support/memory_exchange.h"

namespace kura::s3::testing {

struct HarnessRequest {
  bhttp::verb method = bhttp::verb::get;
  std::string target{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  sigv4::PayloadMode payload_mode = sigv4::PayloadMode::kUnsigned;
  std::string content_sha256{};
  bool truncated = false;  // the peer closes before the body's end
};

struct HarnessAnswer {
  Result<void> result = Ok();
  kura::testing::MemoryResponse response;
  std::string answered_error{};  // S3Call::answered_error
};

using Handler = net::awaitable<Result<void>> (*)(S3Env&, S3Call&);

class HandlerHarness : public ::testing::Test {
 protected:
  ~HandlerHarness() override { pool_.join(); }

  Result<void> CreateBucket(std::string name,
                            store::VersioningState versioning = store::VersioningState::kUnversioned,
                            bool object_lock = false) {
    store::BucketRecord bucket;
    bucket.name = std::move(name);
    bucket.region = "us-east-1";
    bucket.versioning = versioning;
    bucket.object_lock_enabled = object_lock;
    return kura::testing::RunToEnd(io_, store::StoreWrite<void>([&](auto done) {
                                     metadata_.CreateBucket(bucket, std::move(done));
                                   }));
  }

  HarnessAnswer Run(const HarnessRequest& r, Handler handler = &Dispatch) {
    RequestHead head;
    head.method = r.method;
    head.method_string = std::string(bhttp::to_string(r.method));
    head.target = r.target;
    head.fields.set(bhttp::field::host, "localhost");
    for (const auto& [name, value] : r.headers) head.fields.set(name, value);
    if (r.method == bhttp::verb::put || r.method == bhttp::verb::post) {
      head.has_content_length = true;
      head.content_length = r.body.size();
    }
    std::vector<HeaderField> headers;
    for (const auto& field : head.fields) headers.push_back({field.name_string(), field.value()});
    sigv4::RequestView view{head.method_string, head.target, headers, {}, {}};
    sigv4::AuthResult auth;
    auth.type = sigv4::AuthType::kHeader;
    auth.payload_mode = r.payload_mode;
    auth.content_sha256 = r.content_sha256;
    // Uneven pieces, as a socket delivers them.
    kura::testing::PiecewiseBody source(r.body, {1000, 7, 70000}, r.truncated);
    sigv4::VerifiedBody body(source, auth, view, head.content_length);
    bool copy = head.fields.count("x-amz-copy-source") > 0;
    auto request = ParseS3Request(RouteInput{head.method, head.target, "localhost", "", copy, false});
    HarnessAnswer answer;
    if (!request) {
      answer.result = request.error();
      return answer;
    }
    S3Call call{*request, head, headers, body, answer.response, "request-id",
                [this](std::string_view action, std::string_view resource) {
                  authorized_.emplace_back(action, resource);
                  return authorize_(action, resource);
                }};
    call.principal = principal_;
    answer.result = kura::testing::RunToEnd(io_, handler(env_, call));
    answer.answered_error = call.answered_error;
    return answer;
  }

  store::MemoryMetadataStore metadata_;
  store::MemoryBlobStore blobs_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1700000000))};
  // Outlives pool_ (declared before it): the pool's jobs release objects of this context.
  net::io_context io_;
  net::thread_pool pool_{1};
  FakeRandom random_{1};
  sigv4::testing_support::FakeResolver resolver_;
  BucketPolicyCache bucket_policies_{metadata_};
  LifecycleRulesCache lifecycle_rules_{metadata_, std::chrono::seconds(86400)};
  S3Env env_{metadata_, blobs_, clock_,   pool_, "us-east-1", "123456789012",
             random_,   resolver_, bucket_policies_, lifecycle_rules_};
  AuthorizeFn authorize_ = [](std::string_view, std::string_view) { return Result<void>(); };
  const Principal* principal_ = nullptr;  // the signer (null: the management account)
  std::vector<std::pair<std::string, std::string>> authorized_;
};

}  // namespace kura::s3::testing
