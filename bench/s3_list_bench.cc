// ListObjectsV2 page cost against bucket size (numbers in bench/README.md). Buckets of 1 K, 10 K,
// 100 K and 1 M keys ("dNNN/oNNNNNNN", 1000 keys per "directory") live in one SQLite data dir,
// bulk-loaded once through the store's own row layout. Each iteration lists one page as
// ListObjectsV2 does (through MetadataStore::ListObjects, the handler's only store call):
//  - BM_ListPage: 1000 keys from a random continuation point;
//  - BM_ListDelimiterPage: a page of up to 1000 common prefixes with delimiter "/" from a random
//    point (one index seek per prefix, not a scan of the keys under it);
//  - BM_ListVersionsPage: the same page as ListObjectVersions reads it (MetadataStore::
//    ListObjectVersions: each key's current version, then its noncurrent ones; here none), to
//    compare with BM_ListPage.
// Flat times from 1 K to 1 M keys show that a page never scans the bucket.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "store/sqlite/db.h"
#include "store/sqlite/object_rows.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"
#include "store/store.h"

namespace kura::store {
namespace {

constexpr int kSizes[] = {1000, 10000, 100000, 1000000};

std::string KeyOf(int i) {
  char key[32];
  std::snprintf(key, sizeof key, "d%03d/o%07d", i / 1000, i);
  return key;
}

std::string BucketOf(int n) { return "b" + std::to_string(n); }

void BulkLoad(const std::filesystem::path& db_file) {
  auto db = sqlite::Db::Open(db_file);
  if (!db || !(*db)->Exec("BEGIN")) std::abort();
  for (int n : kSizes) {
    BucketRecord bucket{.name = BucketOf(n), .region = "us-east-1", .owner_id = "o"};
    auto stmt = (*db)->Prepare(sqlite::sql::kInsertBucket);
    sqlite::BindBucketRow(**stmt, bucket);
    if (!(*stmt)->Run()) std::abort();
    ObjectRecord o;
    o.bucket = bucket.name;
    o.etag = "0123456789abcdef0123456789abcdef";
    o.content_type = "application/octet-stream";
    o.size = o.blob.size = 1;
    o.blob.inline_data = "x";
    for (int i = 0; i < n; ++i) {
      o.key = KeyOf(i);
      if (!sqlite::WriteObjectRow(**db, o, 0)) std::abort();
    }
  }
  if (!(*db)->Exec("COMMIT")) std::abort();
}

struct BenchStore {
  BenchStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-list-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    {
      auto created = OpenDataDir(dir);  // creates and migrates the schema
      if (!created) std::abort();
    }
    BulkLoad(dir / "meta.db");
    auto opened = OpenDataDir(dir);
    if (!opened) std::abort();
    store = std::move(opened).value();
  }
  ~BenchStore() {
    store = {};
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path dir;
  Store store;
};

BenchStore& Shared() {
  static BenchStore bench;
  return bench;
}

void BM_ListPage(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  auto& meta = *Shared().store.metadata;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> start(0, n - 1);
  for (auto _ : state) {
    ListQuery q{.bucket = BucketOf(n), .start_after = KeyOf(start(rng)), .max_keys = 1000};
    auto page = meta.ListObjects(q);
    if (!page) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
  state.counters["keys"] = n;
}
BENCHMARK(BM_ListPage)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_ListDelimiterPage(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  auto& meta = *Shared().store.metadata;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> start(0, n - 1);
  for (auto _ : state) {
    ListQuery q{.bucket = BucketOf(n), .delimiter = "/", .start_after = KeyOf(start(rng)), .max_keys = 1000};
    auto page = meta.ListObjects(q);
    if (!page) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
  state.counters["keys"] = n;
}
BENCHMARK(BM_ListDelimiterPage)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_ListVersionsPage(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  auto& meta = *Shared().store.metadata;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> start(0, n - 1);
  for (auto _ : state) {
    VersionListQuery q{.bucket = BucketOf(n), .key_marker = KeyOf(start(rng)), .max_keys = 1000};
    auto page = meta.ListObjectVersions(q);
    if (!page) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
  state.counters["keys"] = n;
}
BENCHMARK(BM_ListVersionsPage)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kura::store
