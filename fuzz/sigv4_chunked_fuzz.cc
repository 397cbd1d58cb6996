// Fuzzes PayloadVerifier on arbitrary bodies in each aws-chunked mode. Input layout: byte 0
// picks the mode and byte 1 the feed step; the rest is the body, fed in pieces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sigv4/payload_verifier.h"
#include "sigv4/signing_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kura::sigv4::PayloadMode;
  if (size < 2) return 0;
  static const PayloadMode kModes[] = {
      PayloadMode::kStreamingSigned, PayloadMode::kStreamingUnsignedTrailer,
      PayloadMode::kStreamingSignedTrailer, PayloadMode::kSigned, PayloadMode::kUnsigned};
  kura::sigv4::AuthResult auth;
  auth.type = kura::sigv4::AuthType::kHeader;
  auth.payload_mode = kModes[data[0] % 5];
  auth.content_sha256 = std::string(64, 'a');
  auth.signing.signing_key =
      kura::sigv4::DeriveSigningKey(kura::Secret("secret"), "20130524", "us-east-1", "s3");
  auth.signing.amz_date = "20130524T000000Z";
  auth.signing.scope = "20130524/us-east-1/s3/aws4_request";
  auth.signing.seed_signature = std::string(64, '0');
  size_t step = data[1] == 0 ? 1 : data[1];
  kura::sigv4::HeaderField headers[] = {
      {"x-amz-decoded-content-length", "16"},
      {"x-amz-trailer", "x-amz-checksum-crc32"},
  };
  bool trailer = auth.payload_mode == PayloadMode::kStreamingUnsignedTrailer ||
                 auth.payload_mode == PayloadMode::kStreamingSignedTrailer;
  kura::sigv4::RequestView request{.method = "PUT",
                                   .target = "/b/k",
                                   .headers = std::span(headers, trailer ? 2 : 1),
                                   .body = {},
                                   .source_ip = {}};
  auto verifier = kura::sigv4::PayloadVerifier::Make(auth, request);
  if (!verifier) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
  for (size_t pos = 0; pos < body.size(); pos += step) {
    std::vector<std::string_view> out;
    if (!verifier->Feed(body.substr(pos, step), out)) return 0;
    for (std::string_view piece : out) {
      if (piece.data() < body.data() || piece.data() + piece.size() > body.data() + body.size()) {
        __builtin_trap();  // slices must point into the input
      }
    }
  }
  (void)verifier->Finish();
  return 0;
}
