// An incremental HTTP/1.1 response parser for the client side (RFC 9112): status line, headers,
// and a body framed by Content-Length, chunked transfer coding, or the connection's close.
// Bytes may arrive split anywhere; body bytes are handed to a BodySink as they arrive and never
// buffered here, so GiB bodies stream in bounded memory. Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "kura_bench/signer.h"

namespace kura::bench {

class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void OnBody(std::string_view bytes) = 0;
};

struct ResponseHead {
  int status = 0;
  Headers headers;
  int64_t content_length = -1;  // -1 when absent
  bool chunked = false;
  bool keep_alive = true;
  // The first header of that name (case-insensitive), or "".
  std::string_view Find(std::string_view name) const;
};

class ResponseParser {
 public:
  // Prepares for the next response; a response to HEAD (or a 1xx/204/304) has no body.
  void Reset(bool head_request);

  // Consumes bytes from `data`, up to the end of the response. Returns how many were consumed
  // (fewer than data.size() only when the response ended: pipelined bytes stay unconsumed).
  Result<size_t> Feed(std::string_view data, BodySink& sink);
  // The peer closed the connection: completes a close-delimited body, else an error.
  Result<void> OnEof();

  bool head_done() const { return state_ > State::kHead; }
  bool done() const { return state_ == State::kDone; }
  const ResponseHead& head() const { return head_; }
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  enum class State { kHead, kBody, kUntilClose, kChunkSize, kChunkData, kChunkEnd, kTrailer, kDone };

  Result<size_t> FeedHead(std::string_view data);
  Result<void> ParseHead();
  Result<size_t> FeedLine(std::string_view data, bool* complete);
  Result<void> OnChunkSizeLine();
  Result<void> OnTrailerLine();

  State state_ = State::kHead;
  bool head_request_ = false;
  std::string buffer_;  // the head, or a partial chunk-size / trailer line
  ResponseHead head_;
  uint64_t remaining_ = 0;
  uint64_t body_bytes_ = 0;
};

}  // namespace kura::bench
