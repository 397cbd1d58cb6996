// Fuzzes Signature Version 2 parsing (the `Authorization: AWS AKID:sig` header, the
// AWSAccessKeyId/Signature/Expires query and the canonical resource) through Verifier::Verify.
// Input layout: the request-target up to the first '\n', then the Authorization value up to the
// next '\n' (absent when empty), then the x-amz-date value (absent when empty). A fixed resolver
// and clock let well-formed claims reach the string to sign and the HMAC.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "sigv4/signature_v2.h"
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

std::string_view NextLine(std::string_view& input) {
  size_t newline = input.find('\n');
  std::string_view line = input.substr(0, newline);
  input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const OneKeyResolver resolver;
  static const kura::FakeClock clock(kura::FromUnixSeconds(1175024202));  // 2007-03-27T19:36:42Z
  static const kura::sigv4::Verifier verifier(
      resolver, clock, "us-east-1", {.enabled = true, .virtual_host_domain = "s3.amazonaws.com"});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view target = NextLine(input);
  std::string_view authorization = NextLine(input);
  std::string_view amz_date = NextLine(input);
  std::vector<kura::sigv4::HeaderField> headers = {{"Host", "bucket.s3.amazonaws.com"},
                                                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}};
  if (!authorization.empty()) headers.push_back({"Authorization", authorization});
  if (!amz_date.empty()) headers.push_back({"x-amz-date", amz_date});
  kura::sigv4::RequestView request{
      .method = "GET", .target = target, .headers = headers, .body = {}, .source_ip = {}};
  auto result = verifier.Verify(request);
  if (!result.has_value() && result.error().message.empty()) __builtin_trap();
  // The canonical resource is built for every target, whatever the verifier decided.
  std::string resource = kura::sigv4::V2CanonicalResource("bucket", target);
  if (resource.empty() || resource[0] != '/') __builtin_trap();
  return 0;
}
