#include "kura_bench/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "kura_bench/payload.h"
#include "kura_bench/request_builder.h"
#include "kura_bench/server_cpu.h"
#include "kura_bench/sse.h"
#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::bench {
namespace {

Result<Options> Parse(std::vector<std::string_view> args) {
  return ParseOptions(args, {"AKIDENV", "secretenv", ""});
}

TEST(Cli, ParsesSizesInBinaryAndDecimalUnits) {
  EXPECT_EQ(ParseSize("0"), 0u);
  EXPECT_EQ(ParseSize("4096"), 4096u);
  EXPECT_EQ(ParseSize("4KiB"), 4096u);
  EXPECT_EQ(ParseSize("1GiB"), 1ull << 30);
  EXPECT_EQ(ParseSize("10MB"), 10000000u);
  EXPECT_EQ(ParseSize("4 KiB"), std::nullopt);
  EXPECT_EQ(ParseSize("KiB"), std::nullopt);
  EXPECT_EQ(ParseSize("3XB"), std::nullopt);
}

TEST(Cli, ParsesDurations) {
  EXPECT_EQ(ParseDuration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(ParseDuration("1.5"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseDuration("soon"), std::nullopt);
}

TEST(Cli, ParsesMixWeights) {
  auto mix = ParseMix("get=70,put=20,delete=10");
  ASSERT_TRUE(mix.has_value());
  ASSERT_EQ(mix->size(), 3u);
  EXPECT_EQ((*mix)[0], std::make_pair(OpType::kGet, 70u));
  EXPECT_EQ((*mix)[2], std::make_pair(OpType::kDelete, 10u));
  EXPECT_FALSE(ParseMix("get=x").has_value());
  EXPECT_FALSE(ParseMix("fly=1").has_value());
}

TEST(Cli, TakesCredentialsFromTheEnvironmentUnlessGiven) {
  auto o = Parse({"get"});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->credentials.access_key_id, "AKIDENV");
  auto given = Parse({"get", "--access-key", "AKID2", "--secret-key=s2", "--session-token", "t"});
  ASSERT_TRUE(given.has_value());
  EXPECT_EQ(given->credentials.access_key_id, "AKID2");
  EXPECT_EQ(given->credentials.secret_access_key, "s2");
  EXPECT_EQ(given->credentials.session_token, "t");
}

TEST(Cli, ParsesAFullCommandLine) {
  auto o = Parse({"mixed", "--endpoint", "https://s3.local:9443", "--mix", "get=1,put=1",
                  "--size", "1MiB", "--concurrency", "64", "--threads", "2", "--rate", "5000",
                  "--duration", "30s", "--warmup", "5s", "--json", "--server-pid", "12,34",
                  "--payload", "chunked", "--objects", "10K", "--bucket", "b", "--insecure"});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o->workload, Workload::kMixed);
  EXPECT_EQ(o->config.size, 1u << 20);
  EXPECT_EQ(o->concurrency, 64);
  EXPECT_EQ(o->rate, 5000);
  EXPECT_EQ(o->payload_mode, PayloadMode::kChunked);
  EXPECT_EQ(o->server_pids, (std::vector<int>{12, 34}));
  EXPECT_EQ(o->config.objects, 10240u);
  EXPECT_TRUE(o->json);
  EXPECT_TRUE(o->insecure);
}

TEST(Cli, BoundsARequestsRunByCountAlone) {
  auto o = Parse({"get", "--requests", "100"});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->duration.count(), 0);
  auto both = Parse({"get", "--requests", "100", "--duration", "5s"});
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->duration, std::chrono::seconds(5));
}

TEST(Cli, RejectsBadInput) {
  EXPECT_FALSE(Parse({}).has_value());
  EXPECT_FALSE(Parse({"fly"}).has_value());
  EXPECT_FALSE(Parse({"get", "--bogus"}).has_value());
  EXPECT_FALSE(Parse({"get", "--concurrency", "0"}).has_value());
  EXPECT_FALSE(Parse({"get", "--size"}).has_value());
  EXPECT_FALSE(Parse({"assume-role"}).has_value());
  EXPECT_TRUE(Parse({"assume-role", "--role-arn", "arn:aws:iam::1:role/r"}).has_value());
}

TEST(Cli, HelpDocumentsEveryWorkloadAndFlag) {
  std::string help = HelpText();
  for (const char* word : {"prepare", "put", "get", "head", "list", "delete", "mixed",
                           "multipart", "assume-role", "--endpoint", "--access-key",
                           "--secret-key", "--session-token", "--assume-role", "--region",
                           "--bucket", "--objects", "--key-prefix", "--threads", "--path-style",
                           "--ca-file", "--insecure", "--concurrency", "--rate", "--duration",
                           "--warmup", "--requests", "--json", "--server-pid", "--size",
                           "--payload", "--mix", "--sse", "--sse-c", "--range"}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

TEST(ServerCpu, SumsUserAndSystemTicksAfterTheCommandName) {
  std::string stat =
      "4242 (kura (serve) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 9 0 100 "
      "0 0";
  auto ticks = ParseProcStatTicks(stat);
  ASSERT_TRUE(ticks.has_value());
  EXPECT_EQ(*ticks, 1234u + 567u);
  EXPECT_FALSE(ParseProcStatTicks("4242 (x) S 1 2").has_value());
}

TEST(ServerCpu, ReadsThisProcess) {
  EXPECT_TRUE(ProcessesCpuMicros({getpid()}).has_value());
  EXPECT_FALSE(ProcessesCpuMicros({999999999}).has_value());
}

}  // namespace
}  // namespace kura::bench

namespace kura::bench {
namespace {

TEST(Cli, AnonymousClearsCredentialsWhereverItStands) {
  auto o = ParseOptions({"get", "--anonymous", "--access-key", "AKID", "--secret-key", "s"},
                        {"AKIDENV", "secretenv", "token"});
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->anonymous);
  EXPECT_TRUE(o->credentials.access_key_id.empty());
  EXPECT_TRUE(o->credentials.session_token.empty());
}

TEST(RequestBuilder, AnonymousRequestsCarryNoAuthorization) {
  PayloadCatalog catalog(DigestNeeds{});
  RequestSpec spec;
  spec.method = "GET";
  spec.path = "/bucket/key";
  RequestBuilder anonymous(Credentials{}, "us-east-1", "127.0.0.1:9000", PayloadMode::kSigned, 0, catalog);
  EXPECT_EQ(anonymous.Build(spec, TimePoint{}).head.find("Authorization:"), std::string::npos);
  RequestBuilder signing(Credentials{"AKID", "secret", ""}, "us-east-1", "127.0.0.1:9000",
                         PayloadMode::kSigned, 0, catalog);
  EXPECT_NE(signing.Build(spec, TimePoint{}).head.find("Authorization: AWS4-HMAC-SHA256"), std::string::npos);
}

std::string HeaderValue(const Headers& headers, std::string_view name) {
  for (const Header& h : headers) {
    if (h.name == name) return h.value;
  }
  return "";
}

TEST(Cli, SseAsksForEachMethodOnWrites) {
  auto s3 = Parse({"put", "--sse", "AES256"});
  ASSERT_TRUE(s3.has_value()) << s3.error().message;
  EXPECT_EQ(HeaderValue(s3->config.sse.on_write, "x-amz-server-side-encryption"), "AES256");
  EXPECT_TRUE(s3->config.sse.on_read.empty());
  EXPECT_TRUE(s3->config.sse.etag_is_md5);
  auto kms = Parse({"put", "--sse", "kms:alias/bench"});
  ASSERT_TRUE(kms.has_value());
  EXPECT_EQ(HeaderValue(kms->config.sse.on_write, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(HeaderValue(kms->config.sse.on_write, "x-amz-server-side-encryption-aws-kms-key-id"),
            "alias/bench");
  EXPECT_FALSE(kms->config.sse.etag_is_md5);
  auto managed = Parse({"put", "--sse", "kms"});
  ASSERT_TRUE(managed.has_value());
  EXPECT_EQ(managed->config.sse.on_write.size(), 1u);
  EXPECT_FALSE(Parse({"put", "--sse", "DES"}).has_value());
  EXPECT_FALSE(Parse({"put", "--sse", "AES256", "--sse-c"}).has_value());
}

TEST(Cli, SseCustomerKeyIsFixedWithItsMd5OnEveryRequest) {
  auto o = Parse({"get", "--sse-c"});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  const SseHeaders& sse = o->config.sse;
  EXPECT_FALSE(sse.etag_is_md5);
  for (const Headers* headers : {&sse.on_write, &sse.on_part, &sse.on_read}) {
    std::string key = HeaderValue(*headers, "x-amz-server-side-encryption-customer-key");
    auto raw = Base64Decode(key);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->size(), 32u);
    EXPECT_EQ(HeaderValue(*headers, "x-amz-server-side-encryption-customer-key-md5"),
              Base64Encode(Md5(*raw)));
    EXPECT_EQ(HeaderValue(*headers, "x-amz-server-side-encryption-customer-algorithm"), "AES256");
  }
  EXPECT_EQ(HeaderValue(SseCustomerKey().on_read, "x-amz-server-side-encryption-customer-key"),
            HeaderValue(sse.on_read, "x-amz-server-side-encryption-customer-key"));
}

TEST(Cli, RangeIsAGetWithinTheObject) {
  auto o = Parse({"get", "--size", "1GiB", "--range", "512MiB:1MiB"});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o->config.range_offset, 512u << 20);
  EXPECT_EQ(o->config.range_length, 1u << 20);
  EXPECT_FALSE(Parse({"get", "--size", "1MiB", "--range", "1MiB:1"}).has_value());
  EXPECT_FALSE(Parse({"put", "--size", "1GiB", "--range", "0:1MiB"}).has_value());
  EXPECT_FALSE(Parse({"get", "--range", "0:0"}).has_value());
  EXPECT_FALSE(Parse({"get", "--range", "12"}).has_value());
}

TEST(RequestBuilder, SignsTheSseHeaders) {
  PayloadCatalog catalog(DigestNeeds{});
  RequestSpec spec;
  spec.method = "GET";
  spec.path = "/bucket/key";
  spec.headers = SseCustomerKey().on_read;
  RequestBuilder signing(Credentials{"AKID", "secret", ""}, "us-east-1", "127.0.0.1:9000",
                         PayloadMode::kSigned, 0, catalog);
  std::string head = signing.Build(spec, TimePoint{}).head;
  EXPECT_NE(head.find("x-amz-server-side-encryption-customer-key-md5: "), std::string::npos);
  EXPECT_NE(head.find(";x-amz-server-side-encryption-customer-algorithm;"), std::string::npos)
      << head;
}

}  // namespace
}  // namespace kura::bench
