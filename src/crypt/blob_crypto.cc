#include "crypt/blob_crypto.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "crypt/encrypted_blob.h"

namespace kura::crypt {
namespace {

static_assert(kSmallBlobOverhead == kMaxHeaderBytes + kTagBytes);
static_assert(kWriterStagingBytes % kSegmentBytes == 0);

class EncryptingWriter final : public store::BlobWriter {
 public:
  EncryptingWriter(std::unique_ptr<store::BlobWriter> inner, const Secret& data_key,
                   std::string header)
      : inner_(std::move(inner)), cipher_(data_key, header), header_(std::move(header)) {
    staging_.resize(kWriterStagingBytes);
  }

  Result<void> Append(std::string_view bytes) override {
    while (!bytes.empty()) {
      auto space = PrepareAppend();
      if (!space) return space.error();
      size_t n = std::min(bytes.size(), space->size());
      std::memcpy(space->data(), bytes.data(), n);
      KURA_TRY(CommitAppend(n));
      bytes.remove_prefix(n);
    }
    return Ok();
  }

  Result<std::span<char>> PrepareAppend() override {
    if (sealed_) return MakeError(ErrorCode::kInternalError, "append after seal");
    if (used_ == staging_.size()) KURA_TRY(EncryptStaged(/*seal=*/false));
    return std::span<char>(staging_.data() + used_, staging_.size() - used_);
  }

  Result<void> CommitAppend(size_t n) override {
    used_ += n;
    size_ += n;
    return Ok();
  }

  Result<store::BlobRef> Seal() override {
    if (sealed_) return MakeError(ErrorCode::kInternalError, "sealed twice");
    KURA_TRY(EncryptStaged(/*seal=*/true));
    sealed_ = true;
    auto ref = inner_->Seal();
    if (!ref) return ref.error();
    ref->size = size_;
    return ref;
  }

  uint64_t size() const override { return size_; }

 private:
  // Encrypts the staged segments, all but the last unless sealing (only then is it known to be
  // final), and keeps the rest at the front of the staging buffer.
  Result<void> EncryptStaged(bool seal) {
    if (!header_written_) {
      KURA_TRY(inner_->Append(header_));
      header_written_ = true;
    }
    size_t offset = 0;
    while (used_ - offset > kSegmentBytes) {
      KURA_TRY(EncryptSegment(std::string_view(staging_.data() + offset, kSegmentBytes), false));
      offset += kSegmentBytes;
    }
    if (seal) {
      KURA_TRY(EncryptSegment(std::string_view(staging_.data() + offset, used_ - offset), true));
      offset = used_;
    }
    std::memmove(staging_.data(), staging_.data() + offset, used_ - offset);
    used_ -= offset;
    return Ok();
  }

  // One segment, encrypted straight into the inner writer's staging memory.
  Result<void> EncryptSegment(std::string_view plaintext, bool final) {
    KURA_TRY(cipher_.Begin(next_segment_++, final));
    while (!plaintext.empty()) {
      auto space = inner_->PrepareAppend();
      if (!space) return space.error();
      size_t n = std::min(plaintext.size(), space->size());
      KURA_TRY(cipher_.Update(plaintext.substr(0, n), space->data()));
      KURA_TRY(inner_->CommitAppend(n));
      plaintext.remove_prefix(n);
    }
    auto tag = cipher_.Finish();
    if (!tag) return tag.error();
    return inner_->Append(std::string_view(tag->data(), tag->size()));
  }

  std::unique_ptr<store::BlobWriter> inner_;
  SegmentCipher cipher_;
  std::string header_;
  bool header_written_ = false;
  std::vector<char> staging_;  // plaintext not yet encrypted: [0, used_)
  size_t used_ = 0;
  uint64_t size_ = 0;
  uint64_t next_segment_ = 0;
  bool sealed_ = false;
};

// Reads exactly out.size() bytes at `offset`, or fails: a stored blob shorter than its
// header says is corrupt.
Result<void> ReadExactly(store::BlobReader& reader, uint64_t offset, std::span<char> out) {
  while (!out.empty()) {
    auto got = reader.ReadAt(offset, out);
    if (!got) return got.error();
    if (*got == 0) return MakeError(ErrorCode::kInternalError, "encrypted blob: cut short");
    offset += *got;
    out = out.subspan(*got);
  }
  return Ok();
}

// Decrypted reads read this many segments' ciphertext in one inner read when the caller's
// buffer takes them whole.
constexpr uint64_t kSegmentsPerRead = 16;

class DecryptingReader final : public store::BlobReader {
 public:
  DecryptingReader(std::unique_ptr<store::BlobReader> inner, uint64_t plaintext_size,
                   size_t header_length, uint32_t segment_bytes, const Secret& data_key,
                   std::string_view header)
      : inner_(std::move(inner)),
        size_(plaintext_size),
        header_length_(header_length),
        segment_bytes_(segment_bytes),
        segments_(SegmentCount(plaintext_size, segment_bytes)),
        cipher_(data_key, header) {}

  uint64_t size() const override { return size_; }
  int fd() const override { return -1; }

  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    out = out.first(std::min<uint64_t>(out.size(), size_ - offset));
    uint64_t index = offset / segment_bytes_;
    uint64_t within = offset % segment_bytes_;
    bool in_cache = cached_ && cached_index_ == index;
    if (!in_cache && within == 0 && out.size() >= PlaintextBytes(index))
      return ReadWholeSegments(index, out);
    if (!in_cache) KURA_TRY(DecryptIntoCache(index));
    size_t n = std::min<uint64_t>(out.size(), PlaintextBytes(index) - within);
    std::memcpy(out.data(), cache_.data() + within, n);
    return n;
  }

 private:
  uint64_t PlaintextBytes(uint64_t index) const {
    return std::min<uint64_t>(segment_bytes_, size_ - index * segment_bytes_);
  }
  uint64_t StoredOffset(uint64_t index) const {
    return header_length_ + index * (uint64_t{segment_bytes_} + kTagBytes);
  }
  bool IsFinal(uint64_t index) const { return index + 1 == segments_; }

  // Segments from `first` that `out` takes whole: their ciphertext in one read, each decrypted
  // straight into `out`.
  Result<size_t> ReadWholeSegments(uint64_t first, std::span<char> out) {
    uint64_t count = 0;
    uint64_t plain = 0;
    while (count < kSegmentsPerRead && first + count < segments_ &&
           plain + PlaintextBytes(first + count) <= out.size()) {
      plain += PlaintextBytes(first + count);
      ++count;
    }
    uint64_t stored = plain + count * kTagBytes;
    sealed_.resize(stored);
    KURA_TRY(ReadExactly(*inner_, StoredOffset(first), std::span<char>(sealed_.data(), stored)));
    size_t in = 0;
    size_t done = 0;
    for (uint64_t i = 0; i < count; ++i) {
      size_t length = PlaintextBytes(first + i);
      KURA_TRY(cipher_.Open(first + i, IsFinal(first + i),
                            std::string_view(sealed_.data() + in, length + kTagBytes),
                            out.data() + done));
      in += length + kTagBytes;
      done += length;
    }
    return done;
  }

  Result<void> DecryptIntoCache(uint64_t index) {
    cached_ = false;
    size_t length = PlaintextBytes(index);
    sealed_.resize(length + kTagBytes);
    if (cache_.size() < length) cache_.resize(length);  // a small blob never needs a whole segment
    KURA_TRY(
        ReadExactly(*inner_, StoredOffset(index), std::span<char>(sealed_.data(), sealed_.size())));
    KURA_TRY(cipher_.Open(index, IsFinal(index), std::string_view(sealed_.data(), sealed_.size()),
                          cache_.data()));
    cached_ = true;
    cached_index_ = index;
    return Ok();
  }

  std::unique_ptr<store::BlobReader> inner_;
  uint64_t size_;
  size_t header_length_;
  uint32_t segment_bytes_;
  uint64_t segments_;
  SegmentCipher cipher_;
  std::vector<char> sealed_;  // ciphertext read from `inner_`, reused
  std::vector<char> cache_;   // the plaintext of segment cached_index_
  bool cached_ = false;
  uint64_t cached_index_ = 0;
};

}  // namespace

Result<std::unique_ptr<store::BlobWriter>> NewEncryptingWriter(
    std::unique_ptr<store::BlobWriter> inner, const Secret& data_key, std::string_view sealed_key) {
  if (data_key.Reveal().size() != kDataKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "data key of the wrong length");
  }
  auto header = EncodeHeader(BlobHeader{kSegmentBytes, std::string(sealed_key)});
  if (!header) return header.error();
  return std::unique_ptr<store::BlobWriter>(
      std::make_unique<EncryptingWriter>(std::move(inner), data_key, std::move(*header)));
}

Result<std::unique_ptr<store::BlobReader>> NewDecryptingReader(
    std::unique_ptr<store::BlobReader> inner, uint64_t plaintext_size, const KeyOpener& open_key) {
  std::string head(kMaxHeaderBytes, '\0');
  size_t have = 0;
  while (have < head.size()) {
    auto got = inner->ReadAt(have, std::span<char>(head.data() + have, head.size() - have));
    if (!got) return got.error();
    if (*got == 0) break;
    have += *got;
  }
  auto parsed = ParseHeader(std::string_view(head.data(), have));
  if (!parsed) return parsed.error();
  auto data_key = open_key(parsed->header.sealed_key);
  if (!data_key) return data_key.error();
  if (data_key->Reveal().size() != kDataKeyBytes) {
    return MakeError(ErrorCode::kInternalError, "encrypted blob: data key of the wrong length");
  }
  head.resize(parsed->length);
  return std::unique_ptr<store::BlobReader>(
      std::make_unique<DecryptingReader>(std::move(inner), plaintext_size, parsed->length,
                                         parsed->header.segment_bytes, *data_key, head));
}

uint64_t EncryptedSizeBound(uint64_t plaintext_size) {
  // The smallest segment size a reader accepts has the most tags.
  return EncryptedSize(plaintext_size, kMaxHeaderBytes, uint32_t{1} << kMinSegmentLog2);
}

}  // namespace kura::crypt
