// The fixture of the store contract suites: every TYPED_TEST runs once per implementation,
// each on a fresh store holding one empty bucket "b".
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {

struct MemoryImpl {
  static Result<Store> Open(const std::filesystem::path&) { return NewMemoryStore(); }
};
struct SqliteImpl {
  static Result<Store> Open(const std::filesystem::path& dir) { return OpenDataDir(dir / "data"); }
};

template <typename Impl>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
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

using Implementations = ::testing::Types<MemoryImpl, SqliteImpl>;
class ImplNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryImpl> ? "Memory" : "Sqlite";
  }
};
}  // namespace kura::store
