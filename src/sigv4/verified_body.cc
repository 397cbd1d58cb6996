#include "sigv4/verified_body.h"

#include <utility>

namespace kura::sigv4 {

namespace net = boost::asio;

Result<PayloadVerifier*> VerifiedBody::Verifier() {
  if (!verifier_) {
    auto made = PayloadVerifier::Make(auth_, request_);
    if (!made) return made.error();
    verifier_.emplace(std::move(*made));
  }
  return &*verifier_;
}

Result<void> VerifiedBody::Finish() {
  if (summary_) return Ok();
  auto verifier = Verifier();
  if (!verifier) return verifier.error();
  auto summary = (*verifier)->Finish();
  if (!summary) return summary.error();
  summary_ = std::move(*summary);
  return Ok();
}

Error VerifiedBody::Overflow(Error error) {
  overflowed_ = true;
  return error;
}

net::awaitable<Result<std::string_view>> VerifiedBody::ReadPiece() {
  auto verifier = Verifier();
  if (!verifier) co_return verifier.error();
  while (next_piece_ == pieces_.size()) {
    if (summary_) co_return std::string_view();
    auto raw = co_await source_.ReadBody();
    if (!raw) co_return raw.error();
    if (raw->empty()) {
      KURA_CO_TRY(Finish());
      co_return std::string_view();
    }
    pieces_.clear();
    next_piece_ = 0;
    KURA_CO_TRY((*verifier)->Feed(*raw, pieces_));
  }
  std::string_view piece = pieces_[next_piece_++];
  decoded_ += piece.size();
  co_return piece;
}

net::awaitable<Result<std::string>> VerifiedBody::ReadAll(size_t max_bytes, Error too_large) {
  std::string body;
  for (;;) {
    auto piece = co_await ReadPiece();
    if (!piece) co_return piece.error();
    if (piece->empty()) co_return body;
    body.append(*piece);
    if (body.size() > max_bytes) co_return Overflow(std::move(too_large));
  }
}

// One copy (socket → the target's staging buffer): the verifier hashes the bytes where they
// landed and hands them back whole, so nothing is decoded.
net::awaitable<Result<void>> VerifiedBody::ReceiveInPlace(AppendTarget& target, uint64_t max_bytes) {
  PayloadVerifier& verifier = **Verifier();
  for (;;) {
    auto space = target.PrepareAppend();
    if (!space) co_return space.error();
    auto got = co_await source_.ReadBodyInto(*space);
    if (!got) co_return got.error();
    if (*got == 0) co_return Finish();
    pieces_.clear();
    KURA_CO_TRY(verifier.Feed(std::string_view(space->data(), *got), pieces_));
    pieces_.clear();
    KURA_CO_TRY(target.CommitAppend(*got));
    decoded_ += *got;
    if (target.size() > max_bytes) co_return Overflow(MakeError(ErrorCode::kEntityTooLarge));
  }
}

net::awaitable<Result<void>> VerifiedBody::ReadInto(AppendTarget& target, uint64_t max_bytes,
                                                    uint64_t in_place_above) {
  auto verifier = Verifier();
  if (!verifier) co_return verifier.error();
  if (content_length_ > in_place_above && (*verifier)->passes_input_through() && decoded_ == 0) {
    co_return co_await ReceiveInPlace(target, max_bytes);
  }
  for (;;) {
    auto piece = co_await ReadPiece();
    if (!piece) co_return piece.error();
    if (piece->empty()) co_return Ok();
    KURA_CO_TRY(target.Append(*piece));
    if (target.size() > max_bytes) co_return Overflow(MakeError(ErrorCode::kEntityTooLarge));
  }
}

}  // namespace kura::sigv4
