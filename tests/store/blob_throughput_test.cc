// Not a check but a measurement, run by hand (disabled by default):
//   store_test --gtest_also_run_disabled_tests --gtest_filter='*BlobThroughput*'
// Sequential write (PrepareAppend/CommitAppend in 256 KiB pieces, as a PUT body arrives) and read
// (ReadAt of 256 KiB buffers, as a GET sends) of a 64 MiB blob, in the filesystem store and in
// the RADOS cluster of rados_test_env.h: MB/s, this process's CPU (kura's side, librados's
// threads included) and, for RADOS, the OSD's and monitor's CPU read from /proc.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "rados_test_env.h"
#include "store/fs/fs_blob_store.h"
#include "store/rados/rados_blob_store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

constexpr size_t kBlobBytes = 64 * 1024 * 1024;
constexpr size_t kBufferBytes = 256 * 1024;

double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// utime + stime of the daemon whose pid file is `pid_file`, or 0 if it cannot be read.
double DaemonCpuSeconds(const std::filesystem::path& pid_file) {
  std::ifstream pid_in(pid_file);
  int pid = 0;
  if (!(pid_in >> pid)) return 0;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields;
  std::string field;
  for (char c : text.substr(close + 2)) {
    if (c == ' ') {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  // Fields 14 and 15 of proc(5) (utime, stime), counted from field 3 after the ')'.
  return (std::stod(fields[11]) + std::stod(fields[12])) /
         static_cast<double>(::sysconf(_SC_CLK_TCK));
}

struct Sample {
  double seconds = 0;
  double cpu = 0;         // this process
  double daemon_cpu = 0;  // OSD + monitor
};

class Meter {
 public:
  explicit Meter(std::vector<std::filesystem::path> daemons) : daemons_(std::move(daemons)) {}
  void Start() {
    start_ = std::chrono::steady_clock::now();
    cpu_ = ProcessCpuSeconds();
    daemon_cpu_ = DaemonCpu();
  }
  Sample Stop() const {
    return {
        .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
        .cpu = ProcessCpuSeconds() - cpu_,
        .daemon_cpu = DaemonCpu() - daemon_cpu_};
  }

 private:
  double DaemonCpu() const {
    double total = 0;
    for (const auto& pid_file : daemons_) total += DaemonCpuSeconds(pid_file);
    return total;
  }
  std::vector<std::filesystem::path> daemons_;
  std::chrono::steady_clock::time_point start_;
  double cpu_ = 0;
  double daemon_cpu_ = 0;
};

void Report(const char* store, const char* what, const Sample& s) {
  double mb = kBlobBytes / 1e6;
  std::printf("%-6s %-5s %7.1f MB/s  process CPU %5.3f s (%4.2f ns/B)  daemons CPU %5.3f s\n",
              store, what, mb / s.seconds, s.cpu, s.cpu * 1e9 / kBlobBytes, s.daemon_cpu);
}

void Measure(BlobStore& blobs, const char* name, Meter& meter) {
  std::string data = testing::Pattern(kBlobBytes, 'm');
  for (int run = 0; run < 3; ++run) {
    meter.Start();
    auto writer = blobs.NewWriter();
    for (size_t at = 0; at < data.size();) {
      auto space = writer->PrepareAppend();
      ASSERT_TRUE(space);
      size_t n = std::min({space->size(), kBufferBytes, data.size() - at});
      std::memcpy(space->data(), data.data() + at, n);
      ASSERT_TRUE(writer->CommitAppend(n));
      at += n;
    }
    auto ref = writer->Seal();
    ASSERT_TRUE(ref) << ref.error().message;
    Report(name, "write", meter.Stop());

    meter.Start();
    auto reader = blobs.Open(*ref);
    ASSERT_TRUE(reader);
    std::string buffer(kBufferBytes, '\0');
    for (uint64_t at = 0; at < data.size();) {
      auto got = (*reader)->ReadAt(at, buffer);
      ASSERT_TRUE(got && *got > 0);
      at += *got;
    }
    Report(name, "read", meter.Stop());
    blobs.Delete(*ref);
  }
}

TEST(BlobThroughput, DISABLED_SequentialSixtyFourMebibytesFsAndRados) {
  testing::TempDir dir;
  {
    auto fs = FsBlobStore::Open(dir.path());
    ASSERT_TRUE(fs);
    Meter meter({});
    Measure(**fs, "fs", meter);
  }
  auto options = testing::TestRadosOptions();
  if (!options) GTEST_SKIP() << "no Ceph cluster (rados_test_env.h)";
  auto rados = rados::RadosBlobStore::Open(*options);
  ASSERT_TRUE(rados) << rados.error().message;
  std::filesystem::path run = std::filesystem::path(options->conf_path).parent_path() / "run";
  Meter meter({run / "osd.0.pid", run / "mon.a.pid"});
  Measure(**rados, "rados", meter);
}

}  // namespace
}  // namespace kura::store
