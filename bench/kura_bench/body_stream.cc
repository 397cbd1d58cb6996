#include "kura_bench/body_stream.h"

#include <algorithm>
#include <cstdio>

namespace kura::bench {
namespace {

class BytesBody final : public BodyStream {
 public:
  explicit BytesBody(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t content_length() const override { return bytes_.size(); }
  std::string_view Peek() override { return std::string_view(bytes_).substr(sent_); }
  void Advance(size_t n) override { sent_ += n; }

 private:
  std::string bytes_;
  size_t sent_ = 0;
};

class PatternBody final : public BodyStream {
 public:
  PatternBody(uint64_t offset, uint64_t length) : offset_(offset), length_(length) {}
  uint64_t content_length() const override { return length_; }
  std::string_view Peek() override { return PatternSlice(offset_ + sent_, length_ - sent_); }
  void Advance(size_t n) override { sent_ += n; }

 private:
  uint64_t offset_;
  uint64_t length_;
  uint64_t sent_ = 0;
};

size_t HexDigits(uint64_t n) {
  size_t digits = 1;
  while (n >= 16) {
    n >>= 4;
    ++digits;
  }
  return digits;
}

constexpr size_t kChunkMetaBytes = 17 + 64 + 2 + 2;  // ";chunk-signature=" sig CRLF CRLF

// Alternates framing text (owned) and data pieces (from the pattern block).
class AwsChunkedBody final : public BodyStream {
 public:
  AwsChunkedBody(uint64_t offset, const PayloadDigests& digests, uint64_t chunk_size,
                 Signer& signer, Signature seed)
      : offset_(offset),
        digests_(digests),
        chunk_size_(chunk_size),
        signer_(signer),
        seed_(std::move(seed)),
        previous_signature_(seed_.signature) {
    StartChunk();
  }

  uint64_t content_length() const override {
    return AwsChunkedLength(digests_.length, chunk_size_);
  }

  std::string_view Peek() override {
    if (frame_sent_ < frame_.size()) return std::string_view(frame_).substr(frame_sent_);
    if (data_left_ > 0) return PatternSlice(offset_ + data_pos_, data_left_);
    return {};
  }

  void Advance(size_t n) override {
    if (frame_sent_ < frame_.size()) {
      frame_sent_ += n;
    } else {
      data_pos_ += n;
      data_left_ -= n;
    }
    if (frame_sent_ == frame_.size() && data_left_ == 0 && !finished_) StartChunk();
  }

 private:
  // Builds the framing before the next chunk: CRLF closing the previous chunk's data, then the
  // chunk header. The final chunk has size 0 and is followed by the empty line.
  void StartChunk() {
    frame_ = chunk_index_ == 0 ? "" : "\r\n";
    frame_sent_ = 0;
    uint64_t start = chunk_index_ * chunk_size_;
    uint64_t n = start < digests_.length ? std::min(chunk_size_, digests_.length - start) : 0;
    std::string_view hash = n > 0 ? std::string_view(digests_.chunk_sha256_hex[chunk_index_])
                                  : kEmptySha256;
    previous_signature_ = signer_.ChunkSignature(seed_, previous_signature_, hash);
    char size_hex[24];
    std::snprintf(size_hex, sizeof(size_hex), "%llx", static_cast<unsigned long long>(n));
    frame_ += size_hex;
    frame_ += ";chunk-signature=";
    frame_ += previous_signature_;
    frame_ += "\r\n";
    data_pos_ = start;
    data_left_ = n;
    ++chunk_index_;
    if (n == 0) {
      frame_ += "\r\n";
      finished_ = true;
    }
  }

  uint64_t offset_;
  const PayloadDigests& digests_;
  uint64_t chunk_size_;
  Signer& signer_;
  Signature seed_;
  std::string previous_signature_;
  std::string frame_;
  size_t frame_sent_ = 0;
  uint64_t chunk_index_ = 0;
  uint64_t data_pos_ = 0;
  uint64_t data_left_ = 0;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<BodyStream> MakeBytesBody(std::string bytes) {
  return std::make_unique<BytesBody>(std::move(bytes));
}

std::unique_ptr<BodyStream> MakePatternBody(uint64_t offset, uint64_t length) {
  return std::make_unique<PatternBody>(offset, length);
}

uint64_t AwsChunkedLength(uint64_t length, uint64_t chunk_size) {
  uint64_t full = length / chunk_size;
  uint64_t rest = length % chunk_size;
  uint64_t total = full * (HexDigits(chunk_size) + kChunkMetaBytes + chunk_size);
  if (rest > 0) total += HexDigits(rest) + kChunkMetaBytes + rest;
  return total + 1 + kChunkMetaBytes;  // "0;chunk-signature=...\r\n\r\n"
}

std::unique_ptr<BodyStream> MakeAwsChunkedBody(uint64_t offset, const PayloadDigests& digests,
                                               uint64_t chunk_size, Signer& signer,
                                               Signature seed) {
  return std::make_unique<AwsChunkedBody>(offset, digests, chunk_size, signer, std::move(seed));
}

}  // namespace kura::bench
