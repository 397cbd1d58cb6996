#include "common/key_ring_file.h"
#include "sts/token_key_ring.h"

#include <gtest/gtest.h>

#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

KeySet TwoKeys() {
  FakeRandom random(7);
  KeySet set;
  set.keys.push_back(NewTokenKey(random, 2, testing::TestEpoch()));
  set.keys.push_back(NewTokenKey(random, 1, testing::TestEpoch() - std::chrono::hours(30)));
  set.keys[1].retired_at = testing::TestEpoch();
  return set;
}

TEST(TokenKeyFile, FormatsOneLinePerKeyActiveFirst) {
  std::string text = FormatKeyFile(kTokenKeys, TwoKeys());
  EXPECT_EQ(text.rfind("kura-session-token-keys 1\nkey 2 1700000000 - ", 0), 0u) << "prefix";
  EXPECT_NE(text.find("\nkey 1 1699892000 1700000000 "), std::string::npos);
}

TEST(TokenKeyFile, ParsesWhatItFormats) {
  KeySet set = TwoKeys();
  auto parsed = ParseKeyFile(kTokenKeys, FormatKeyFile(kTokenKeys, set));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->keys.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed->keys[i].id, set.keys[i].id);
    EXPECT_EQ(parsed->keys[i].material.Reveal(), set.keys[i].material.Reveal());
    EXPECT_EQ(parsed->keys[i].created_at, set.keys[i].created_at);
    EXPECT_EQ(parsed->keys[i].retired_at, set.keys[i].retired_at);
  }
}

TEST(TokenKeyFile, RejectsMalformedFiles) {
  std::string good = FormatKeyFile(kTokenKeys, TwoKeys());
  std::string key2 = good.substr(good.find("key 2"), good.find("\nkey 1") - good.find("key 2") + 1);
  std::string key1 = good.substr(good.find("key 1"));
  const std::string header = "kura-session-token-keys 1\n";
  const std::string cases[] = {
      "",
      header,                                // no key
      good.substr(0, good.size() - 1),       // no final newline
      "kura-session-token-keys 2\n" + key2,  // unknown version
      header + key1,                         // first key retired
      header + key2 + key2,                  // two active keys
      header + key2 + "\n" + key1,           // empty line
      header + "key 2 1700000000 - AAAA\n",  // short key material
      header + "key 2 1700000000 - !!!!\n",  // bad base64
      header + "key x 1700000000 - " + key2.substr(key2.rfind(' ') + 1),
      header + "key 2  1700000000 - " + key2.substr(key2.rfind(' ') + 1),
      header + "key 2 1700000000 - extra " + key2.substr(key2.rfind(' ') + 1),
  };
  for (const auto& text : cases) {
    EXPECT_FALSE(ParseKeyFile(kTokenKeys, text).has_value()) << text;
  }
}

TEST(TokenKeyFile, RefusesToWriteASetWithoutAnActiveKey) {
  KeySet set = TwoKeys();
  set.keys.erase(set.keys.begin());
  EXPECT_FALSE(WriteKeyFile(kTokenKeys,
                           std::filesystem::temp_directory_path() / "kura-never-written", set));
}

}  // namespace
}  // namespace kura::sts
