#include "kura_bench/request_builder.h"

#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::bench {

RequestBuilder::RequestBuilder(const Credentials& credentials, const std::string& region,
                               const std::string& host_header, PayloadMode mode,
                               uint64_t chunk_size, const PayloadCatalog& catalog)
    : anonymous_(credentials.access_key_id.empty()),
      s3_(credentials, region, "s3"),
      sts_(credentials, region, "sts"),
      host_header_(host_header),
      mode_(mode),
      chunk_size_(chunk_size),
      catalog_(catalog) {}

std::string RequestBuilder::PayloadHash(const RequestSpec& spec) const {
  switch (spec.body) {
    case RequestSpec::Body::kNone:
      return std::string(kEmptySha256);
    case RequestSpec::Body::kBytes:
      return Sha256Hex(spec.bytes);
    case RequestSpec::Body::kPattern:
      break;
  }
  if (mode_ == PayloadMode::kUnsigned) return std::string(kUnsignedPayload);
  if (mode_ == PayloadMode::kChunked) return std::string(kStreamingPayload);
  const PayloadDigests* digests = catalog_.Find(spec.pattern_offset, spec.pattern_length);
  return digests != nullptr ? digests->sha256_hex : std::string(kUnsignedPayload);
}

std::string RequestBuilder::RequestTarget(const RequestSpec& spec) {
  std::string target = UriEncode(spec.path, /*encode_slash=*/false);
  char separator = '?';
  for (const auto& [key, value] : spec.query) {
    target += separator;
    target += UriEncode(key);
    if (!value.empty()) {  // "?uploads", as SDKs send it; signed as "uploads="
      target += '=';
      target += UriEncode(value);
    }
    separator = '&';
  }
  return target;
}

OutgoingRequest RequestBuilder::Build(const RequestSpec& spec, TimePoint now) {
  SignableRequest signable{spec.method, spec.path, spec.query, spec.headers, PayloadHash(spec)};
  const PayloadDigests* digests = nullptr;
  bool chunked = spec.body == RequestSpec::Body::kPattern && mode_ == PayloadMode::kChunked;
  if (chunked) digests = catalog_.Find(spec.pattern_offset, spec.pattern_length);
  chunked = chunked && digests != nullptr &&
            (spec.pattern_length == 0 || !digests->chunk_sha256_hex.empty());
  uint64_t content_length = spec.body == RequestSpec::Body::kBytes    ? spec.bytes.size()
                            : spec.body == RequestSpec::Body::kPattern ? spec.pattern_length
                                                                       : 0;
  signable.headers.push_back({"Host", host_header_});
  if (chunked) {
    signable.headers.push_back({"Content-Encoding", "aws-chunked"});
    signable.headers.push_back(
        {"X-Amz-Decoded-Content-Length", std::to_string(spec.pattern_length)});
    content_length = AwsChunkedLength(spec.pattern_length, chunk_size_);
  } else if (signable.payload_hash == kStreamingPayload) {
    signable.payload_hash = std::string(kUnsignedPayload);
  }
  bool has_body = spec.body != RequestSpec::Body::kNone || spec.method == "PUT" ||
                  spec.method == "POST";
  if (has_body) signable.headers.push_back({"Content-Length", std::to_string(content_length)});
  if (spec.service == RequestSpec::Service::kS3) {
    signable.headers.push_back({"X-Amz-Content-Sha256", signable.payload_hash});
  }
  Signer& signer = spec.service == RequestSpec::Service::kS3 ? s3_ : sts_;
  Signature signature = signer.Sign(signable, now);

  OutgoingRequest out;
  out.head_request = spec.method == "HEAD";
  out.head.reserve(512 + signable.headers.size() * 64);
  out.head += spec.method;
  out.head += ' ';
  out.head += RequestTarget(spec);
  out.head += " HTTP/1.1\r\n";
  for (const Header& h : signable.headers) out.head += h.name + ": " + h.value + "\r\n";
  if (!anonymous_) out.head += "Authorization: " + signature.authorization + "\r\n";
  out.head += "\r\n";
  if (chunked) {
    out.body = MakeAwsChunkedBody(spec.pattern_offset, *digests, chunk_size_, s3_,
                                  std::move(signature));
  } else if (spec.body == RequestSpec::Body::kPattern) {
    out.body = MakePatternBody(spec.pattern_offset, spec.pattern_length);
  } else if (spec.body == RequestSpec::Body::kBytes) {
    out.body = MakeBytesBody(spec.bytes);
  }
  return out;
}

}  // namespace kura::bench
