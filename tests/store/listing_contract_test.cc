// ListObjects against every implementation: prefix, delimiter, start-after, pagination,
// UTF-8 byte order, and a randomized comparison with a naive reference model.
#include <algorithm>
#include <random>
#include <set>

#include "contract_fixture.h"
#include "store/listing.h"

namespace kura::store {
namespace {

template <typename Impl>
class ListingContract : public StoreContract<Impl> {
 protected:
  ListPage List(ListQuery query) {
    query.bucket = "b";
    auto page = this->meta().ListObjects(query);
    EXPECT_TRUE(page) << page.error().message;
    return page ? std::move(page).value() : ListPage{};
  }
};
TYPED_TEST_SUITE(ListingContract, Implementations, ImplNames);

std::vector<std::string> Keys(const ListPage& page) {
  std::vector<std::string> keys;
  for (const auto& o : page.objects) keys.push_back(o.key);
  return keys;
}

using Strings = std::vector<std::string>;

// The obvious, slow definition of one page: what the implementations must agree with.
ListPage ReferencePage(const std::set<std::string>& all, const ListQuery& q) {
  ListPage page;
  int emitted = 0;
  for (const auto& key : all) {
    if (!key.starts_with(q.prefix) || key <= q.start_after) continue;
    std::string entry = key;
    bool rolled = false;
    if (!q.delimiter.empty()) {
      size_t at = key.find(q.delimiter, q.prefix.size());
      if (at != std::string::npos) {
        entry = key.substr(0, at + q.delimiter.size());
        rolled = true;
      }
    }
    if (rolled && (entry <= q.start_after ||
                   (!page.common_prefixes.empty() && page.common_prefixes.back() == entry))) {
      continue;
    }
    if (emitted == q.max_keys) {
      page.is_truncated = true;
      break;
    }
    ++emitted;
    page.next_marker = entry;
    if (rolled) {
      page.common_prefixes.push_back(entry);
    } else {
      page.objects.push_back(testing::Object("b", key));
    }
  }
  if (!page.is_truncated) page.next_marker.clear();
  return page;
}

TYPED_TEST(ListingContract, ListsKeysUnderAPrefixInOrder) {
  this->PutKeys({"b", "a/2", "a/1", "ab", "c"});
  ListPage page = this->List({.prefix = "a"});
  EXPECT_EQ(Keys(page), (Strings{"a/1", "a/2", "ab"}));
  EXPECT_FALSE(page.is_truncated);
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_EQ(page.objects[0].blob.inline_data, "");  // listings carry no bytes
  EXPECT_EQ(page.objects[0].etag, "etag-a/1");
}

TYPED_TEST(ListingContract, GroupsKeysByDelimiter) {
  this->PutKeys({"photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/x.jpg",
                 "readme", "videos/v.mp4"});
  ListPage top = this->List({.delimiter = "/"});
  EXPECT_EQ(Keys(top), (Strings{"readme"}));
  EXPECT_EQ(top.common_prefixes, (Strings{"photos/", "videos/"}));
  ListPage photos = this->List({.prefix = "photos/", .delimiter = "/"});
  EXPECT_EQ(Keys(photos), (Strings{"photos/x.jpg"}));
  EXPECT_EQ(photos.common_prefixes, (Strings{"photos/2024/", "photos/2025/"}));
  ListPage multi = this->List({.delimiter = "/20"});
  EXPECT_EQ(multi.common_prefixes, (Strings{"photos/20"}));
}

TYPED_TEST(ListingContract, PaginatesWithNextMarkerAcrossCommonPrefixes) {
  this->PutKeys({"a", "b/1", "b/2", "b/3", "c", "d/1", "e"});
  ListQuery q{.delimiter = "/", .max_keys = 2};
  ListPage p1 = this->List(q);
  EXPECT_EQ(Keys(p1), (Strings{"a"}));
  EXPECT_EQ(p1.common_prefixes, (Strings{"b/"}));
  EXPECT_TRUE(p1.is_truncated);
  EXPECT_EQ(p1.next_marker, "b/");
  q.start_after = p1.next_marker;
  ListPage p2 = this->List(q);
  EXPECT_EQ(Keys(p2), (Strings{"c"}));
  EXPECT_EQ(p2.common_prefixes, (Strings{"d/"}));
  EXPECT_TRUE(p2.is_truncated);
  q.start_after = p2.next_marker;
  ListPage p3 = this->List(q);
  EXPECT_EQ(Keys(p3), (Strings{"e"}));
  EXPECT_FALSE(p3.is_truncated);
  EXPECT_EQ(p3.next_marker, "");
}

TYPED_TEST(ListingContract, StartAfterIsExclusiveAndMayBeAnyString) {
  this->PutKeys({"a", "b", "c"});
  EXPECT_EQ(Keys(this->List({.start_after = "a"})), (Strings{"b", "c"}));
  EXPECT_EQ(Keys(this->List({.start_after = "aa"})), (Strings{"b", "c"}));
  EXPECT_EQ(Keys(this->List({.start_after = "c"})), Strings{});
  ListPage exact = this->List({.max_keys = 3});
  EXPECT_FALSE(exact.is_truncated);  // exactly max_keys left: not truncated
}

TYPED_TEST(ListingContract, OrdersKeysByUtf8Bytes) {
  // Byte order, not code-point-collation or locale order: 'Z' < 'a' < 'é' (C3 A9) < '日' (E6).
  this->PutKeys({"日本", "é", "a", "Z", "\x7f", "e\xcc\x81"});
  EXPECT_EQ(Keys(this->List({})), (Strings{"Z", "a", "e\xcc\x81", "\x7f", "é", "日本"}));
}

TYPED_TEST(ListingContract, MaxKeysZeroGivesAnEmptyPage) {
  this->PutKeys({"a"});
  ListPage page = this->List({.max_keys = 0});
  EXPECT_TRUE(page.objects.empty());
  EXPECT_FALSE(page.is_truncated);
}

TYPED_TEST(ListingContract, MissingBucketIsReported) {
  EXPECT_EQ(this->meta().ListObjects({.bucket = "nope"}).error().code, ErrorCode::kNoSuchBucket);
}

TYPED_TEST(ListingContract, PagesThroughTenThousandKeys) {
  std::vector<std::string> keys;
  for (int i = 0; i < 10000; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "dir%02d/key-%05d", i % 7, i);
    keys.push_back(key);
  }
  // Concurrent submissions exercise group commit on the SQLite store.
  std::vector<std::future<Result<std::optional<BlobRef>>>> pending;
  for (const auto& key : keys) {
    auto promise = std::make_shared<std::promise<Result<std::optional<BlobRef>>>>();
    pending.push_back(promise->get_future());
    this->meta().PutObject(testing::Object("b", key), {},
                           [promise](auto result) { promise->set_value(std::move(result)); });
  }
  for (auto& done : pending) ASSERT_TRUE(done.get());
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> seen;
  ListQuery q{.max_keys = 1000};
  int pages = 0;
  while (true) {
    ListPage page = this->List(q);
    ++pages;
    for (auto& key : Keys(page)) seen.push_back(key);
    if (!page.is_truncated) break;
    q.start_after = page.next_marker;
  }
  EXPECT_EQ(pages, 10);
  EXPECT_EQ(seen, keys);
  ListPage dirs = this->List({.delimiter = "/"});
  EXPECT_EQ(dirs.common_prefixes.size(), 7u);
  EXPECT_TRUE(dirs.objects.empty());
}

TYPED_TEST(ListingContract, AgreesWithTheReferenceModelOnRandomQueries) {
  std::mt19937 rng(42);
  const std::string alphabet[] = {"a", "b", "/", "é", "-"};
  auto random_string = [&](int max_len) {
    std::string s;
    int len = std::uniform_int_distribution<int>(0, max_len)(rng);
    for (int i = 0; i < len; ++i) s += alphabet[std::uniform_int_distribution<int>(0, 4)(rng)];
    return s;
  };
  std::set<std::string> all;
  while (all.size() < 300) {
    std::string key = random_string(6);
    if (!key.empty()) all.insert(key);
  }
  this->PutKeys({all.begin(), all.end()});
  for (int i = 0; i < 300; ++i) {
    ListQuery q;
    q.prefix = random_string(2);
    q.delimiter = i % 3 == 0 ? "" : (i % 3 == 1 ? "/" : "é");
    q.start_after = i % 2 ? random_string(3) : "";
    q.max_keys = std::uniform_int_distribution<int>(1, 20)(rng);
    ListPage got = this->List(q);
    ListPage want = ReferencePage(all, q);
    ASSERT_EQ(Keys(got), Keys(want)) << "prefix=" << q.prefix << " after=" << q.start_after;
    ASSERT_EQ(got.common_prefixes, want.common_prefixes) << "prefix=" << q.prefix;
    ASSERT_EQ(got.is_truncated, want.is_truncated);
    ASSERT_EQ(got.next_marker, want.next_marker);
  }
}

TEST(PrefixSuccessor, IncrementsTheLastByteBelowFF) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor("a\xff"), "b");
  EXPECT_EQ(PrefixSuccessor(""), std::nullopt);
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), std::nullopt);
}

}  // namespace
}  // namespace kura::store
