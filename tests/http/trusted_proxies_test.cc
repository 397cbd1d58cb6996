#include "http/trusted_proxies.h"

#include <gtest/gtest.h>

#include <boost/beast/http/fields.hpp>

#include <initializer_list>
#include <string>

namespace kura::http {
namespace {

TrustedProxies Trusting(std::string_view list) {
  auto proxies = TrustedProxies::Parse(list);
  EXPECT_TRUE(proxies) << list;
  return proxies ? std::move(proxies).value() : TrustedProxies();
}

boost::beast::http::fields Forwarded(std::initializer_list<std::string_view> lines) {
  boost::beast::http::fields fields;
  for (auto line : lines) fields.insert("X-Forwarded-For", line);
  return fields;
}

TEST(TrustedProxiesParse, TakesAddressesAndNetworksOfBothFamilies) {
  auto proxies = Trusting(" 10.0.0.20, 192.168.0.0/16 ,fd00::/8,::1");
  EXPECT_TRUE(proxies.Contains("10.0.0.20"));
  EXPECT_FALSE(proxies.Contains("10.0.0.21"));
  EXPECT_TRUE(proxies.Contains("192.168.44.1"));
  EXPECT_FALSE(proxies.Contains("192.169.0.1"));
  EXPECT_TRUE(proxies.Contains("fd12:3456::9"));
  EXPECT_TRUE(proxies.Contains("::1"));
  EXPECT_FALSE(proxies.Contains("2001:db8::1"));
  EXPECT_FALSE(proxies.Contains("not an address"));
}

TEST(TrustedProxiesParse, AnIpv4MappedPeerIsItsIpv4Address) {
  auto proxies = Trusting("10.0.0.0/8");
  EXPECT_TRUE(proxies.Contains("::ffff:10.1.2.3"));
}

TEST(TrustedProxiesParse, HostBitsOfANetworkAreDropped) {
  auto proxies = Trusting("10.0.0.7/24");
  EXPECT_TRUE(proxies.Contains("10.0.0.200"));
}

TEST(TrustedProxiesParse, EmptyTrustsNone) {
  auto proxies = Trusting("");
  EXPECT_TRUE(proxies.empty());
  EXPECT_FALSE(proxies.Contains("127.0.0.1"));
}

TEST(TrustedProxiesParse, RefusesMalformedEntriesNamingThem) {
  for (std::string_view bad : {"10.0.0.300", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x",
                               "example.com", "10.0.0.1,,10.0.0.2", "10.0.0.0/8/8", "*"}) {
    auto proxies = TrustedProxies::Parse(bad);
    ASSERT_FALSE(proxies) << bad;
    EXPECT_EQ(proxies.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(proxies.error().message.find("--trusted-proxies"), std::string::npos);
  }
}

TEST(TrustedProxiesClientAddress, ThePeerWhenTheHeaderIsAbsent) {
  EXPECT_EQ(Trusting("10.0.0.20").ClientAddress("10.0.0.20", {}), "10.0.0.20");
}

TEST(TrustedProxiesClientAddress, TheAddressTheProxyAppended) {
  auto proxies = Trusting("10.0.0.20");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"198.51.100.7"})), "198.51.100.7");
}

TEST(TrustedProxiesClientAddress, AClientsOwnEntriesOnTheLeftNeverCount) {
  auto proxies = Trusting("10.0.0.20");
  // The client sent "X-Forwarded-For: 10.0.0.1, 8.8.8.8"; HAProxy appended its peer.
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"10.0.0.1, 8.8.8.8, 198.51.100.7"})),
            "198.51.100.7");
}

TEST(TrustedProxiesClientAddress, SkipsTrustedProxiesFromTheRight) {
  auto proxies = Trusting("10.0.0.0/24");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"203.0.113.9, 198.51.100.7, 10.0.0.5"})),
            "198.51.100.7");
}

TEST(TrustedProxiesClientAddress, ReadsEveryHeaderLineInOrder) {
  auto proxies = Trusting("10.0.0.0/24");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"203.0.113.9", "10.0.0.5"})),
            "203.0.113.9");
}

TEST(TrustedProxiesClientAddress, TheLeftmostWhenEveryEntryIsTrusted) {
  auto proxies = Trusting("10.0.0.0/24");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"10.0.0.9, 10.0.0.5"})), "10.0.0.9");
}

TEST(TrustedProxiesClientAddress, GarbageEndsTheWalkAtTheLastVouchedAddress) {
  auto proxies = Trusting("10.0.0.0/24");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"unknown"})), "10.0.0.20");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"1.2.3.4, unknown, 10.0.0.5"})),
            "10.0.0.5");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({""})), "10.0.0.20");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"1.2.3.4:http"})), "10.0.0.20");
}

TEST(TrustedProxiesClientAddress, PortsAndBracketsAndMappedAddressesAreNormalised) {
  auto proxies = Trusting("10.0.0.20");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"198.51.100.7:5000"})), "198.51.100.7");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"[2001:db8::1]:443"})), "2001:db8::1");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"2001:DB8:0::1"})), "2001:db8::1");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.20", Forwarded({"::ffff:198.51.100.7"})), "198.51.100.7");
}

TEST(ParseForwardedAddress, RefusesWhatIsNotAnAddress) {
  boost::asio::ip::address out;
  for (std::string_view bad : {"", "unknown", "_hidden", "1.2.3.4:", "1.2.3.4:123456", "[::1",
                               "[::1]x", "[::1]:", "1.2.3", "1.2.3.4.5", "::1:2:3:4:5:6:7:8:9"}) {
    EXPECT_FALSE(ParseForwardedAddress(bad, out)) << bad;
  }
}

}  // namespace
}  // namespace kura::http
