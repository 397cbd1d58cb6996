// Fuzzes the Authorization header and presigned-query parsing through Verifier::Verify.
// Input layout: the bytes up to the first '\n' are the request-target, the rest the
// Authorization header value (absent when empty). A fixed resolver and clock make valid
// scopes reach the canonical-request and signature code too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "sigv4/verifier.h"

namespace {

class OneKeyResolver final : public kura::sigv4::CredentialResolver {
 public:
  kura::Result<kura::sigv4::ResolvedCredential> Resolve(std::string_view access_key_id,
                                                        std::string_view) const override {
    if (access_key_id != "AKIAIOSFODNN7EXAMPLE") return kura::ErrorCode::kInvalidAccessKeyId;
    return kura::sigv4::ResolvedCredential{kura::Secret("secret"),
                                           std::make_shared<kura::Principal>()};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const OneKeyResolver resolver;
  static const kura::FakeClock clock(kura::FromUnixSeconds(1369353600));  // 20130524T000000Z
  static const kura::sigv4::Verifier verifier(resolver, clock, "us-east-1");
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view target = input.substr(0, newline);
  std::string_view authorization =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  kura::sigv4::HeaderField headers[] = {
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
      {"Authorization", authorization},
  };
  kura::sigv4::RequestView request{
      .method = "GET",
      .target = target,
      .headers = std::span(headers, authorization.empty() ? 3 : 4),
      .body = {},
      .source_ip = {}};
  auto result = verifier.Verify(request);
  if (!result.has_value() && result.error().message.empty()) __builtin_trap();
  return 0;
}
