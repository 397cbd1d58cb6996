#include "store/rados/rados_blob_writer.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>
#include <vector>

#include "store/fs/block_checksums.h"
#include "store/rados/rados_io.h"
#include "store/rados/rados_layout.h"

namespace kura::store::rados {
namespace {

// A piece sent and not yet acknowledged: its buffers must live until then.
struct InFlight {
  std::unique_ptr<AioCompletion> completion;
  std::vector<char> piece;
  std::string footer;       // "kura.crc", if the piece ends its stripe
  std::string stored_size;  // "kura.size", if the operation seals the blob
  std::string object;
};

class RadosBlobWriter final : public BlobWriter {
 public:
  RadosBlobWriter(RadosBlobStore& store, Placement placement)
      : store_(store), placement_(placement) {}
  ~RadosBlobWriter() override {
    if (!sealed_) Discard();
  }

  Result<void> Append(std::string_view bytes) override {
    if (done_) return MakeError(ErrorCode::kInternalError, "append after seal");
    if (failed_) return *failed_;
    size_ += bytes.size();
    if (!spilled_ && buffer_.size() + bytes.size() <= kInlineThreshold) {
      buffer_.append(bytes);
      return Ok();
    }
    if (!spilled_) KURA_TRY(Spill());
    return Stream(bytes);
  }

  // Once the blob streams to RADOS, bytes are received straight into the piece being filled.
  Result<std::span<char>> PrepareAppend() override {
    prepared_in_piece_ = spilled_ && !done_ && !failed_;
    if (!prepared_in_piece_) return BlobWriter::PrepareAppend();
    return std::span<char>(piece_.data() + piece_len_, kPieceBytes - piece_len_);
  }

  Result<void> CommitAppend(size_t n) override {
    if (!prepared_in_piece_) return BlobWriter::CommitAppend(n);
    prepared_in_piece_ = false;
    n = std::min<size_t>(n, kPieceBytes - piece_len_);
    size_ += n;
    return Filled(n);
  }

  Result<BlobRef> Seal() override {
    if (done_) return MakeError(ErrorCode::kInternalError, "sealed twice");
    done_ = true;
    if (failed_) return *failed_;
    BlobRef ref;
    ref.size = size_;
    if (!spilled_ && size_ <= kInlineThreshold && placement_ == Placement::kInlineIfSmall) {
      ref.inline_data = std::move(buffer_);
      return ref;
    }
    if (!spilled_) KURA_TRY(Spill());
    // The open stripe's rest and checksums (an empty blob's only stripe is created here), and
    // the stored length on stripe 0, in the same operation when that is the stripe being written.
    bool open_stripe = stripe_bytes_ > 0 || size_ == 0;
    bool last_is_first = open_stripe && stripe_index_ == 0;
    if (open_stripe) KURA_TRY(Send(true, last_is_first));
    if (!last_is_first) KURA_TRY(SendStoredSize());
    KURA_TRY(WaitAll());
    sealed_ = true;
    ref.kind = BlobRef::Kind::kFile;
    ref.id = id_;
    return ref;
  }

  uint64_t size() const override { return size_; }

 private:
  // The blob cannot be inline: it gets its id and what was buffered streams out first.
  Result<void> Spill() {
    spilled_ = true;
    id_ = store_.NewBlobId();
    piece_.resize(kPieceBytes);
    std::string buffered = std::move(buffer_);
    buffer_ = std::string();
    return Stream(buffered);
  }

  Result<void> Stream(std::string_view bytes) {
    while (!bytes.empty()) {
      size_t n = std::min<size_t>(bytes.size(), kPieceBytes - piece_len_);
      std::memcpy(piece_.data() + piece_len_, bytes.data(), n);
      KURA_TRY(Filled(n));
      bytes.remove_prefix(n);
    }
    return Ok();
  }

  // n more bytes of the piece are filled: checksums them, and sends the piece once it is full.
  Result<void> Filled(size_t n) {
    if (failed_) return *failed_;
    crcs_.Update(std::string_view(piece_.data() + piece_len_, n));
    piece_len_ += n;
    stripe_bytes_ += n;
    if (piece_len_ < kPieceBytes) return Ok();
    return Send(stripe_bytes_ == kStripeBytes, false);
  }

  // Sends the piece (creating the stripe object if it starts it; with the stripe's checksum
  // xattr if `ends_stripe`; with the blob's stored length if `seals`, which only the last piece
  // of stripe 0 may), after waiting for the oldest piece if kPiecesInFlight are out.
  Result<void> Send(bool ends_stripe, bool seals) {
    while (in_flight_.size() >= kPiecesInFlight) KURA_TRY(WaitOldest());
    uint64_t offset = stripe_bytes_ - piece_len_;
    InFlight flight{.completion = std::make_unique<AioCompletion>(),
                    .piece = std::move(piece_),
                    .footer = ends_stripe ? crcs_.Footer() : std::string(),
                    .stored_size = seals ? EncodeStoredSize(size_) : std::string(),
                    .object = StripeName(id_, stripe_index_)};
    WriteOp op;
    if (offset == 0) rados_write_op_create(op.get(), LIBRADOS_CREATE_EXCLUSIVE, nullptr);
    if (piece_len_ > 0) rados_write_op_write(op.get(), flight.piece.data(), piece_len_, offset);
    if (ends_stripe) {
      rados_write_op_setxattr(op.get(), kCrcXattr, flight.footer.data(), flight.footer.size());
    }
    if (seals) {
      rados_write_op_setxattr(op.get(), kSizeXattr, flight.stored_size.data(),
                              flight.stored_size.size());
    }
    stripes_touched_ = stripe_index_ + 1;
    KURA_TRY(Operate(op, std::move(flight)));
    NextPiece(ends_stripe);
    return Ok();
  }

  // Sets stripe 0's "kura.size" on its own (the blob has more than one stripe, or its only one
  // was full and sent already).
  Result<void> SendStoredSize() {
    while (in_flight_.size() >= kPiecesInFlight) KURA_TRY(WaitOldest());
    InFlight flight{.completion = std::make_unique<AioCompletion>(),
                    .piece = {},
                    .footer = {},
                    .stored_size = EncodeStoredSize(size_),
                    .object = StripeName(id_, 0)};
    WriteOp op;
    rados_write_op_setxattr(op.get(), kSizeXattr, flight.stored_size.data(),
                            flight.stored_size.size());
    return Operate(op, std::move(flight));
  }

  Result<void> Operate(const WriteOp& op, InFlight flight) {
    int rc = rados_aio_write_op_operate(op.get(), store_.io(), flight.completion->get(),
                                        flight.object.c_str(), nullptr, 0);
    if (rc < 0) return Fail(RadosError("write", flight.object, rc));
    in_flight_.push_back(std::move(flight));
    return Ok();
  }

  void NextPiece(bool stripe_ended) {
    if (spare_.empty()) {
      piece_.assign(kPieceBytes, '\0');
    } else {
      piece_ = std::move(spare_.back());
      spare_.pop_back();
    }
    piece_len_ = 0;
    if (!stripe_ended) return;
    ++stripe_index_;
    stripe_bytes_ = 0;
    crcs_ = BlockCrcAccumulator();
  }

  Result<void> WaitOldest() {
    InFlight flight = std::move(in_flight_.front());
    in_flight_.pop_front();
    int rc = flight.completion->Wait();
    if (flight.piece.size() == kPieceBytes) spare_.push_back(std::move(flight.piece));
    if (rc < 0) return Fail(RadosError("write", flight.object, rc));
    return Ok();
  }

  Result<void> WaitAll() {
    std::optional<Error> first;
    while (!in_flight_.empty()) {
      auto waited = WaitOldest();
      if (!waited && !first) first = waited.error();
    }
    if (first) return *first;
    return Ok();
  }

  Error Fail(Error error) {
    if (!failed_) failed_ = error;
    return error;
  }

  // Without a successful Seal: waits for the writes still out, then removes every stripe.
  void Discard() {
    (void)WaitAll();
    if (spilled_) store_.RemoveStripes(id_, stripes_touched_);
  }

  RadosBlobStore& store_;
  Placement placement_;
  std::string buffer_;  // until the blob spills
  uint64_t size_ = 0;
  bool spilled_ = false;
  std::string id_;
  std::vector<char> piece_;       // kPieceBytes once spilled
  size_t piece_len_ = 0;          // bytes of piece_ filled
  uint64_t stripe_index_ = 0;     // the stripe piece_ belongs to
  uint64_t stripe_bytes_ = 0;     // bytes of that stripe appended, piece_'s included
  uint64_t stripes_touched_ = 0;  // stripes a write was sent to (Discard removes them)
  BlockCrcAccumulator crcs_;      // of the stripe being written
  std::deque<InFlight> in_flight_;
  std::vector<std::vector<char>> spare_;  // acknowledged pieces' buffers, for reuse
  std::optional<Error> failed_;           // the first write error: the writer is unusable after it
  bool prepared_in_piece_ = false;
  bool done_ = false;    // Seal() was called
  bool sealed_ = false;  // and succeeded
};

}  // namespace

std::unique_ptr<BlobWriter> NewRadosBlobWriter(RadosBlobStore& store, Placement placement) {
  return std::make_unique<RadosBlobWriter>(store, placement);
}

}  // namespace kura::store::rados
