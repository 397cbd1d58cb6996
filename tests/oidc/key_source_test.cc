#include "oidc/key_source.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tests/oidc/fake_fetcher.h"
#include "tests/oidc/test_signer.h"

namespace kura::oidc {
namespace {

using namespace std::chrono_literals;
using testing::FakeFetcher;
using testing::TestKey;

constexpr char kIssuer[] = "https://idp.example.com/tenant";

struct KeySourceTest : ::testing::Test {
  KeySourceTest() : clock(FromUnixSeconds(1700000000)), key(TestKey::Rsa("k1")) {
    fetcher.Serve(kIssuer, testing::JwksOf({&key}));
  }
  FakeFetcher fetcher;
  FakeClock clock;
  TestKey key;
};

TEST_F(KeySourceTest, FetchesDiscoveryThenJwksAndCachesThem) {
  CachingKeySource source(fetcher, clock, {});
  auto keys = source.Keys(kIssuer, false);
  ASSERT_TRUE(keys.has_value()) << keys.error().message;
  EXPECT_EQ((*keys)->keys.size(), 1u);
  EXPECT_EQ(fetcher.requests, 2);
  EXPECT_TRUE(source.Keys(kIssuer, false).has_value());
  EXPECT_EQ(fetcher.requests, 2);
  EXPECT_EQ(source.fetch_count(), 1);
}

TEST_F(KeySourceTest, RefetchesAfterTheTtl) {
  CachingKeySource source(fetcher, clock, {});
  ASSERT_TRUE(source.Keys(kIssuer, false).has_value());
  clock.Advance(3601s);
  ASSERT_TRUE(source.Keys(kIssuer, false).has_value());
  EXPECT_EQ(source.fetch_count(), 2);
}

TEST_F(KeySourceTest, RefreshOnUnknownKidIsRateLimited) {
  CachingKeySource source(fetcher, clock, {});
  ASSERT_TRUE(source.Keys(kIssuer, false).has_value());
  ASSERT_TRUE(source.Keys(kIssuer, true).has_value());  // just fetched: served from cache
  EXPECT_EQ(source.fetch_count(), 1);
  clock.Advance(11s);
  TestKey rotated = TestKey::Rsa("k2");
  fetcher.Serve(kIssuer, testing::JwksOf({&rotated}));
  auto keys = source.Keys(kIssuer, true);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(source.fetch_count(), 2);
  EXPECT_EQ((*keys)->keys.at(0).kid, "k2");
}

TEST_F(KeySourceTest, AFailedFetchIsRememberedForTheNegativeTtl) {
  fetcher.down = true;
  CachingKeySource source(fetcher, clock, {});
  auto keys = source.Keys(kIssuer, false);
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kIDPCommunicationError);
  fetcher.down = false;
  EXPECT_FALSE(source.Keys(kIssuer, false).has_value());
  EXPECT_EQ(source.fetch_count(), 1);
  clock.Advance(31s);
  EXPECT_TRUE(source.Keys(kIssuer, false).has_value());
}

TEST_F(KeySourceTest, AFailedRefreshKeepsServingValidKeys) {
  CachingKeySource source(fetcher, clock, {});
  ASSERT_TRUE(source.Keys(kIssuer, false).has_value());
  clock.Advance(20s);
  fetcher.down = true;
  EXPECT_TRUE(source.Keys(kIssuer, true).has_value());
}

TEST_F(KeySourceTest, RejectsADiscoveryDocumentForAnotherIssuer) {
  fetcher.bodies[std::string(kIssuer) + "/.well-known/openid-configuration"] =
      R"({"issuer":"https://evil.example.com","jwks_uri":"https://idp.example.com/tenant/jwks"})";
  CachingKeySource source(fetcher, clock, {});
  auto keys = source.Keys(kIssuer, false);
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kIDPCommunicationError);
}

TEST_F(KeySourceTest, StaticKeysAreUsedWithoutFetching) {
  std::string path = ::testing::TempDir() + "/static-jwks.json";
  std::ofstream(path) << testing::JwksOf({&key});
  auto loaded = LoadJwksFile(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  KeySourceConfig config;
  config.static_keys["https://airgap.example"] = *loaded;
  CachingKeySource source(fetcher, clock, std::move(config));
  EXPECT_TRUE(source.Keys("https://airgap.example", true).has_value());
  EXPECT_EQ(fetcher.requests, 0);
  std::remove(path.c_str());
  EXPECT_FALSE(LoadJwksFile(path).has_value());
}

TEST(DiscoveryUrl, AppendsTheWellKnownPathOnce) {
  EXPECT_EQ(DiscoveryUrl("https://a.example/"),
            "https://a.example/.well-known/openid-configuration");
  EXPECT_EQ(DiscoveryUrl("https://a.example/t"),
            "https://a.example/t/.well-known/openid-configuration");
}

TEST(BeastHttpFetcher, RefusesPlainHttpToRemoteHostsAndBadUrls) {
  BeastHttpFetcher fetcher({});
  for (std::string url : {"http://example.com/x", "ftp://127.0.0.1/x", "not a url"}) {
    auto body = fetcher.Get(url, 100);
    ASSERT_FALSE(body.has_value()) << url;
    EXPECT_EQ(body.error().code, ErrorCode::kIDPCommunicationError);
  }
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

TEST(BeastHttpFetcher, ReportsAnUnreachableProvider) {
  BeastHttpFetcher fetcher({std::chrono::milliseconds(2000), ""});
  auto body = fetcher.Get("http://127.0.0.1:1/.well-known/openid-configuration", 100);
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::kIDPCommunicationError);
}

}  // namespace
}  // namespace kura::oidc
