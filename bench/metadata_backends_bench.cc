// The metadata stores side by side (numbers in bench/README.md): durable 4 KiB PUTs (the body
// inline in the metadata, as small objects are) from 1 and 16 submitters, and 4 KiB GETs from
// one reader (two for PostgreSQL), on SqliteMetadataStore (a temp dir) and PostgresMetadataStore (a fresh schema on
// the server at KURA_BENCH_POSTGRES_URL, e.g. one started by tests/support/postgres_instance.sh;
// without it the PostgreSQL rows are skipped).
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "store/wait.h"

namespace kura::store {
namespace {

// `cache_bytes`: the SQLite store's cache of latest records (0: every GET reads the database, as
// PostgresMetadataStore, which has no such cache, always does).
template <size_t cache_bytes>
class SqliteBackend {
 public:
  SqliteBackend() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-bench-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    sqlite::SqliteOptions options;
    options.record_cache_bytes = cache_bytes;
    auto opened = sqlite::SqliteMetadataStore::Open(dir_ / "meta.db", std::move(options));
    if (opened) store_ = std::move(opened).value();
  }
  ~SqliteBackend() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  MetadataStore* store() { return store_.get(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<MetadataStore> store_;
};

class PostgresBackend {
 public:
  PostgresBackend() {
    const char* url = std::getenv("KURA_BENCH_POSTGRES_URL");
    if (url == nullptr) return;
    auto admin = postgres::PgConnection::Connect({.url = url});
    if (!admin) return;
    admin_ = std::move(admin).value();
    schema_ = "kura_bench_" + std::to_string(::getpid());
    if (!admin_->Run(("CREATE SCHEMA " + schema_).c_str())) return;
    auto opened = postgres::PostgresMetadataStore::Open(
        std::string(url) + (std::string(url).find('?') == std::string::npos ? "?" : "&") +
        "options=-csearch_path%3D" + schema_);
    if (opened) store_ = std::move(opened).value();
  }
  ~PostgresBackend() {
    store_.reset();
    if (admin_) (void)admin_->Run(("DROP SCHEMA " + schema_ + " CASCADE").c_str());
  }
  MetadataStore* store() { return store_.get(); }

 private:
  std::unique_ptr<postgres::PgConnection> admin_;
  std::string schema_;
  std::unique_ptr<MetadataStore> store_;
};

template <typename Backend>
MetadataStore* Shared() {
  static Backend backend;
  static std::once_flag once;
  std::call_once(once, [] {
    if (backend.store() == nullptr) return;
    for (const char* name : {"put", "get"}) {
      BucketRecord bucket;
      bucket.name = name;
      bucket.owner_id = "bench";
      (void)WaitFor<void>(
          [&](Callback<void> cb) { backend.store()->CreateBucket(bucket, std::move(cb)); });
    }
  });
  return backend.store();
}

ObjectRecord Object4KiB(const std::string& bucket, std::string key) {
  ObjectRecord o;
  o.bucket = bucket;
  o.key = std::move(key);
  o.size = 4096;
  o.etag = "0123456789abcdef0123456789abcdef";
  o.last_modified = std::chrono::system_clock::now();
  o.content_type = "application/octet-stream";
  o.blob.size = 4096;
  o.blob.inline_data = std::string(4096, 'p');
  return o;
}

template <typename Backend>
void BM_Put4KiB(benchmark::State& state) {
  MetadataStore* store = Shared<Backend>();
  if (store == nullptr) return state.SkipWithError("backend unavailable");
  static std::atomic<long> next{0};
  for (auto _ : state) {
    std::string key = "key-" + std::to_string(next++);
    auto put = WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
      store->PutObject(Object4KiB("put", key), {}, std::move(cb));
    });
    if (!put) return state.SkipWithError(put.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

template <typename Backend>
void BM_Get4KiB(benchmark::State& state) {
  MetadataStore* store = Shared<Backend>();
  if (store == nullptr) return state.SkipWithError("backend unavailable");
  static std::once_flag once;
  std::call_once(once, [&] {
    for (int i = 0; i < 1000; ++i) {
      (void)WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
        store->PutObject(Object4KiB("get", "key-" + std::to_string(i)), {}, std::move(cb));
      });
    }
  });
  std::mt19937 rng(state.thread_index());
  for (auto _ : state) {
    auto object = store->GetObject("get", "key-" + std::to_string(rng() % 1000));
    if (!object) return state.SkipWithError(object.error().message.c_str());
    benchmark::DoNotOptimize(object);
  }
  state.SetItemsProcessed(state.iterations());
}

using Sqlite = SqliteBackend<RecordCache::kDefaultCapacityBytes>;
using SqliteUncached = SqliteBackend<0>;

BENCHMARK(BM_Put4KiB<Sqlite>)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_Put4KiB<PostgresBackend>)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_Get4KiB<Sqlite>)->Threads(1)->UseRealTime();
BENCHMARK(BM_Get4KiB<SqliteUncached>)->Threads(1)->UseRealTime();
BENCHMARK(BM_Get4KiB<PostgresBackend>)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace kura::store
