// The fixture of the store contract suites: every TYPED_TEST runs once per implementation,
// each on a fresh store holding one empty bucket "b". SqliteRados (SQLite metadata, blobs in
// Ceph RADOS) needs the cluster of rados_test_env.h and skips without it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "rados_test_env.h"
#include "store/rados/rados_blob_store.h"
#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {

struct MemoryImpl {
  static Result<Store> Open(const std::filesystem::path&) { return NewMemoryStore(); }
};
struct SqliteImpl {
  static Result<Store> Open(const std::filesystem::path& dir) { return OpenDataDir(dir / "data"); }
};
// As OpenDataDir assembles a Store, with the RADOS blob store in a namespace of its own.
struct SqliteRadosImpl {
  static Result<Store> Open(const std::filesystem::path& dir) {
    auto blobs = rados::RadosBlobStore::Open(*testing::TestRadosOptions());
    if (!blobs) return blobs.error();
    auto metadata = sqlite::SqliteMetadataStore::Open(dir / "meta.db");
    if (!metadata) return metadata.error();
    return Store{std::move(blobs).value(), std::move(metadata).value()};
  }
};

template <typename Impl>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (std::is_same_v<Impl, SqliteRadosImpl>) KURA_SKIP_WITHOUT_RADOS();
    auto opened = Impl::Open(dir_.path());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(opened).value();
    ASSERT_TRUE(testing::CreateBucketSync(meta(), testing::Bucket("b")));
  }
  MetadataStore& meta() { return *store_.metadata; }
  BlobStore& blobs() { return *store_.blobs; }

  void PutKeys(const std::vector<std::string>& keys) {
    for (const auto& key : keys) ASSERT_TRUE(testing::PutSync(meta(), testing::Object("b", key)));
  }

  testing::TempDir dir_;
  Store store_;
};

using Implementations = ::testing::Types<MemoryImpl, SqliteImpl, SqliteRadosImpl>;
class ImplNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryImpl>) return "Memory";
    return std::is_same_v<T, SqliteImpl> ? "Sqlite" : "SqliteRados";
  }
};
}  // namespace kura::store
