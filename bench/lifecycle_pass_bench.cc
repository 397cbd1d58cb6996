// One lifecycle worker pass over a bucket of N objects on the SQLite store (numbers in
// bench/README.md): usage `lifecycle_pass_bench [objects=100000] [expired_every=10]`.
// The bucket is bulk-loaded through the store's row layout; every `expired_every`-th object is
// old enough for its Expiration rule (Days 1), the rest are not. While the pass runs, a
// foreground thread PUTs small objects into another bucket one after another and records their
// latency: what the worker's writes cost foreground requests. Printed: the pass's duration and
// counts, the longest single write of the pass (queue + commit + fsync: an upper bound of how
// long it held the store's writer), and foreground PUT latency (max, p99).
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/random.h"
#include "s3/lifecycle_config.h"
#include "s3/lifecycle_worker.h"
#include "store/sqlite/db.h"
#include "store/sqlite/object_rows.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"
#include "store/store.h"
#include "store/wait.h"

namespace kura {
namespace {

using std::chrono::steady_clock;
constexpr std::chrono::seconds kDay{86400};
const TimePoint kNow = FromUnixSeconds(1700000000);

std::string KeyOf(int i) {
  char key[32];
  std::snprintf(key, sizeof key, "d%03d/o%07d", i / 1000, i);
  return key;
}

void BulkLoad(const std::filesystem::path& db_file, int n, int expired_every) {
  auto db = store::sqlite::Db::Open(db_file);
  if (!db || !(*db)->Exec("BEGIN")) std::abort();
  auto rules = s3::ParseLifecycleConfiguration(
      "<LifecycleConfiguration><Rule><ID>expire</ID><Status>Enabled</Status><Filter/>"
      "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>");
  for (std::string name : {"big", "fg"}) {
    store::BucketRecord bucket{.name = name, .region = "us-east-1", .owner_id = "o"};
    if (name == "big") bucket.lifecycle_xml = s3::RenderLifecycleConfiguration(*rules);
    auto stmt = (*db)->Prepare(store::sqlite::sql::kInsertBucket);
    store::sqlite::BindBucketRow(**stmt, bucket);
    if (!(*stmt)->Run()) std::abort();
  }
  store::ObjectRecord o;
  o.bucket = "big";
  o.etag = "0123456789abcdef0123456789abcdef";
  o.content_type = "application/octet-stream";
  o.size = o.blob.size = 1;
  o.blob.inline_data = "x";
  for (int i = 0; i < n; ++i) {
    o.key = KeyOf(i);
    o.last_modified = i % expired_every == 0 ? kNow - 10 * kDay : kNow;
    if (!store::sqlite::WriteObjectRow(**db, o, 0)) std::abort();
  }
  if (!(*db)->Exec("COMMIT")) std::abort();
}

struct Foreground {
  std::atomic<bool> stop{false};
  std::vector<double> latencies_us;
  std::thread thread;

  void Start(store::MetadataStore& meta) {
    thread = std::thread([this, &meta] {
      for (int i = 0; !stop; ++i) {
        store::ObjectRecord o{.bucket = "fg", .key = "k" + std::to_string(i % 1000), .size = 4,
                              .etag = "e", .last_modified = kNow};
        o.blob.size = 4;
        o.blob.inline_data = "abcd";
        auto began = steady_clock::now();
        auto put = store::WaitFor<store::PutOutcome>([&](store::Callback<store::PutOutcome> done) {
          meta.PutObject(o, {}, {kNow}, std::move(done));
        });
        if (!put) std::abort();
        latencies_us.push_back(std::chrono::duration<double, std::micro>(steady_clock::now() - began).count());
      }
    });
  }
  void Stop() {
    stop = true;
    thread.join();
  }
};

int Run(int n, int expired_every) {
  std::string pattern = (std::filesystem::temp_directory_path() / "kura-lifecycle-bench-XXXXXX").string();
  std::filesystem::path dir = mkdtemp(pattern.data());
  { auto created = store::OpenDataDir(dir); if (!created) std::abort(); }
  auto load_began = steady_clock::now();
  BulkLoad(dir / "meta.db", n, expired_every);
  auto opened = store::OpenDataDir(dir);
  if (!opened) std::abort();
  std::printf("loaded %d objects in %.1f s\n", n,
              std::chrono::duration<double>(steady_clock::now() - load_began).count());

  FakeClock clock(kNow);
  SecureRandom random;
  s3::LifecycleWorker worker(*opened->metadata, *opened->blobs, clock, random, {.day = kDay});
  Foreground foreground;
  foreground.Start(*opened->metadata);
  s3::LifecyclePassStats s = worker.RunPass();
  foreground.Stop();

  auto& l = foreground.latencies_us;
  std::sort(l.begin(), l.end());
  std::printf("pass: scanned=%lld expired=%lld errors=%lld duration=%.2f s (%.1f us/object scanned)\n",
              static_cast<long long>(s.scanned), static_cast<long long>(s.expired),
              static_cast<long long>(s.errors), s.duration.count() / 1e6,
              static_cast<double>(s.duration.count()) / std::max<int64_t>(1, s.scanned));
  std::printf("longest single worker write (queue+commit+fsync): %.2f ms\n", s.longest_write.count() / 1e3);
  if (!l.empty()) {
    std::printf("foreground PUTs during the pass: %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", l.size(),
                l[l.size() / 2] / 1e3, l[l.size() * 99 / 100] / 1e3, l.back() / 1e3);
  }
  opened->metadata.reset();  // closes the database before its directory goes
  opened->blobs.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return s.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace kura

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  int expired_every = argc > 2 ? std::atoi(argv[2]) : 10;
  return kura::Run(n, std::max(1, expired_every));
}
