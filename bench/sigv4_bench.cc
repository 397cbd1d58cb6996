// SigV4 microbenchmarks. Run: build/bench/sigv4_bench --benchmark_repetitions=5
// --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/time_format.h"
#include "sigv4/payload_verifier.h"
#include "sigv4/signature_v2.h"
#include "sigv4/verifier.h"

namespace kura::sigv4 {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

class OneKey final : public CredentialResolver {
 public:
  Result<ResolvedCredential> Resolve(std::string_view, std::string_view) const override {
    return ResolvedCredential{Secret(std::string(kSecret)), principal_};
  }

 private:
  std::shared_ptr<const Principal> principal_ = std::make_shared<Principal>();
};

// A GET's head: its header list and the HeaderField views the verifier reads.
struct GetHead {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string target = "/bucket/photos/2024/05/01/image%20001.jpg?versionId=abc";
  std::vector<HeaderField> fields;

  void Rebuild() {
    fields.clear();
    for (const auto& [name, value] : headers) fields.push_back({name, value});
  }
  RequestView View() const {
    return RequestView{.method = "GET", .target = target, .headers = fields, .body = {}, .source_ip = {}};
  }
};

// A GET as the AWS CLI sends it, signed with the library's own functions.
struct SignedGet : GetHead {
  SignedGet() {
    headers = {
      {"Host", "s3.us-east-1.amazonaws.com"},
      {"User-Agent", "aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64 command/s3api.get-object"},
      {"x-amz-content-sha256", std::string(kEmptySha256)},
      {"x-amz-date", "20130524T000000Z"},
      {"Range", "bytes=0-1023"}};
    std::string signed_headers = "host;range;x-amz-content-sha256;x-amz-date";
    std::vector<std::string_view> names = SplitSignedHeaders(signed_headers);
    Rebuild();
    std::string creq = CanonicalRequest(
        {.method = "GET",
         .canonical_uri = *CanonicalUri("/bucket/photos/2024/05/01/image%20001.jpg", {}),
         .canonical_query = "versionId=abc",
         .canonical_headers = CanonicalHeaders(fields, names),
         .signed_headers = signed_headers,
         .payload_hash = kEmptySha256});
    std::string scope = CredentialScope("20130524", "us-east-1", "s3");
    std::string signature =
        SignatureHex(DeriveSigningKey(Secret(std::string(kSecret)), "20130524", "us-east-1", "s3"),
                     StringToSign("20130524T000000Z", scope, creq));
    headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + scope +
                             ", SignedHeaders=" + signed_headers + ", Signature=" + signature);
    Rebuild();
  }
};

// Verifies one signed head over and over, as the pipeline does once per request.
void VerifyRepeatedly(benchmark::State& state, const GetHead& get) {
  OneKey resolver;
  FakeClock clock(*ParseAmzDate("20130524T000000Z"));
  Verifier verifier(resolver, clock, "us-east-1");
  if (auto first = verifier.Verify(get.View()); !first) state.SkipWithError(first.error().message.c_str());
  for (auto _ : state) {
    auto result = verifier.Verify(get.View());
    benchmark::DoNotOptimize(result);
  }
}

void BM_VerifyS3Get(benchmark::State& state) { VerifyRepeatedly(state, SignedGet()); }
BENCHMARK(BM_VerifyS3Get);

// The same GET signed with Signature Version 2 (what boto3's default presigner and aws CLI v1's
// `s3 presign` produce): HMAC-SHA1 over a short string, no key derivation, no canonical request.
struct SignedGetV2 : GetHead {
  SignedGetV2() {
    headers = {
      {"Host", "s3.us-east-1.amazonaws.com"},
      {"User-Agent", "aws-cli/1.36.0 Python/3.11.7 Linux/6.5 botocore/1.43.0"},
      {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
      {"Range", "bytes=0-1023"}};
    Rebuild();
    std::string amz = V2CanonicalAmzHeaders(fields);
    std::string resource = V2CanonicalResource("", target);
    std::string to_sign = V2StringToSign({.method = "GET",
                                          .content_md5 = "",
                                          .content_type = "",
                                          .date = "Fri, 24 May 2013 00:00:00 GMT",
                                          .canonical_amz_headers = amz,
                                          .canonical_resource = resource});
    headers.emplace_back("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:" +
                                              V2Signature(Secret(std::string(kSecret)), to_sign));
    Rebuild();
  }
};

void BM_VerifyS3GetV2(benchmark::State& state) { VerifyRepeatedly(state, SignedGetV2()); }
BENCHMARK(BM_VerifyS3GetV2);

AuthResult AuthFor(PayloadMode mode, const std::string& data) {
  AuthResult auth;
  auth.type = AuthType::kHeader;
  auth.payload_mode = mode;
  auth.content_sha256 = Sha256Hex(data);
  auth.signing = {.signing_key = DeriveSigningKey(Secret("s"), "20130524", "us-east-1", "s3"),
                  .amz_date = "20130524T000000Z",
                  .scope = "20130524/us-east-1/s3/aws4_request",
                  .seed_signature = std::string(64, '0')};
  return auth;
}

// 1 MiB in 64 KiB chunks, signed when the mode says so.
std::string ChunkedBody(const AuthResult& auth, const std::string& data, bool sign) {
  std::string body, previous = auth.signing.seed_signature;
  for (size_t pos = 0; pos <= data.size(); pos += 65536) {
    std::string_view chunk = std::string_view(data).substr(pos, 65536);
    char size[32];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    body += size;
    if (sign) {
      previous = SignatureHex(auth.signing.signing_key,
                              "AWS4-HMAC-SHA256-PAYLOAD\n" + auth.signing.amz_date + "\n" +
                                  auth.signing.scope + "\n" + previous + "\n" +
                                  std::string(kEmptySha256) + "\n" + Sha256Hex(chunk));
      body += ";chunk-signature=" + previous;
    }
    body += "\r\n";
    if (!chunk.empty()) body += std::string(chunk) + "\r\n";
  }
  return body + "\r\n";
}

void RunPayload(benchmark::State& state, PayloadMode mode) {
  std::string data(1 << 20, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131);
  AuthResult auth = AuthFor(mode, data);
  bool chunked = mode == PayloadMode::kStreamingSigned ||
                 mode == PayloadMode::kStreamingUnsignedTrailer;
  std::string body = chunked ? ChunkedBody(auth, data, mode == PayloadMode::kStreamingSigned)
                             : data;
  std::string length = std::to_string(data.size());
  HeaderField headers[] = {{"x-amz-decoded-content-length", length}};
  RequestView request{.method = "PUT", .target = "/b/k", .headers = headers, .body = {}, .source_ip = {}};
  std::vector<std::string_view> out;
  for (auto _ : state) {
    auto verifier = PayloadVerifier::Make(auth, request);
    for (size_t pos = 0; pos < body.size(); pos += 65536) {
      out.clear();
      if (!verifier->Feed(std::string_view(body).substr(pos, 65536), out)) {
        state.SkipWithError("feed failed");
      }
    }
    auto summary = verifier->Finish();
    if (!summary) state.SkipWithError(summary.error().message.c_str());
    benchmark::DoNotOptimize(summary);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.size());
}

void BM_PayloadUnsigned(benchmark::State& state) { RunPayload(state, PayloadMode::kUnsigned); }
void BM_PayloadSignedSha256(benchmark::State& state) { RunPayload(state, PayloadMode::kSigned); }
void BM_PayloadChunkedSigned(benchmark::State& state) {
  RunPayload(state, PayloadMode::kStreamingSigned);
}
void BM_PayloadChunkedUnsignedTrailer(benchmark::State& state) {
  RunPayload(state, PayloadMode::kStreamingUnsignedTrailer);
}
BENCHMARK(BM_PayloadUnsigned);
BENCHMARK(BM_PayloadSignedSha256);
BENCHMARK(BM_PayloadChunkedSigned);
BENCHMARK(BM_PayloadChunkedUnsignedTrailer);

void BM_Checksum(benchmark::State& state) {
  auto algorithm = static_cast<ChecksumAlgorithm>(state.range(0));
  std::string data(1 << 20, 'c');
  Checksummer checksummer(algorithm);
  for (auto _ : state) {
    checksummer.Update(data);
    benchmark::DoNotOptimize(checksummer.FinishRaw());
  }
  state.SetLabel(std::string(ChecksumName(algorithm)));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.size());
}
BENCHMARK(BM_Checksum)->DenseRange(0, 4);

}  // namespace
}  // namespace kura::sigv4
