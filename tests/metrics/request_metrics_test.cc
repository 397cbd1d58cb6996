#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "metrics/request_metrics.h"

namespace kura::metrics {
namespace {
using std::chrono::milliseconds;

std::string Render(const RequestMetrics& m) {
  TextWriter out;
  m.Collect(out);
  return out.Take();
}

// The sample lines (not comments) of a page, name and labels only.
std::set<std::string> SeriesOf(const std::string& page) {
  std::set<std::string> series;
  size_t start = 0;
  while (start < page.size()) {
    size_t end = page.find('\n', start);
    std::string line = page.substr(start, end - start);
    if (!line.empty() && line[0] != '#') series.insert(line.substr(0, line.rfind(' ')));
    start = end + 1;
  }
  return series;
}

TEST(RequestMetrics, CountsByApiOperationAndStatusClass) {
  RequestMetrics m;
  m.Record(Api::kS3, "PutObject", 200, milliseconds(3), 100, 0);
  m.Record(Api::kS3, "PutObject", 200, milliseconds(3), 50, 0);
  m.Record(Api::kS3, "PutObject", 403, milliseconds(1), 0, 200);
  m.Record(Api::kIam, "CreateUser", 200, milliseconds(1), 10, 300);
  std::string page = Render(m);
  EXPECT_NE(page.find("kura_requests_total{api=\"s3\",operation=\"PutObject\",status_class=\"2xx\"} 2\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_requests_total{api=\"s3\",operation=\"PutObject\",status_class=\"4xx\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("kura_requests_total{api=\"iam\",operation=\"CreateUser\",status_class=\"2xx\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("kura_request_duration_seconds_bucket{api=\"s3\",operation=\"PutObject\",le=\"0.0025\"} 1\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_request_duration_seconds_count{api=\"s3\",operation=\"PutObject\"} 3\n"),
            std::string::npos);
  EXPECT_NE(page.find("kura_request_body_bytes_total{api=\"s3\",direction=\"in\"} 150\n"), std::string::npos);
  EXPECT_NE(page.find("kura_request_body_bytes_total{api=\"s3\",direction=\"out\"} 200\n"), std::string::npos);
  EXPECT_EQ(page.find("status_class=\"5xx\""), std::string::npos) << "series that counted nothing are left out";
}

TEST(RequestMetrics, AnUnknownOrOverlongOperationIsOtherAndNoAnswerIs5xx) {
  RequestMetrics m;
  m.Record(Api::kS3, "", 404, milliseconds(1), 0, 0);
  m.Record(Api::kS3, std::string(200, 'x'), 404, milliseconds(1), 0, 0);
  m.Record(Api::kUnknown, "", 0, milliseconds(1), 0, 0);
  std::string page = Render(m);
  EXPECT_NE(page.find("kura_requests_total{api=\"s3\",operation=\"other\",status_class=\"4xx\"} 2\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_requests_total{api=\"unknown\",operation=\"other\",status_class=\"5xx\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(m.series(), 0u);
}

TEST(RequestMetrics, TheTableIsBoundedWhateverNamesArrive) {
  RequestMetrics m(64);
  for (int i = 0; i < 10000; ++i) m.Record(Api::kS3, "Op" + std::to_string(i), 200, milliseconds(1), 0, 0);
  EXPECT_EQ(m.series(), 32u) << "half the table at most; the rest is \"other\"";
  auto series = SeriesOf(Render(m));
  size_t requests = 0;
  for (const auto& s : series) requests += s.starts_with("kura_requests_total{");
  EXPECT_EQ(requests, 33u);
  EXPECT_TRUE(series.contains("kura_requests_total{api=\"s3\",operation=\"other\",status_class=\"2xx\"}"));
}

TEST(RequestMetrics, RepeatingKnownOperationsAddsNoSeries) {
  RequestMetrics m;
  m.Record(Api::kS3, "GetObject", 404, milliseconds(1), 0, 0);
  auto before = SeriesOf(Render(m));
  for (int i = 0; i < 1000; ++i) m.Record(Api::kS3, "GetObject", 404, milliseconds(1), 0, 0);
  EXPECT_EQ(SeriesOf(Render(m)), before);
  EXPECT_EQ(m.series(), 1u);
}

TEST(RequestMetrics, SameNameInTwoApisIsTwoSeries) {
  RequestMetrics m;
  m.Record(Api::kIam, "TagRole", 200, milliseconds(1), 0, 0);
  m.Record(Api::kKms, "TagRole", 200, milliseconds(1), 0, 0);
  EXPECT_EQ(m.series(), 2u);
}

TEST(RequestMetrics, CountsAuthFailuresByApiAndReason) {
  RequestMetrics m;
  m.RecordAuthFailure(Api::kS3, AuthFailure::kBadSignature);
  m.RecordAuthFailure(Api::kS3, AuthFailure::kBadSignature);
  m.RecordAuthFailure(Api::kSts, AuthFailure::kExpiredToken);
  std::string page = Render(m);
  EXPECT_NE(page.find("kura_auth_failures_total{api=\"s3\",reason=\"bad_signature\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find("kura_auth_failures_total{api=\"sts\",reason=\"expired_token\"} 1\n"), std::string::npos);
}

TEST(RequestMetrics, ConcurrentFirstSightsOfOneNameClaimOneSeriesAndLoseNoCount) {
  RequestMetrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 5000; ++i) m.Record(Api::kS3, i % 2 ? "GetObject" : "PutObject", 200, milliseconds(1), 1, 1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.series(), 2u);
  std::string page = Render(m);
  EXPECT_NE(page.find("operation=\"GetObject\",status_class=\"2xx\"} 10000\n"), std::string::npos) << page;
  EXPECT_NE(page.find("operation=\"PutObject\",status_class=\"2xx\"} 10000\n"), std::string::npos);
  EXPECT_NE(page.find("kura_request_body_bytes_total{api=\"s3\",direction=\"in\"} 20000\n"), std::string::npos);
}

TEST(ApiFromName, KnowsTheApisAndNothingElse) {
  EXPECT_EQ(ApiFromName("s3"), Api::kS3);
  EXPECT_EQ(ApiFromName("organizations"), Api::kOrganizations);
  EXPECT_EQ(ApiFromName("console"), Api::kConsole);
  EXPECT_EQ(ApiFromName("S3"), Api::kUnknown);
  EXPECT_EQ(ApiFromName("unknown"), Api::kUnknown);
  EXPECT_EQ(ApiLabel(Api::kUnknown), "unknown");
}

}  // namespace
}  // namespace kura::metrics
