// The request body as everything above the pipeline reads it: a BodySource seen through a
// PayloadVerifier, so every byte handed out was (or, until the end, is being) checked against
// the signed payload hash, aws-chunked chunk signatures, Content-MD5 and x-amz-checksum-*.
// There is no other way to the body: handlers never see the BodySource. Decoded bytes are
// provisional until the end was verified, so callers stage them (a blob writer, a string) and
// commit only after ReadAll/ReadInto (or ReadPiece's empty end) succeeded; summary() is set
// only then. The verifier itself is made at the first read, so a handler's own errors (no such
// bucket, a bad key) come before those of malformed integrity headers, as in S3.
// Spec: see payload_verifier.h. Thread-safety: one coroutine at a time.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/append_target.h"
#include "common/body_source.h"
#include "common/error.h"
#include "sigv4/payload_verifier.h"
#include "sigv4/request_view.h"
#include "sigv4/verifier.h"

namespace kura::sigv4 {

class VerifiedBody {
 public:
  // Borrows all four; `auth` and `request` are those the signature was verified from.
  // `content_length` is the request's Content-Length (0 when none).
  VerifiedBody(BodySource& source, const AuthResult& auth, const RequestView& request,
               uint64_t content_length)
      : source_(source), auth_(auth), request_(request), content_length_(content_length) {}

  VerifiedBody(const VerifiedBody&) = delete;
  VerifiedBody& operator=(const VerifiedBody&) = delete;

  // The whole decoded body, verified. More than max_bytes: `too_large` (the caller's error: a
  // bucket policy and an XML body are refused differently).
  boost::asio::awaitable<Result<std::string>> ReadAll(size_t max_bytes, Error too_large);

  // Streams the decoded body into `target`, verified at its end. A body without aws-chunked
  // framing declared longer than `in_place_above` is received straight into the target's own
  // memory (PrepareAppend/CommitAppend: one copy, socket → staging buffer) and verified there.
  // More than max_bytes: kEntityTooLarge. On error the target holds unverified bytes: discard it.
  boost::asio::awaitable<Result<void>> ReadInto(AppendTarget& target, uint64_t max_bytes,
                                                uint64_t in_place_above);

  // The next decoded piece (valid until the next call), for readers that parse as they go (a
  // POST form). An empty piece means the end, and is returned only once the end was verified.
  boost::asio::awaitable<Result<std::string_view>> ReadPiece();

  // MD5, checksum and trailers of the body; null until its end was verified.
  const PayloadSummary* summary() const { return summary_ ? &*summary_ : nullptr; }

  // Whether a read stopped at a size limit with body bytes left unread: the pipeline closes the
  // connection rather than read on.
  bool overflowed() const { return overflowed_; }

 private:
  Result<PayloadVerifier*> Verifier();
  Result<void> Finish();
  boost::asio::awaitable<Result<void>> ReceiveInPlace(AppendTarget& target, uint64_t max_bytes);
  Error Overflow(Error error);

  BodySource& source_;
  const AuthResult& auth_;
  const RequestView& request_;
  uint64_t content_length_;
  std::optional<PayloadVerifier> verifier_;
  std::optional<PayloadSummary> summary_;
  std::vector<std::string_view> pieces_;  // decoded from the last raw piece
  size_t next_piece_ = 0;
  uint64_t decoded_ = 0;
  bool overflowed_ = false;
};

}  // namespace kura::sigv4
