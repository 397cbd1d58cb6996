// The audit log's writer: records reach the file in order with one write(2) per batch, a full
// queue drops and counts instead of waiting, a clean stop writes everything queued, and a
// disabled log builds nothing. And the file: rotation by size, every file 0600.
#include "api/audit_log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "api/audit_json.h"

namespace kura::api {
namespace {
namespace fs = std::filesystem;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kura-audit-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static unsigned Mode(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  fs::path dir_;
};

TEST_F(AuditLogTest, ADisabledLogBuildsNoRecord) {
  AuditLog off;
  bool built = false;
  off.Record([&] {
    built = true;
    return std::string("x\n");
  });
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(built);
}

TEST_F(AuditLogTest, RecordsAreWrittenInOrderAndAllOfThemOnACleanStop) {
  fs::path path = dir_ / "audit.log";
  {
    auto log = AuditLog::Open({.file = {.path = path}});
    ASSERT_TRUE(log.has_value()) << log.error().message;
    for (int i = 0; i < 1000; ++i) (*log)->Record([&] { return std::to_string(i) + "\n"; });
  }  // the destructor writes what is queued and joins the writer
  std::string expected;
  for (int i = 0; i < 1000; ++i) expected += std::to_string(i) + "\n";
  EXPECT_EQ(Read(path), expected);
  EXPECT_EQ(Mode(path), 0600u);
}

TEST_F(AuditLogTest, AnExistingFileReadableByOthersIsMadePrivate) {
  fs::path path = dir_ / "audit.log";
  { std::ofstream(path) << "old\n"; }
  fs::permissions(path, fs::perms(0644));
  auto log = AuditLog::Open({.file = {.path = path}});
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ(Mode(path), 0600u);
}

TEST_F(AuditLogTest, AnUnopenableFileFailsAtStart) {
  auto log = AuditLog::Open({.file = {.path = (dir_ / "missing-dir" / "audit.log").string()}});
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().message.find("missing-dir"), std::string::npos) << log.error().message;
}

// A pipe nobody reads stands for a disk that cannot keep up: the writer blocks in write(2) on
// the first record, the queue fills, and what does not fit is dropped and counted — Submit
// never waits. Once the reader drains the pipe, everything queued comes out in one write.
TEST_F(AuditLogTest, AFullQueueDropsAndCountsRecordsInsteadOfWaiting) {
  fs::path fifo = dir_ / "audit.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  constexpr size_t kQueue = 1536 * 1024;
  auto log = AuditLog::Open({.file = {.path = fifo}, .queue_bytes = kQueue});
  ASSERT_TRUE(log.has_value()) << log.error().message;
  std::string big(1 << 20, 'B');  // more than a pipe holds: the writer blocks on it
  big.back() = '\n';
  (*log)->Submit(big);
  for (int i = 0; i < 500 && (*log)->writes() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ((*log)->writes(), 1u);
  std::string record(1023, 'r');
  record += '\n';
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 1600; ++i) (*log)->Submit(record);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ((*log)->dropped_records(), 1600u - kQueue / 1024);

  // Drain the pipe while the log stops: the queued records come out, then end of file.
  ::fcntl(reader, F_SETFL, 0);
  size_t total = 0;
  std::thread drain([&] {
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(reader, buf, sizeof buf);
      if (n <= 0) break;
      total += static_cast<size_t>(n);
    }
  });
  log->reset();
  drain.join();
  ::close(reader);
  EXPECT_EQ(total, big.size() + (kQueue / 1024) * 1024);
}

TEST_F(AuditLogTest, QueuedRecordsShareOneWrite) {
  fs::path fifo = dir_ / "audit.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  auto log = AuditLog::Open({.file = {.path = fifo}});
  ASSERT_TRUE(log.has_value());
  std::string big(1 << 20, 'B');
  big.back() = '\n';
  (*log)->Submit(big);
  for (int i = 0; i < 500 && (*log)->writes() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int i = 0; i < 100; ++i) (*log)->Submit("small\n");  // queued behind the blocked write
  ::fcntl(reader, F_SETFL, 0);
  std::thread drain([&] {
    char buf[65536];
    while (::read(reader, buf, sizeof buf) > 0) {
    }
  });
  AuditLog* raw = log->get();
  for (int i = 0; i < 500 && raw->written_records() < 101; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(raw->written_records(), 101u);
  EXPECT_EQ(raw->writes(), 2u);  // the big record's, then the hundred together
  log->reset();
  drain.join();
  ::close(reader);
}

TEST_F(AuditLogTest, TheFileIsRotatedBySizeKeepingMaxFilesEachPrivate) {
  fs::path path = dir_ / "audit.log";
  auto file = AuditFile::Open({.path = path, .max_size = 100, .max_files = 2});
  ASSERT_TRUE(file.has_value());
  for (char c : std::string("abcd")) {
    ASSERT_TRUE((*file)->Append(std::string(59, c) + "\n").has_value());
  }
  EXPECT_EQ(Read(path), std::string(59, 'd') + "\n");
  EXPECT_EQ(Read(path.string() + ".1"), std::string(59, 'c') + "\n");
  EXPECT_EQ(Read(path.string() + ".2"), std::string(59, 'b') + "\n");
  EXPECT_FALSE(fs::exists(path.string() + ".3"));  // 'a', the oldest, is gone
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path.string() + ".1"), 0600u);
  EXPECT_EQ(Mode(path.string() + ".2"), 0600u);
}

// A batch larger than what is left of max_size is split between files at line boundaries, so
// that no file passes max_size (a busy writer's batch is many records).
TEST_F(AuditLogTest, ABatchIsSplitBetweenFilesAtLineBoundaries) {
  fs::path path = dir_ / "audit.log";
  auto file = AuditFile::Open({.path = path, .max_size = 100, .max_files = 5});
  ASSERT_TRUE(file.has_value());
  std::string batch;
  for (char c : std::string("12345")) batch += std::string(39, c) + "\n";
  ASSERT_TRUE((*file)->Append(batch).has_value());
  EXPECT_EQ(Read(path.string() + ".2"), batch.substr(0, 80));
  EXPECT_EQ(Read(path.string() + ".1"), batch.substr(80, 80));
  EXPECT_EQ(Read(path), batch.substr(160));
  // A record longer than max_size goes alone into a file of its own.
  std::string huge(150, 'H');
  huge.back() = '\n';
  ASSERT_TRUE((*file)->Append(huge + "after\n").has_value());
  EXPECT_EQ(Read(path.string() + ".1"), huge);
  EXPECT_EQ(Read(path), "after\n");
}

TEST_F(AuditLogTest, RecordsUnderMaxSizeShareAFileAndZeroNeverRotates) {
  fs::path path = dir_ / "audit.log";
  {
    auto file = AuditFile::Open({.path = path, .max_size = 100, .max_files = 2});
    ASSERT_TRUE(file.has_value());
    ASSERT_TRUE((*file)->Append(std::string(49, 'a') + "\n").has_value());
    ASSERT_TRUE((*file)->Append(std::string(49, 'b') + "\n").has_value());  // exactly 100
    EXPECT_FALSE(fs::exists(path.string() + ".1"));
  }
  auto unbounded = AuditFile::Open({.path = path, .max_size = 0, .max_files = 2});
  ASSERT_TRUE(unbounded.has_value());
  EXPECT_EQ((*unbounded)->size(), 100u);  // reopened: appends after what is there
  ASSERT_TRUE((*unbounded)->Append(std::string(1000, 'c')).has_value());
  EXPECT_FALSE(fs::exists(path.string() + ".1"));
}

TEST_F(AuditLogTest, MaxFilesZeroKeepsNoRotatedFile) {
  fs::path path = dir_ / "audit.log";
  auto file = AuditFile::Open({.path = path, .max_size = 10, .max_files = 0});
  ASSERT_TRUE(file.has_value());
  ASSERT_TRUE((*file)->Append("0123456789").has_value());
  ASSERT_TRUE((*file)->Append("abc").has_value());
  EXPECT_EQ(Read(path), "abc");
  EXPECT_FALSE(fs::exists(path.string() + ".1"));
}

// Standard error goes out in whole-line chunks of at most PIPE_BUF bytes (a pipe's atomic write):
// every byte arrives once and in order, a line longer than that included.
TEST_F(AuditLogTest, StandardErrorGetsEveryLineWholeAndInOrder) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  int saved = ::dup(STDERR_FILENO);
  ASSERT_EQ(::dup2(pipe_fds[1], STDERR_FILENO), STDERR_FILENO);
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += std::string(1500, static_cast<char>('a' + i)) + "\n";
  expected += std::string(5000, 'L') + "\n" + "tail\n";
  std::string got;
  std::thread reader([&] {
    char buf[4096];
    while (got.size() < expected.size()) {
      ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
  });
  {
    auto file = AuditFile::Open({.path = "-"});
    ASSERT_TRUE(file.has_value());
    EXPECT_TRUE((*file)->Append(expected).has_value());
  }
  reader.join();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  EXPECT_EQ(got, expected);
}

TEST(AuditJson, EscapesControlBytesQuotesAndInvalidUtf8) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\n\t\x01\x7f") + "\xc3\xa9" + "\xe2\x82\xac" +
                            "\xf0\x9f\x98\x80" + "\xff" + "\xc0\xaf" + "\xed\xa0\x80" + "\xe2\x82");
  EXPECT_EQ(out,
            "\"a\\\"b\\\\c\\u000a\\u0009\\u0001\\u007f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
            "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

// The eight-bytes-at-a-time scan agrees with a byte-at-a-time reference at every offset: each
// byte class that must be escaped, placed at each position of a word.
TEST(AuditJson, TheWordScanEscapesExactlyWhatTheByteScanDoes) {
  auto reference = [](std::string_view value) {
    std::string out = "\"";
    for (unsigned char c : value) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else if (c >= 0x80) {
        out += "\\ufffd";  // lone bytes >= 0x80 are invalid UTF-8
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  for (unsigned char special : {0x00, 0x1f, 0x20, 0x21, 0x22, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xff}) {
    for (size_t length = 1; length <= 24; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string value(length, 'a');
        value[at] = static_cast<char>(special);
        std::string out;
        AppendJsonString(out, value);
        ASSERT_EQ(out, reference(value)) << "byte " << int(special) << " at " << at << " of " << length;
      }
    }
  }
}

TEST(AuditJson, WritesNestedObjectsWithCommasInPlace) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.String("a", "1");
  w.BeginObject("b");
  w.EndObject();
  w.BeginObject("c");
  w.Number("d", 2);
  w.Bool("e", false);
  w.EndObject();
  w.Null("f");
  w.StringIfSet("g", "");
  w.EndObject();
  EXPECT_EQ(out, R"({"a":"1","b":{},"c":{"d":2,"e":false},"f":null})");
}

}  // namespace
}  // namespace kura::api
