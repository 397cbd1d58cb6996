// The fixture of the store contract suites: every TYPED_TEST runs once per implementation,
// each on a fresh store holding one empty bucket "b". PostgreSQL: see postgres_test_db.h.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "postgres_test_db.h"
#include "store/fs/fs_blob_store.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {

struct MemoryImpl {
  static Result<Store> Open(const std::filesystem::path&) { return NewMemoryStore(); }
};
struct SqliteImpl {
  static Result<Store> Open(const std::filesystem::path& dir) { return OpenDataDir(dir / "data"); }
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

template <typename Impl>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
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

using Implementations = ::testing::Types<MemoryImpl, SqliteImpl, PostgresImpl>;
class ImplNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryImpl>) return "Memory";
    return std::is_same_v<T, SqliteImpl> ? "Sqlite" : "Postgres";
  }
};
}  // namespace kura::store
