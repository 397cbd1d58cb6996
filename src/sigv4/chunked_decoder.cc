#include "sigv4/chunked_decoder.h"

#include <algorithm>

#include "common/encoding.h"
#include "common/limits.h"
#include "common/text.h"
#include "sigv4/signing_key.h"

namespace kura::sigv4 {
namespace {

constexpr std::string_view kChunkSignaturePrefix = ";chunk-signature=";
constexpr std::string_view kTrailerSignatureName = "x-amz-trailer-signature";

Error Framing(std::string_view what) {
  return MakeError(ErrorCode::kInvalidRequest,
                   "Malformed aws-chunked body: " + std::string(what));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string SignChain(const SigningContext& signing, std::string_view kind,
                      std::string_view previous, std::string_view tail) {
  std::string sts(kind);
  sts.push_back('\n');
  sts.append(signing.amz_date).push_back('\n');
  sts.append(signing.scope).push_back('\n');
  sts.append(previous).push_back('\n');
  sts.append(tail);
  return SignatureHex(signing.signing_key, sts);
}

}  // namespace

ChunkedDecoder::ChunkedDecoder(PayloadMode mode, const SigningContext* signing)
    : mode_(mode),
      signing_(signing),
      signed_chunks_(mode == PayloadMode::kStreamingSigned ||
                     mode == PayloadMode::kStreamingSignedTrailer) {
  if (signed_chunks_) previous_signature_ = signing_->seed_signature;
}

Result<void> ChunkedDecoder::Feed(std::string_view input, std::vector<std::string_view>& out) {
  if (failed_) return *failed_;
  while (!input.empty()) {
    auto step = Step(input, out);
    if (!step) {
      failed_ = step.error();
      return step;
    }
  }
  return Ok();
}

Result<bool> ChunkedDecoder::ReadLine(std::string_view& input, size_t limit) {
  size_t newline = input.find('\n');
  size_t take = newline == std::string_view::npos ? input.size() : newline + 1;
  if (line_.size() + take > limit) return Framing("a chunk header or trailer line is too long");
  line_.append(input.substr(0, take));
  input.remove_prefix(take);
  if (newline == std::string_view::npos) return false;
  if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
    return Framing("lines must end with CRLF");
  }
  line_.resize(line_.size() - 2);
  return true;
}

Result<void> ChunkedDecoder::Step(std::string_view& input, std::vector<std::string_view>& out) {
  switch (state_) {
    case State::kHeader: {
      auto line = ReadLine(input, kMaxChunkHeaderBytes);
      if (!line) return line.error();
      if (!*line) return Ok();
      auto parsed = OnChunkHeader(line_);
      line_.clear();
      return parsed;
    }
    case State::kData: {
      size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, input.size()));
      std::string_view data = input.substr(0, take);
      if (signed_chunks_) chunk_hash_.Update(data);
      if (take > 0) out.push_back(data);
      input.remove_prefix(take);
      remaining_ -= take;
      if (remaining_ > 0) return Ok();
      state_ = State::kDataCrlf;
      return OnChunkEnd();
    }
    case State::kDataCrlf: {
      // line_ holds the part of "\r\n" seen so far.
      char expected = line_.empty() ? '\r' : '\n';
      if (input.front() != expected) return Framing("chunk data must be followed by CRLF");
      input.remove_prefix(1);
      if (expected == '\r') {
        line_.push_back('\r');
        return Ok();
      }
      line_.clear();
      state_ = State::kHeader;
      return Ok();
    }
    case State::kTrailer: {
      auto line = ReadLine(input, kMaxTrailerBytes);
      if (!line) return line.error();
      if (!*line) return Ok();
      trailer_bytes_ += line_.size() + 2;
      if (trailer_bytes_ > kMaxTrailerBytes) return Framing("the trailers are too long");
      std::string current = std::move(line_);
      line_.clear();
      return OnTrailerLine(current);
    }
    case State::kDone:
      return Framing("data follows the final chunk");
  }
  return Ok();
}

Result<void> ChunkedDecoder::OnChunkHeader(std::string_view line) {
  size_t digits = 0;
  uint64_t size = 0;
  while (digits < line.size() && HexDigit(line[digits]) >= 0) {
    if (digits >= 16) return Framing("the chunk size is too large");
    size = size * 16 + static_cast<uint64_t>(HexDigit(line[digits]));
    ++digits;
  }
  if (digits == 0) return Framing("a chunk must start with its size in hex");
  if (size > limits::kMaxChunkBytes) {
    return Framing("a chunk is larger than " + std::to_string(limits::kMaxChunkBytes) + " bytes");
  }
  std::string_view extension = line.substr(digits);
  if (signed_chunks_) {
    if (!extension.starts_with(kChunkSignaturePrefix) ||
        extension.size() != kChunkSignaturePrefix.size() + 64) {
      return Framing("each chunk must carry ;chunk-signature=<64 hex digits>");
    }
    claimed_signature_ = extension.substr(kChunkSignaturePrefix.size());
    if (size > 0 && chunk_count_ > 0 && previous_size_ < kMinSignedChunkBytes) {
      Error error = MakeError(ErrorCode::kInvalidChunkSizeError);
      error.details = {{"Chunk", std::to_string(chunk_count_)},
                       {"BadChunkSize", std::to_string(previous_size_)}};
      return error;
    }
  } else if (!extension.empty() && extension.front() != ';') {
    return Framing("unexpected characters after the chunk size");
  }
  ++chunk_count_;
  chunk_size_ = size;
  remaining_ = size;
  if (size > 0) {
    previous_size_ = size;
    state_ = State::kData;
    return Ok();
  }
  // The final chunk: no data, its signature covers the empty string; trailers may follow.
  KURA_TRY(OnChunkEnd());
  state_ = State::kTrailer;
  return Ok();
}

Result<void> ChunkedDecoder::OnChunkEnd() {
  if (!signed_chunks_) return Ok();
  std::string tail(kEmptySha256);
  tail.push_back('\n');
  tail.append(HexLower(chunk_hash_.Finish()));
  std::string expected =
      SignChain(*signing_, "AWS4-HMAC-SHA256-PAYLOAD", previous_signature_, tail);
  if (!ConstantTimeEquals(expected, claimed_signature_)) {
    return MakeError(ErrorCode::kSignatureDoesNotMatch,
                     "The chunk signature of chunk " + std::to_string(chunk_count_) +
                         " does not match the signature calculated.");
  }
  previous_signature_ = claimed_signature_;
  return Ok();
}

Result<void> ChunkedDecoder::OnTrailerLine(std::string_view line) {
  if (line.empty()) {  // the end of the body
    if (mode_ == PayloadMode::kStreamingSignedTrailer) KURA_TRY(CheckTrailerSignature());
    state_ = State::kDone;
    return Ok();
  }
  bool trailers_allowed = mode_ == PayloadMode::kStreamingUnsignedTrailer ||
                          mode_ == PayloadMode::kStreamingSignedTrailer;
  size_t colon = line.find(':');
  if (!trailers_allowed) return Framing("the final chunk must be followed by an empty line");
  if (colon == std::string_view::npos || colon == 0 || !trailer_signature_.empty()) {
    return MakeError(ErrorCode::kMalformedTrailerError);
  }
  std::string name = AsciiLower(TrimAsciiWhitespace(line.substr(0, colon)));
  std::string value(TrimAsciiWhitespace(line.substr(colon + 1)));
  if (name == kTrailerSignatureName) {
    if (mode_ != PayloadMode::kStreamingSignedTrailer || value.empty()) {
      return MakeError(ErrorCode::kMalformedTrailerError);
    }
    trailer_signature_ = std::move(value);
    return Ok();
  }
  trailers_.emplace_back(std::move(name), std::move(value));
  return Ok();
}

Result<void> ChunkedDecoder::CheckTrailerSignature() {
  std::string canonical;
  for (const auto& [name, value] : trailers_) {
    canonical.append(name).push_back(':');
    canonical.append(value).push_back('\n');
  }
  std::string expected = SignChain(*signing_, "AWS4-HMAC-SHA256-TRAILER", previous_signature_,
                                   Sha256Hex(canonical));
  if (trailer_signature_.empty() || !ConstantTimeEquals(expected, trailer_signature_)) {
    return MakeError(ErrorCode::kSignatureDoesNotMatch,
                     "The trailer signature does not match the signature calculated.");
  }
  return Ok();
}

}  // namespace kura::sigv4
