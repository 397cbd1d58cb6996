// The fixture of the store contract suites: every TYPED_TEST runs once per implementation,
// each on a fresh store holding one empty bucket "b". SqliteRados (SQLite metadata, blobs in
// Ceph RADOS) needs the cluster of rados_test_env.h, Postgres the server of postgres_test_db.h,
// PostgresRados (the shared engines of issue #20) both; each skips without them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "postgres_test_db.h"
#include "rados_test_env.h"
#include "store/fs/fs_blob_store.h"
#include "store/postgres/postgres_metadata_store.h"
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

// PostgresMetadataStore in a fresh schema, with the filesystem blob store.
struct PostgresImpl {
  static std::optional<std::string> SkipReason() { return testing::PostgresSkipReason(); }
  Result<Store> Open(const std::filesystem::path& dir) {
    auto schema = testing::PostgresSchema::Create();
    if (!schema) return schema.error();
    schema_ = std::move(schema).value();
    auto blobs = FsBlobStore::Open(dir / "data");
    if (!blobs) return blobs.error();
    auto metadata = postgres::PostgresMetadataStore::Open(schema_->url());
    if (!metadata) return metadata.error();
    return Store{std::move(blobs).value(), std::move(metadata).value()};
  }
  std::unique_ptr<testing::PostgresSchema> schema_;  // dropped after the store closed
};

// The shared engines of a kura cluster (issue #20): PostgreSQL metadata, blobs in RADOS.
struct PostgresRadosImpl {
  static std::optional<std::string> SkipReason() { return testing::PostgresSkipReason(); }
  Result<Store> Open(const std::filesystem::path&) {
    auto schema = testing::PostgresSchema::Create();
    if (!schema) return schema.error();
    schema_ = std::move(schema).value();
    auto blobs = rados::RadosBlobStore::Open(*testing::TestRadosOptions());
    if (!blobs) return blobs.error();
    auto metadata = postgres::PostgresMetadataStore::Open(schema_->url());
    if (!metadata) return metadata.error();
    return Store{std::move(blobs).value(), std::move(metadata).value()};
  }
  std::unique_ptr<testing::PostgresSchema> schema_;  // dropped after the store closed
};

template <typename Impl>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (std::is_same_v<Impl, SqliteRadosImpl> || std::is_same_v<Impl, PostgresRadosImpl>) {
      KURA_SKIP_WITHOUT_RADOS();
    }
    if constexpr (requires { Impl::SkipReason(); }) {
      if (auto why = Impl::SkipReason()) GTEST_SKIP() << *why;
    }
    auto opened = impl_.Open(dir_.path());
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
  Impl impl_;
  Store store_;  // closed before impl_ and dir_ go
};

using Implementations =
    ::testing::Types<MemoryImpl, SqliteImpl, SqliteRadosImpl, PostgresImpl, PostgresRadosImpl>;
class ImplNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryImpl>) return "Memory";
    if (std::is_same_v<T, SqliteImpl>) return "Sqlite";
    if (std::is_same_v<T, SqliteRadosImpl>) return "SqliteRados";
    return std::is_same_v<T, PostgresImpl> ? "Postgres" : "PostgresRados";
  }
};
}  // namespace kura::store
