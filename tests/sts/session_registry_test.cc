// The live session registry (sts/session_registry.h) and its journal (sts/session_journal.h):
// bound and eviction, expiry, "last used", replay across a restart, compaction, a torn last line.
#include "sts/session_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sts/session_journal.h"
#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {
namespace fs = std::filesystem;
using kura::sts::testing::TestEpoch;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr char kAccount[] = "123456789012";
constexpr char kRole[] = "arn:aws:iam::123456789012:role/app/uploader";

LiveSession Session(const std::string& key, int expires_in_seconds,
                    const std::string& account = kAccount) {
  LiveSession s;
  s.access_key_id = key;
  s.account_id = account;
  s.role_arn = kRole;
  s.role_id = "AROAUPLOADERROLE0001";
  s.session_name = "job-" + key;
  s.source_identity = "alice@example.com";
  s.issuer_arn = "arn:aws:iam::123456789012:user/alice";
  s.issued_at = TestEpoch();
  s.expires_at = TestEpoch() + std::chrono::seconds(expires_in_seconds);
  return s;
}

std::vector<std::string> Keys(const std::vector<LiveSession>& sessions) {
  std::vector<std::string> keys;
  for (const LiveSession& s : sessions) keys.push_back(s.access_key_id);
  return keys;
}

std::unique_ptr<SessionRegistry> Open(const Clock& clock, size_t max = 100, fs::path journal = {}) {
  auto r = SessionRegistry::Open({.max_sessions = max, .journal = std::move(journal)}, clock);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(*r) : nullptr;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/kura-sessions-XXXXXX";
    path_ = ::mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path journal() const { return path_ / "sts-sessions"; }

 private:
  fs::path path_;
};

TEST(SessionRegistry, ListsTheAccountsUnexpiredSessions) {
  FakeClock clock(TestEpoch());
  auto registry = Open(clock);
  registry->Add(Session("ASIA1", 900));
  registry->Add(Session("ASIA2", 3600));
  registry->Add(Session("ASIA3", 3600, "999999999999"));
  EXPECT_THAT(Keys(registry->List(kAccount, TestEpoch())), UnorderedElementsAre("ASIA1", "ASIA2"));
  EXPECT_THAT(Keys(registry->List(kAccount, TestEpoch() + std::chrono::seconds(900))),
              ElementsAre("ASIA2"));
  auto listed = registry->List("999999999999", TestEpoch());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].role_arn, kRole);
  EXPECT_EQ(listed[0].session_name, "job-ASIA3");
  EXPECT_EQ(listed[0].source_identity, "alice@example.com");
  EXPECT_EQ(listed[0].issuer_arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(listed[0].issued_at, TestEpoch());
  EXPECT_FALSE(listed[0].last_used_at.has_value());
}

TEST(SessionRegistry, WhenFullEvictsTheSessionThatExpiresSoonest) {
  FakeClock clock(TestEpoch());
  auto registry = Open(clock, /*max=*/2);
  registry->Add(Session("ASIALONG", 7200));
  registry->Add(Session("ASIASHORT", 900));
  registry->Add(Session("ASIANEW", 3600));
  EXPECT_THAT(Keys(registry->List(kAccount, TestEpoch())),
              UnorderedElementsAre("ASIALONG", "ASIANEW"));
  EXPECT_EQ(registry->stats().live, 2u);
  EXPECT_EQ(registry->stats().evicted, 1u);
}

TEST(SessionRegistry, ExpiredSessionsLeaveWithoutCountingAsEvicted) {
  FakeClock clock(TestEpoch());
  auto registry = Open(clock, /*max=*/2);
  registry->Add(Session("ASIA1", 900));
  registry->Add(Session("ASIA2", 900));
  LiveSession later = Session("ASIA3", 900);
  later.issued_at = TestEpoch() + std::chrono::seconds(1000);  // both others have expired
  later.expires_at = later.issued_at + std::chrono::seconds(900);
  registry->Add(later);
  EXPECT_EQ(registry->stats().live, 1u);
  EXPECT_EQ(registry->stats().evicted, 0u);
}

TEST(SessionRegistry, ASecondRecordOfAKeyReplacesTheFirst) {
  FakeClock clock(TestEpoch());
  auto registry = Open(clock);
  registry->Add(Session("ASIA1", 900));
  LiveSession again = Session("ASIA1", 3600);
  again.session_name = "renamed";
  registry->Add(again);
  auto listed = registry->List(kAccount, TestEpoch());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].session_name, "renamed");
  EXPECT_EQ(registry->stats().live, 1u);
}

TEST(SessionUsage, RecordsTheLastUseAndItsSourceAddress) {
  FakeClock clock(TestEpoch());
  auto registry = Open(clock);
  registry->Add(Session("ASIA1", 3600));
  EXPECT_EQ(registry->UsageOf("ASIAUNKNOWN"), nullptr);
  auto usage = registry->UsageOf("ASIA1");
  ASSERT_NE(usage, nullptr);
  EXPECT_FALSE(usage->LastUsedAt().has_value());
  usage->Used(TestEpoch() + std::chrono::seconds(5), "192.0.2.7");
  usage->Used(TestEpoch() + std::chrono::seconds(9),
              "2001:db8:ffff:ffff:ffff:ffff:255.255.255.255");
  auto listed = registry->List(kAccount, TestEpoch());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, TestEpoch() + std::chrono::seconds(9));
  EXPECT_EQ(listed[0].last_used_from, "2001:db8:ffff:ffff:ffff:ffff:255.255.255.255");
  // An older moment from the same address does not move it back; a new address does count.
  usage->Used(TestEpoch() + std::chrono::seconds(2),
              "2001:db8:ffff:ffff:ffff:ffff:255.255.255.255");
  EXPECT_EQ(usage->LastUsedAt(), TestEpoch() + std::chrono::seconds(9));
  usage->Used(TestEpoch() + std::chrono::seconds(9), "198.51.100.1");
  EXPECT_EQ(usage->Read().second, "198.51.100.1");
}

TEST(SessionUsage, ConcurrentWritersLeaveAConsistentPair) {
  SessionUsage usage;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&usage, t] {
      std::string ip = "10.0.0." + std::to_string(t);
      for (int i = 1; i <= 2000; ++i) usage.Used(FromUnixSeconds(i * 4 + t), ip);
    });
  }
  for (int i = 0; i < 2000; ++i) {
    auto [when, ip] = usage.Read();
    if (when) {
      EXPECT_EQ(ip, "10.0.0." + std::to_string(UnixSeconds(*when) % 4));
    }
  }
  for (auto& thread : threads) thread.join();
}

TEST(SessionJournal, LinesRoundTripWithEscapes) {
  LiveSession s = Session("ASIA1", 900);
  s.session_name = "tab\there%new\nline";
  s.last_used_at = TestEpoch() + std::chrono::seconds(3);
  s.last_used_from = "::1";
  std::string line = FormatJournalLine(s);
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  EXPECT_NE(line.find("tab%09here%25new%0Aline"), std::string::npos);
  auto parsed = ParseJournal(std::string(kJournalHeader) + line);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->sessions.size(), 1u);
  const LiveSession& back = parsed->sessions[0];
  EXPECT_EQ(back.session_name, s.session_name);
  EXPECT_EQ(back.role_arn, s.role_arn);
  EXPECT_EQ(back.expires_at, s.expires_at);
  EXPECT_EQ(back.last_used_at, s.last_used_at);
  EXPECT_EQ(back.last_used_from, "::1");
}

TEST(SessionJournal, SkipsMalformedLinesAndNoticesATornLastLine) {
  std::string good = FormatJournalLine(Session("ASIA1", 900));
  std::string text = std::string(kJournalHeader) + "S\tonly\tthree\n" + good +
                     "S\tASIA2\t1234\tbad%zzescape\tx\ty\tz\tw\t1\t2\t0\t\n" + good.substr(0, 20);
  auto parsed = ParseJournal(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->sessions.size(), 1u);
  EXPECT_EQ(parsed->malformed, 2u);
  EXPECT_TRUE(parsed->torn);
  EXPECT_FALSE(ParseJournal("something else\n").has_value());
}

TEST(SessionRegistry, ReplaysItsJournalAfterARestart) {
  TempDir dir;
  FakeClock clock(TestEpoch());
  {
    auto registry = Open(clock, 100, dir.journal());
    registry->Add(Session("ASIA1", 900));
    registry->Add(Session("ASIA2", 3600));
    registry->Flush();
    // Written by the writer thread, before any compaction: the lines are in the file.
    EXPECT_NE(ReadFile(dir.journal()).find("\tjob-ASIA2\t"), std::string::npos);
    registry->UsageOf("ASIA2")->Used(TestEpoch() + std::chrono::seconds(7), "192.0.2.9");
  }  // a clean stop compacts: the last use is kept too
  struct stat st {};
  ASSERT_EQ(::stat(dir.journal().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  clock.Advance(std::chrono::seconds(1000));  // ASIA1 has expired meanwhile
  auto registry = Open(clock, 100, dir.journal());
  auto listed = registry->List(kAccount, clock.Now());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].access_key_id, "ASIA2");
  EXPECT_EQ(listed[0].last_used_at, TestEpoch() + std::chrono::seconds(7));
  EXPECT_EQ(listed[0].last_used_from, "192.0.2.9");
  // Opening compacted the file: the expired session's line is gone.
  std::string text = ReadFile(dir.journal());
  EXPECT_EQ(text.find("ASIA1"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);  // header + ASIA2
}

TEST(SessionRegistry, ATornLastLineIsDroppedAtTheNextStart) {
  TempDir dir;
  FakeClock clock(TestEpoch());
  std::string good = FormatJournalLine(Session("ASIA1", 900));
  std::string torn = FormatJournalLine(Session("ASIA2", 900));
  {
    std::ofstream out(dir.journal(), std::ios::binary);
    out << kJournalHeader << good << torn.substr(0, torn.size() / 2);
  }
  auto registry = Open(clock, 100, dir.journal());
  EXPECT_THAT(Keys(registry->List(kAccount, clock.Now())), ElementsAre("ASIA1"));
  EXPECT_EQ(ReadFile(dir.journal()), std::string(kJournalHeader) + good);
  // What is appended next starts on a line of its own.
  registry->Add(Session("ASIA3", 900));
  registry->Flush();
  auto parsed = ParseJournal(ReadFile(dir.journal()));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->malformed, 0u);
  EXPECT_FALSE(parsed->torn);
  EXPECT_EQ(parsed->sessions.size(), 2u);
}

TEST(SessionRegistry, CompactsWhenTheJournalOutgrowsTheRegistry) {
  TempDir dir;
  FakeClock clock(TestEpoch());
  auto registry = Open(clock, /*max=*/10, dir.journal());
  // 3000 issuances into a registry of 10: the file would hold 3000 lines uncompacted.
  for (int batch = 0; batch < 3; ++batch) {
    for (int i = 0; i < 1000; ++i) {
      registry->Add(Session("ASIA" + std::to_string(batch * 1000 + i), 900 + i));
    }
    registry->Flush();
  }
  EXPECT_EQ(registry->stats().live, 10u);
  EXPECT_EQ(registry->stats().evicted, 2990u);
  EXPECT_LE(registry->stats().journal_lines, 2u * 10 + 1024);
  auto parsed = ParseJournal(ReadFile(dir.journal()));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_LE(parsed->sessions.size(), 2u * 10 + 1024);
}

TEST(SessionRegistry, RefusesAFileThatIsNotItsJournal) {
  TempDir dir;
  FakeClock clock(TestEpoch());
  {
    std::ofstream out(dir.journal(), std::ios::binary);
    out << "{\"not\": \"a journal\"}\n";
  }
  auto registry = SessionRegistry::Open({.journal = dir.journal()}, clock);
  ASSERT_FALSE(registry.has_value());
  EXPECT_NE(registry.error().message.find("not a kura session journal"), std::string::npos);
  EXPECT_EQ(ReadFile(dir.journal()), "{\"not\": \"a journal\"}\n");  // left alone
}

}  // namespace
}  // namespace kura::sts
