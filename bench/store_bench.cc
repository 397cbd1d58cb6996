// Store microbenchmarks (numbers in bench/README.md):
//  - BM_DurablePut4KiB: 4 KiB PUTs, each acknowledged only after its durable commit, from 1, 16
//    and 64 concurrent submitters: group commit lets concurrent PUTs share one WAL fsync.
//  - BM_FilePerObjectPut4KiB: the baseline without packing: one file + fsync + rename + dir
//    fsync per object (what a 4 KiB PUT would cost if small objects were files).
//  - BM_GetObjectSmall: one metadata+bytes query for a 4 KiB inline object.
//  - BM_GetObjectVersioned: the same on a versioning-Enabled bucket whose keys have 3 versions
//    each (the latest is still one read of `objects`; compare with BM_GetObjectSmall), and
//    BM_GetObjectNoncurrent: a noncurrent version by id (one more indexed read).
//  - BM_OverwritePut4KiB(Versioned): durable overwrites of 1000 keys, unversioned vs Enabled.
//  - BM_ListPage: a page of 1000 keys from a bucket of 1 K vs 100 K keys (should not grow), and
//    a delimiter listing that rolls 100 K keys into 100 common prefixes (100 seeks).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <set>

#include "store/store.h"
#include "store/wait.h"

namespace kura::store {
namespace {

struct BenchStore {
  BenchStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
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

ObjectRecord MakeObject(const std::string& bucket, std::string key, BlobRef blob) {
  ObjectRecord o;
  o.bucket = bucket;
  o.key = std::move(key);
  o.size = blob.size;
  o.etag = "0123456789abcdef0123456789abcdef";
  o.last_modified = std::chrono::system_clock::now();
  o.content_type = "application/octet-stream";
  o.blob = std::move(blob);
  return o;
}

void EnsureBucket(const std::string& name) {
  BucketRecord b;
  b.name = name;
  b.owner_id = "bench";
  (void)WaitFor<void>(
      [&](Callback<void> cb) { Shared().store.metadata->CreateBucket(b, std::move(cb)); });
}

std::string KeyName(const char* format, long i) {
  char key[64];
  std::snprintf(key, sizeof(key), format, i);
  return key;
}

// Puts `count` small objects, all submitted at once (group-committed), and waits for them.
void Fill(const std::string& bucket, long count, const std::function<std::string(long)>& key_of,
          size_t bytes) {
  EnsureBucket(bucket);
  std::vector<std::future<void>> pending;
  for (long i = 0; i < count; ++i) {
    BlobRef blob;
    blob.size = bytes;
    blob.inline_data = std::string(bytes, 'x');
    auto promise = std::make_shared<std::promise<void>>();
    pending.push_back(promise->get_future());
    Shared().store.metadata->PutObject(MakeObject(bucket, key_of(i), std::move(blob)), {},
                                       [promise](auto) { promise->set_value(); });
  }
  for (auto& p : pending) p.wait();
}

void PutLoop(benchmark::State& state, Placement placement, const std::string& bucket) {
  static std::once_flag once;
  std::call_once(once, [] {
    EnsureBucket("put");
    EnsureBucket("put-files");
  });
  BenchStore& bench = Shared();
  const std::string payload(4096, 'p');
  long i = 0;
  for (auto _ : state) {
    auto writer = bench.store.blobs->NewWriterFor(placement);
    if (!writer->Append(payload)) state.SkipWithError("append");
    auto blob = writer->Seal();
    if (!blob) state.SkipWithError("seal");
    std::string key = KeyName("t%03ld/", state.thread_index()) + std::to_string(i++);
    auto put = WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
      bench.store.metadata->PutObject(MakeObject(bucket, key, *blob), {}, std::move(cb));
    });
    if (!put) state.SkipWithError(put.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 4096);
}

void BM_DurablePut4KiB(benchmark::State& state) {
  PutLoop(state, Placement::kInlineIfSmall, "put");
}
BENCHMARK(BM_DurablePut4KiB)->Threads(1)->Threads(16)->Threads(64)->UseRealTime()->MinTime(2.0);

void BM_FilePerObjectPut4KiB(benchmark::State& state) {
  PutLoop(state, Placement::kAlwaysFile, "put-files");
}
BENCHMARK(BM_FilePerObjectPut4KiB)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);

// Overwrites of 1000 keys from 16 submitters, on an unversioned bucket (the "null" version is
// replaced) and on a versioning-Enabled one (each PUT adds a version and demotes the latest).
void OverwriteLoop(benchmark::State& state, const std::string& bucket, bool versioned) {
  static std::once_flag once;
  std::call_once(once, [] {
    EnsureBucket("overwrite");
    EnsureBucket("overwrite-versioned");
    (void)WaitFor<void>([&](Callback<void> cb) {
      Shared().store.metadata->UpdateBucket(
          "overwrite-versioned",
          [](BucketRecord& b) -> Result<void> {
            b.versioning = VersioningState::kEnabled;
            return Ok();
          },
          std::move(cb));
    });
  });
  static std::atomic<long> next{0};
  BlobRef blob;
  blob.size = 4096;
  blob.inline_data = std::string(4096, 'p');
  for (auto _ : state) {
    long n = next++;
    ObjectRecord o = MakeObject(bucket, KeyName("key-%06ld", n % 1000), blob);
    if (versioned) o.version_id = "v" + std::to_string(n);
    auto put = WaitFor<PutOutcome>([&](Callback<PutOutcome> cb) {
      Shared().store.metadata->PutObject(std::move(o), {}, LockContext{}, std::move(cb));
    });
    if (!put) state.SkipWithError(put.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_OverwritePut4KiB(benchmark::State& state) { OverwriteLoop(state, "overwrite", false); }
BENCHMARK(BM_OverwritePut4KiB)->Threads(16)->UseRealTime()->MinTime(2.0);

void BM_OverwritePut4KiBVersioned(benchmark::State& state) {
  OverwriteLoop(state, "overwrite-versioned", true);
}
BENCHMARK(BM_OverwritePut4KiBVersioned)->Threads(16)->UseRealTime()->MinTime(2.0);

void BM_GetObjectSmall(benchmark::State& state) {
  static std::once_flag once;
  std::call_once(once, [] {
    Fill(
        "get", 1000, [](long i) { return KeyName("key-%06ld", i); }, 4096);
  });
  std::mt19937 rng(state.thread_index());
  for (auto _ : state) {
    auto object = Shared().store.metadata->GetObject("get", KeyName("key-%06ld", rng() % 1000));
    if (!object) state.SkipWithError("get");
    benchmark::DoNotOptimize(object);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetObjectSmall)->Threads(1)->Threads(2)->UseRealTime();

// Bucket "get-versioned": 1000 keys × 3 versions "v<key>-<n>" of 4 KiB, versioning Enabled.
void FillVersioned() {
  static std::once_flag once;
  std::call_once(once, [] {
    EnsureBucket("get-versioned");
    (void)WaitFor<void>([&](Callback<void> cb) {
      Shared().store.metadata->UpdateBucket(
          "get-versioned",
          [](BucketRecord& b) -> Result<void> {
            b.versioning = VersioningState::kEnabled;
            return Ok();
          },
          std::move(cb));
    });
    std::vector<std::future<void>> pending;
    for (int n = 1; n <= 3; ++n) {
      for (long i = 0; i < 1000; ++i) {
        BlobRef blob;
        blob.size = 4096;
        blob.inline_data = std::string(4096, 'x');
        ObjectRecord o = MakeObject("get-versioned", KeyName("key-%06ld", i), std::move(blob));
        o.version_id = KeyName("v%06ld-", i) + std::to_string(n);
        auto promise = std::make_shared<std::promise<void>>();
        pending.push_back(promise->get_future());
        Shared().store.metadata->PutObject(std::move(o), {}, LockContext{},
                                           [promise](auto) { promise->set_value(); });
      }
      for (auto& p : pending) p.wait();
      pending.clear();
    }
  });
}

void BM_GetObjectVersioned(benchmark::State& state) {
  FillVersioned();
  std::mt19937 rng(state.thread_index());
  for (auto _ : state) {
    auto object =
        Shared().store.metadata->GetObject("get-versioned", KeyName("key-%06ld", rng() % 1000));
    if (!object) state.SkipWithError("get");
    benchmark::DoNotOptimize(object);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetObjectVersioned)->Threads(1)->Threads(2)->UseRealTime();

void BM_GetObjectNoncurrent(benchmark::State& state) {
  FillVersioned();
  std::mt19937 rng(state.thread_index());
  for (auto _ : state) {
    long i = rng() % 1000;
    std::string version_id = KeyName("v%06ld-", i) + "1";
    auto object = Shared().store.metadata->GetObject("get-versioned", KeyName("key-%06ld", i),
                                                     std::string_view(version_id));
    if (!object || object->is_latest) state.SkipWithError("get");
    benchmark::DoNotOptimize(object);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetObjectNoncurrent)->Threads(1)->UseRealTime();

// Arg: keys in the bucket. Each iteration lists 1000 keys from a random point.
void BM_ListPage(benchmark::State& state) {
  const long keys = state.range(0);
  const std::string bucket = "list" + std::to_string(keys);
  static std::mutex mu;
  static std::set<long> filled;
  {
    std::lock_guard lock(mu);
    if (filled.insert(keys).second) {
      Fill(
          bucket, keys, [](long i) { return KeyName("key-%08ld", i); }, 64);
    }
  }
  std::mt19937 rng(1);
  for (auto _ : state) {
    long first = static_cast<long>(rng() % (keys - 999));  // 1000 keys from `first` on
    ListQuery q{.bucket = bucket};
    if (first > 0) q.start_after = KeyName("key-%08ld", first - 1);
    auto page = Shared().store.metadata->ListObjects(q);
    if (!page || page->objects.size() != 1000) state.SkipWithError("list");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ListPage)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// 100 K keys under 100 "directories": a delimiter listing returns 100 common prefixes, one
// seek each, instead of stepping through 100 K keys.
void BM_ListDelimiter100K(benchmark::State& state) {
  static std::once_flag once;
  std::call_once(once, [] {
    Fill(
        "dirs", 100000, [](long i) { return KeyName("d%02ld/", i % 100) + std::to_string(i); }, 64);
  });
  for (auto _ : state) {
    auto page = Shared().store.metadata->ListObjects({.bucket = "dirs", .delimiter = "/"});
    if (!page || page->common_prefixes.size() != 100) state.SkipWithError("list");
  }
}
BENCHMARK(BM_ListDelimiter100K)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kura::store
