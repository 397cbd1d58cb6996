#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "metrics/session_metrics.h"

namespace kura::metrics {
namespace {

std::string Render(const SessionMetrics& m) {
  TextWriter out;
  m.Collect(out);
  return out.Take();
}

TEST(SessionMetrics, WithoutOptInIsOneSeriesWithNoRoleLabel) {
  SessionMetrics m;
  m.SessionIssued("arn:aws:iam::111122223333:role/a");
  m.SessionIssued("arn:aws:iam::111122223333:role/b");
  m.SessionIssued("");
  std::string page = Render(m);
  EXPECT_NE(page.find("\nkura_sts_sessions_issued_total 3\n"), std::string::npos) << page;
  EXPECT_EQ(page.find("role="), std::string::npos);
}

TEST(SessionMetrics, OptedInTheFirstNRolesGetASeriesAndTheRestOther) {
  SessionMetrics m(2);
  m.SessionIssued("arn:aws:iam::111122223333:role/a");
  m.SessionIssued("arn:aws:iam::111122223333:role/b");
  m.SessionIssued("arn:aws:iam::111122223333:role/a");
  for (int i = 0; i < 100; ++i) m.SessionIssued("arn:aws:iam::111122223333:role/x" + std::to_string(i));
  std::string page = Render(m);
  EXPECT_NE(page.find("kura_sts_sessions_issued_total{role=\"arn:aws:iam::111122223333:role/a\"} 2\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_sts_sessions_issued_total{role=\"arn:aws:iam::111122223333:role/b\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("kura_sts_sessions_issued_total{role=\"other\"} 100\n"), std::string::npos);
  size_t lines = 0;
  for (char c : page) lines += c == '\n';
  EXPECT_EQ(lines, 2u + 3u);  // HELP, TYPE, a, b, other
}

TEST(SessionMetrics, TheOptInIsCapped) {
  SessionMetrics m(100000);
  for (int i = 0; i < 1000; ++i) m.SessionIssued("r" + std::to_string(i));
  std::string page = Render(m);
  EXPECT_NE(page.find("{role=\"other\"} 744\n"), std::string::npos) << "256 roles, then other";
}

TEST(SessionMetrics, ConcurrentIssuesOfOneRoleClaimOneSeries) {
  SessionMetrics m(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 2000; ++i) m.SessionIssued("arn:aws:iam::111122223333:role/shared");
    });
  }
  for (auto& t : threads) t.join();
  std::string page = Render(m);
  EXPECT_NE(page.find("{role=\"arn:aws:iam::111122223333:role/shared\"} 8000\n"), std::string::npos) << page;
  EXPECT_NE(page.find("{role=\"other\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace kura::metrics
