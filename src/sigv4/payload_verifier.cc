#include "sigv4/payload_verifier.h"

#include <charconv>

#include "common/encoding.h"
#include "common/text.h"

namespace kura::sigv4 {

struct PayloadVerifier::State {
  PayloadMode mode = PayloadMode::kEmptyOrUnknown;
  SigningContext signing;                   // owned: the decoder points at it
  std::optional<ChunkedDecoder> decoder;    // streaming modes
  std::optional<uint64_t> declared_length;  // x-amz-decoded-content-length
  std::string expected_sha256;              // kSigned: lower-case hex
  std::optional<Hasher> sha256;
  Hasher md5{HashAlgorithm::kMd5};
  std::optional<std::string> content_md5;   // raw 16 bytes
  std::optional<Checksummer> checksum;
  std::string checksum_from_header;         // base64, if sent up front
  bool checksum_in_trailer = false;
  uint64_t decoded_length = 0;
  std::optional<Error> failed;
};

namespace {

bool IsStreaming(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

Error InvalidChecksumHeader(std::string_view header) {
  return MakeError(ErrorCode::kInvalidRequest,
                   "Value for " + std::string(header) + " header is invalid.");
}

constexpr std::string_view kMultipleChecksums =
    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.";

// Works out which flexible checksum the request names and where its value comes from.
Result<void> ConfigureChecksum(const RequestView& request, PayloadMode mode,
                               std::optional<Checksummer>& checksum,
                               std::string& from_header, bool& in_trailer) {
  std::optional<ChecksumAlgorithm> algorithm;
  for (const HeaderField& field : request.headers) {
    auto named = ChecksumFromHeaderName(field.name);
    if (!named) continue;
    if (algorithm && *algorithm != *named) {
      return MakeError(ErrorCode::kInvalidRequest, std::string(kMultipleChecksums));
    }
    algorithm = named;
    from_header = TrimAsciiWhitespace(field.value);
    auto raw = Base64Decode(from_header);
    if (!raw || raw->size() != ChecksumDigestBytes(*named)) {
      return InvalidChecksumHeader(ChecksumHeaderName(*named));
    }
  }
  if (request.HasHeader("x-amz-trailer")) {
    if (mode != PayloadMode::kStreamingUnsignedTrailer &&
        mode != PayloadMode::kStreamingSignedTrailer) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "x-amz-trailer requires x-amz-content-sha256 "
                       "STREAMING-UNSIGNED-PAYLOAD-TRAILER or "
                       "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER.");
    }
    auto named = ChecksumFromHeaderName(TrimAsciiWhitespace(request.Header("x-amz-trailer")));
    if (!named) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "The value specified in the x-amz-trailer header is not supported");
    }
    if (algorithm) return MakeError(ErrorCode::kInvalidRequest, std::string(kMultipleChecksums));
    algorithm = named;
    in_trailer = true;
  }
  if (request.HasHeader("x-amz-sdk-checksum-algorithm")) {
    auto named = ChecksumFromName(TrimAsciiWhitespace(request.Header("x-amz-sdk-checksum-algorithm")));
    if (!named || (algorithm && *algorithm != *named)) {
      return InvalidChecksumHeader("x-amz-sdk-checksum-algorithm");
    }
    algorithm = named;
  }
  if (algorithm) checksum.emplace(*algorithm);
  return Ok();
}

}  // namespace

PayloadVerifier::PayloadVerifier(std::unique_ptr<State> state) : state_(std::move(state)) {}
PayloadVerifier::PayloadVerifier(PayloadVerifier&&) noexcept = default;
PayloadVerifier& PayloadVerifier::operator=(PayloadVerifier&&) noexcept = default;
PayloadVerifier::~PayloadVerifier() = default;

Result<PayloadVerifier> PayloadVerifier::Make(const AuthResult& auth, const RequestView& request) {
  auto state = std::make_unique<State>();
  state->mode = auth.payload_mode;
  state->signing = auth.signing;
  if (state->mode == PayloadMode::kSigned) {
    state->expected_sha256 = AsciiLower(auth.content_sha256);
    state->sha256.emplace(HashAlgorithm::kSha256);
  }
  if (IsStreaming(state->mode)) {
    bool signed_chunks = state->mode != PayloadMode::kStreamingUnsignedTrailer;
    if (signed_chunks && auth.type == AuthType::kAnonymous) {
      return MakeError(ErrorCode::kAccessDenied,
                       "Signed aws-chunked payloads require a signed request.");
    }
    if (!request.HasHeader("x-amz-decoded-content-length")) {
      return MakeError(ErrorCode::kMissingContentLength);
    }
    std::string_view text = TrimAsciiWhitespace(request.Header("x-amz-decoded-content-length"));
    uint64_t length = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "x-amz-decoded-content-length must be a non-negative integer");
    }
    state->declared_length = length;
    state->decoder.emplace(state->mode, &state->signing);
  }
  if (request.HasHeader("content-md5")) {
    auto raw = Base64Decode(TrimAsciiWhitespace(request.Header("content-md5")));
    if (!raw || raw->size() != 16) return MakeError(ErrorCode::kInvalidDigest);
    state->content_md5 = std::move(*raw);
  }
  KURA_TRY(ConfigureChecksum(request, state->mode, state->checksum,
                             state->checksum_from_header, state->checksum_in_trailer));
  return PayloadVerifier(std::move(state));
}

Result<void> PayloadVerifier::Feed(std::string_view input, std::vector<std::string_view>& out) {
  State& s = *state_;
  if (s.failed) return *s.failed;
  size_t first_new = out.size();
  if (s.decoder) {
    auto fed = s.decoder->Feed(input, out);
    if (!fed) {
      s.failed = fed.error();
      return fed;
    }
  } else if (!input.empty()) {
    out.push_back(input);
  }
  for (size_t i = first_new; i < out.size(); ++i) {
    std::string_view piece = out[i];
    s.md5.Update(piece);
    if (s.sha256) s.sha256->Update(piece);
    if (s.checksum) s.checksum->Update(piece);
    s.decoded_length += piece.size();
  }
  if (s.declared_length && s.decoded_length > *s.declared_length) {
    s.failed = MakeError(ErrorCode::kInvalidRequest,
                         "The decoded payload is longer than x-amz-decoded-content-length.");
    return *s.failed;
  }
  return Ok();
}

bool PayloadVerifier::passes_input_through() const { return !state_->decoder; }

Result<void> PayloadVerifier::CheckChecksum(PayloadSummary& summary) {
  State& s = *state_;
  if (!s.checksum) return Ok();
  ChecksumAlgorithm algorithm = s.checksum->algorithm();
  summary.checksum_algorithm = algorithm;
  summary.checksum_base64 = s.checksum->FinishBase64();
  std::string expected = s.checksum_from_header;
  if (s.checksum_in_trailer) {
    const std::pair<std::string, std::string>* found = nullptr;
    for (const auto& trailer : summary.trailers) {
      if (trailer.first == ChecksumHeaderName(algorithm)) found = &trailer;
    }
    if (found == nullptr) return MakeError(ErrorCode::kMalformedTrailerError);
    auto raw = Base64Decode(found->second);
    if (!raw || raw->size() != ChecksumDigestBytes(algorithm)) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "Value for " + std::string(ChecksumHeaderName(algorithm)) +
                           " trailing header is invalid.");
    }
    expected = found->second;
  }
  if (!expected.empty() && expected != summary.checksum_base64) {
    return MakeError(ErrorCode::kBadDigest, "The " + std::string(ChecksumName(algorithm)) +
                                                " you specified did not match the calculated "
                                                "checksum.");
  }
  return Ok();
}

Result<PayloadSummary> PayloadVerifier::Finish() {
  State& s = *state_;
  if (s.failed) return *s.failed;
  if (s.decoder && !s.decoder->done()) {
    return MakeError(ErrorCode::kIncompleteBody,
                     "The request body ended before the final aws-chunked chunk.");
  }
  if (s.declared_length && s.decoded_length != *s.declared_length) {
    return MakeError(ErrorCode::kIncompleteBody,
                     "You did not provide the number of bytes specified by the "
                     "x-amz-decoded-content-length HTTP header.");
  }
  PayloadSummary summary;
  summary.decoded_length = s.decoded_length;
  summary.md5 = s.md5.Finish();
  if (s.decoder) summary.trailers = s.decoder->trailers();
  if (s.sha256) {
    std::string computed = HexLower(s.sha256->Finish());
    if (!ConstantTimeEquals(computed, s.expected_sha256)) {
      Error error = MakeError(ErrorCode::kXAmzContentSHA256Mismatch);
      error.details = {{"ClientComputedContentSHA256", s.expected_sha256},
                       {"S3ComputedContentSHA256", computed}};
      return error;
    }
  }
  if (s.content_md5 && *s.content_md5 != summary.md5) return MakeError(ErrorCode::kBadDigest);
  KURA_TRY(CheckChecksum(summary));
  return summary;
}

}  // namespace kura::sigv4
