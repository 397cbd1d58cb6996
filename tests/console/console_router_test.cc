#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "console/console_router.h"
#include "tests/support/bodyless_exchange.h"
#include "tests/support/memory_exchange.h"

namespace kura::console {
std::span<const Asset> TestAssets();

namespace {
using kura::testing::MemoryResponse;
using kura::testing::RunToEnd;

RequestHead Head(bhttp::verb method, std::string target,
                 std::vector<std::pair<std::string, std::string>> fields = {}) {
  return kura::testing::RequestHeadOf(method, std::move(target), std::move(fields));
}

using FakeExchange = kura::testing::BodylessExchange;

// Stands for the request pipeline: answers 299 and counts what reached it.
class FakeApi final : public http::Handler {
 public:
  net::awaitable<void> Handle(http::Exchange& exchange) override {
    ++handled;
    ResponseHead head{static_cast<bhttp::status>(299), {}};
    auto r = co_await exchange.Respond(std::move(head), "api");
    (void)r;
  }
  net::awaitable<void> HandleProtocolError(http::Exchange& exchange, const Error&) override {
    ++protocol_errors;
    ResponseHead head{bhttp::status::bad_request, {}};
    auto r = co_await exchange.Respond(std::move(head), "bad");
    (void)r;
  }
  int handled = 0;
  int protocol_errors = 0;
};

TEST(RouteConsoleRequest, UnsignedGetsOfTheConsolePathsAreTheConsoles) {
  auto index = RouteConsoleRequest(Head(bhttp::verb::get, "/"));
  EXPECT_EQ(index.target, ConsoleTarget::kIndex);
  EXPECT_EQ(index.asset_path, "index.html");
  RequestHead head = Head(bhttp::verb::head, "/assets/js/app.js?v=3");  // asset_path borrows it
  auto asset = RouteConsoleRequest(head);
  EXPECT_EQ(asset.target, ConsoleTarget::kAsset);
  EXPECT_EQ(asset.asset_path, "js/app.js");
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/metrics")).target, ConsoleTarget::kMetrics);
}

TEST(RouteConsoleRequest, SignedRequestsOtherMethodsAndOtherPathsGoToTheApi) {
  const std::pair<std::string, std::string> auth{"Authorization", "AWS4-HMAC-SHA256 Credential=x"};
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/", {auth})).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/metrics", {auth})).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/assets/x?X-Amz-Signature=ab&X-Amz-Credential=c")).target,
            ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/assets/x?AWSAccessKeyId=a&Signature=b")).target,
            ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::post, "/")).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::put, "/assets/x")).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/bucket/key")).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/assets")).target, ConsoleTarget::kApi);
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/metrics/x")).target, ConsoleTarget::kApi);
  // A parameter merely containing a signing name is not one.
  EXPECT_EQ(RouteConsoleRequest(Head(bhttp::verb::get, "/assets/x?NotSignature=1")).target,
            ConsoleTarget::kAsset);
}

class ConsoleRouterTest : public ::testing::Test {
 protected:
  FakeExchange Run(RequestHead head) {
    FakeExchange exchange(std::move(head));
    RunToEnd(router_.Handle(exchange));
    return exchange;
  }
  static std::string Field(const FakeExchange& e, std::string_view name) {
    return std::string(e.response.sent_head->fields[name]);
  }

  EmbeddedAssetSource assets_{TestAssets()};
  FakeApi api_;
  std::vector<std::pair<std::string, int>> observed_;
  ConsoleRouter router_{ConsoleOptions{.assets = &assets_,
                                       .metrics_page = [] { return std::string("up 1\n"); },
                                       .observe =
                                           [this](std::string_view op, int status, std::chrono::nanoseconds) {
                                             observed_.emplace_back(std::string(op), status);
                                           }},
                        api_};
};

TEST_F(ConsoleRouterTest, ServesTheIndexWithSecurityHeadersAndNoStore) {
  auto e = Run(Head(bhttp::verb::get, "/"));
  ASSERT_TRUE(e.response.sent_head);
  EXPECT_EQ(e.response.response_status(), 200);
  EXPECT_EQ(e.response.sent_body, "<!doctype html><title>kura</title>\n");
  EXPECT_EQ(Field(e, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Field(e, "Cache-Control"), "no-store");
  EXPECT_NE(Field(e, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(Field(e, "Content-Security-Policy").find("connect-src 'self'"), std::string::npos);
  EXPECT_NE(Field(e, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(Field(e, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Field(e, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(api_.handled, 0);
  ASSERT_EQ(observed_.size(), 1u);
  EXPECT_EQ(observed_[0], std::make_pair(std::string("Index"), 200));
}

TEST_F(ConsoleRouterTest, ServesAssetsByTypeAndAnswers304ToAMatchingEtag) {
  auto e = Run(Head(bhttp::verb::get, "/assets/js/app.js"));
  EXPECT_EQ(e.response.response_status(), 200);
  EXPECT_EQ(e.response.sent_body, "console.log(\"hi\");\n");
  EXPECT_EQ(Field(e, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Field(e, "Cache-Control"), "no-cache");
  std::string etag = Field(e, "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = Run(Head(bhttp::verb::get, "/assets/js/app.js", {{"If-None-Match", "\"x\", " + etag}}));
  EXPECT_EQ(again.response.response_status(), 304);
  EXPECT_EQ(again.response.sent_body, "");
  auto other = Run(Head(bhttp::verb::get, "/assets/js/app.js", {{"If-None-Match", "\"other\""}}));
  EXPECT_EQ(other.response.response_status(), 200);
}

TEST_F(ConsoleRouterTest, HeadAnswersTheLengthWithoutABody) {
  auto e = Run(Head(bhttp::verb::head, "/assets/js/app.js"));
  EXPECT_EQ(e.response.response_status(), 200);
  EXPECT_EQ(e.head_length, 19u);
  EXPECT_EQ(e.response.sent_body, "");
}

TEST_F(ConsoleRouterTest, MissingAndTraversingAssetsAre404WithTheSameHeaders) {
  for (std::string target : {"/assets/nope.js", "/assets/../index.html", "/assets/js/../index.html",
                             "/assets/%2e%2e/index.html", "/assets/"}) {
    auto e = Run(Head(bhttp::verb::get, target));
    EXPECT_EQ(e.response.response_status(), 404) << target;
    EXPECT_EQ(Field(e, "X-Content-Type-Options"), "nosniff");
  }
  EXPECT_EQ(api_.handled, 0);
}

TEST_F(ConsoleRouterTest, MetricsComeFromTheMetricsPage) {
  auto e = Run(Head(bhttp::verb::get, "/metrics"));
  EXPECT_EQ(e.response.response_status(), 200);
  EXPECT_EQ(e.response.sent_body, "up 1\n");
  EXPECT_EQ(Field(e, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Field(e, "Cache-Control"), "no-store");
}

TEST_F(ConsoleRouterTest, EverythingElseReachesTheApiUntouched) {
  auto e = Run(Head(bhttp::verb::get, "/", {{"Authorization", "AWS4-HMAC-SHA256 Credential=x"}}));
  EXPECT_EQ(e.response.response_status(), 299);
  auto post = Run(Head(bhttp::verb::post, "/"));
  EXPECT_EQ(post.response.response_status(), 299);
  EXPECT_EQ(api_.handled, 2);
  EXPECT_TRUE(observed_.empty());  // the pipeline counts its own requests
  FakeExchange bad(Head(bhttp::verb::get, "/"));
  RunToEnd(router_.HandleProtocolError(bad, MakeError(ErrorCode::kInvalidRequest)));
  EXPECT_EQ(api_.protocol_errors, 1);
}

TEST(ConsoleRouter, WithoutAMetricsPageMetricsAre404AndWithoutAssetsTheIndexToo) {
  EmbeddedAssetSource none({});
  FakeApi api;
  ConsoleOptions options;
  options.assets = &none;
  ConsoleRouter router(std::move(options), api);
  FakeExchange metrics(Head(bhttp::verb::get, "/metrics"));
  RunToEnd(router.Handle(metrics));
  EXPECT_EQ(metrics.response.response_status(), 404);
  FakeExchange index(Head(bhttp::verb::get, "/"));
  RunToEnd(router.Handle(index));
  EXPECT_EQ(index.response.response_status(), 404);
  EXPECT_EQ(api.handled, 0);
}

}  // namespace
}  // namespace kura::console
