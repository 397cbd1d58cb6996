#include "api/health_check.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/bodyless_exchange.h"
#include "tests/support/memory_exchange.h"

namespace kura::api {
namespace {
using kura::testing::MemoryResponse;
using kura::testing::RunToEnd;

RequestHead Head(bhttp::verb method, std::string target,
                 std::vector<std::pair<std::string, std::string>> fields = {}) {
  return kura::testing::RequestHeadOf(method, std::move(target), std::move(fields));
}

using FakeExchange = kura::testing::BodylessExchange;

// Stands for the request pipeline: counts what reached it.
class FakeApi final : public http::Handler {
 public:
  net::awaitable<void> Handle(http::Exchange& exchange) override {
    ++handled;
    // Named: GCC 12 destroys a class prvalue passed to a coroutine call twice (http/connection.cc).
    ResponseHead head{static_cast<bhttp::status>(299), {}};
    auto r = co_await exchange.Respond(std::move(head), "api");
    (void)r;
  }
  net::awaitable<void> HandleProtocolError(http::Exchange& exchange, const Error&) override {
    ResponseHead head{bhttp::status::bad_request, {}};
    auto r = co_await exchange.Respond(std::move(head), "bad");
    (void)r;
  }
  int handled = 0;
};

TEST(IsHealthCheck, OnlyAnUnsignedGetOrHeadOfThePathOnAPathStyleHost) {
  EXPECT_TRUE(IsHealthCheck(Head(bhttp::verb::get, "/_kura/health"), ""));
  EXPECT_TRUE(IsHealthCheck(Head(bhttp::verb::head, "/_kura/health?x=1"), ""));
  EXPECT_TRUE(IsHealthCheck(Head(bhttp::verb::get, "/_kura/health", {{"Host", "kura.test:9000"}}),
                            "kura.test"));
  EXPECT_FALSE(IsHealthCheck(Head(bhttp::verb::post, "/_kura/health"), ""));
  EXPECT_FALSE(IsHealthCheck(Head(bhttp::verb::get, "/_kura/health/x"), ""));
  EXPECT_FALSE(IsHealthCheck(Head(bhttp::verb::get, "/health"), ""));
  EXPECT_FALSE(IsHealthCheck(
      Head(bhttp::verb::get, "/_kura/health", {{"Authorization", "AWS4-HMAC-SHA256 x"}}), ""));
  // On a virtual-hosted bucket's host the path is that bucket's object key "_kura/health".
  EXPECT_FALSE(IsHealthCheck(Head(bhttp::verb::get, "/_kura/health", {{"Host", "b1.kura.test"}}),
                             "kura.test"));
}

TEST(HealthCheckRouter, AnswersOkWhileFreshAndServiceUnavailableWhileStale) {
  FakeApi api;
  bool stale = false;
  HealthCheckRouter router(
      "", [&stale] { return stale; }, api);
  FakeExchange fresh(Head(bhttp::verb::get, "/_kura/health"));
  RunToEnd(router.Handle(fresh));
  EXPECT_EQ(fresh.response.response_status(), 200);
  EXPECT_EQ(fresh.response.sent_body, "ok\n");
  stale = true;
  FakeExchange cut_off(Head(bhttp::verb::get, "/_kura/health"));
  RunToEnd(router.Handle(cut_off));
  EXPECT_EQ(cut_off.response.response_status(), 503);
  EXPECT_EQ(api.handled, 0);
}

TEST(HealthCheckRouter, HandsEverythingElseToThePipeline) {
  FakeApi api;
  HealthCheckRouter router("", {}, api);
  FakeExchange list(Head(bhttp::verb::get, "/"));
  RunToEnd(router.Handle(list));
  EXPECT_EQ(list.response.response_status(), 299);
  FakeExchange health(Head(bhttp::verb::head, "/_kura/health"));
  RunToEnd(router.Handle(health));  // no follower (one node on its own store): always fresh
  EXPECT_EQ(health.response.response_status(), 200);
  EXPECT_EQ(api.handled, 1);
}

}  // namespace
}  // namespace kura::api
