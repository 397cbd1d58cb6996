#include "kura_bench/response_parser.h"

#include <algorithm>
#include <charconv>

namespace kura::bench {
namespace {

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxLineBytes = 8 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return (x | 0x20) == (y | 0x20);
  });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Error Malformed(std::string what) {
  return MakeError(ErrorCode::kInternalError, "malformed HTTP response: " + std::move(what));
}

}  // namespace

std::string_view ResponseHead::Find(std::string_view name) const {
  for (const Header& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

void ResponseParser::Reset(bool head_request) {
  state_ = State::kHead;
  head_request_ = head_request;
  buffer_.clear();
  head_ = ResponseHead{};
  remaining_ = 0;
  body_bytes_ = 0;
}

Result<size_t> ResponseParser::Feed(std::string_view data, BodySink& sink) {
  size_t used = 0;
  while (used < data.size() && state_ != State::kDone) {
    std::string_view rest = data.substr(used);
    bool complete = false;
    size_t n = 0;
    switch (state_) {
      case State::kHead: {
        auto r = FeedHead(rest);
        if (!r) return r.error();
        n = *r;
        break;
      }
      case State::kBody:
      case State::kChunkData:
      case State::kUntilClose: {
        n = state_ == State::kUntilClose ? rest.size() : std::min<uint64_t>(rest.size(), remaining_);
        sink.OnBody(rest.substr(0, n));
        body_bytes_ += n;
        remaining_ -= std::min<uint64_t>(remaining_, n);
        if (state_ == State::kBody && remaining_ == 0) state_ = State::kDone;
        if (state_ == State::kChunkData && remaining_ == 0) state_ = State::kChunkEnd;
        break;
      }
      case State::kChunkEnd:
      case State::kChunkSize:
      case State::kTrailer: {
        auto r = FeedLine(rest, &complete);
        if (!r) return r.error();
        n = *r;
        if (!complete) break;
        Result<void> step = state_ == State::kChunkSize ? OnChunkSizeLine()
                            : state_ == State::kTrailer ? OnTrailerLine()
                                                         : Result<void>();
        if (!step) return step.error();
        if (state_ == State::kChunkEnd) {
          if (!buffer_.empty()) return Malformed("chunk data not followed by CRLF");
          state_ = State::kChunkSize;
        }
        buffer_.clear();
        break;
      }
      case State::kDone:
        break;
    }
    used += n;
  }
  return used;
}

Result<void> ResponseParser::OnEof() {
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return {};
  }
  if (state_ == State::kDone) return {};
  return Malformed("connection closed mid-response");
}

Result<size_t> ResponseParser::FeedHead(std::string_view data) {
  size_t old_size = buffer_.size();
  size_t search_from = old_size >= 3 ? old_size - 3 : 0;
  buffer_.append(data);
  size_t end = buffer_.find("\r\n\r\n", search_from);
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxHeadBytes) return Malformed("head too large");
    return data.size();
  }
  size_t used = end + 4 - old_size;
  buffer_.resize(end + 2);
  auto parsed = ParseHead();
  if (!parsed) return parsed.error();
  buffer_.clear();
  return used;
}

Result<void> ResponseParser::ParseHead() {
  std::string_view text = buffer_;
  size_t eol = text.find("\r\n");
  std::string_view status_line = text.substr(0, eol);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
    return Malformed("bad status line");
  }
  auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, head_.status);
  if (ec != std::errc() || head_.status < 100) return Malformed("bad status code");
  head_.keep_alive = status_line[7] == '1';
  for (size_t pos = eol + 2; pos < text.size();) {
    size_t next = text.find("\r\n", pos);
    std::string_view line = text.substr(pos, next - pos);
    pos = next + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Malformed("bad header line");
    head_.headers.push_back({std::string(line.substr(0, colon)),
                             std::string(Trim(line.substr(colon + 1)))});
  }
  std::string_view length = head_.Find("Content-Length");
  if (!length.empty()) {
    auto [q, lec] = std::from_chars(length.data(), length.data() + length.size(),
                                    head_.content_length);
    if (lec != std::errc() || q != length.data() + length.size() || head_.content_length < 0) {
      return Malformed("bad Content-Length");
    }
  }
  std::string_view connection = head_.Find("Connection");
  if (EqualsIgnoreCase(connection, "close")) head_.keep_alive = false;
  if (EqualsIgnoreCase(connection, "keep-alive")) head_.keep_alive = true;
  head_.chunked = EqualsIgnoreCase(head_.Find("Transfer-Encoding"), "chunked");
  bool no_body = head_request_ || head_.status < 200 || head_.status == 204 ||
                 head_.status == 304;
  if (no_body) {
    state_ = State::kDone;
  } else if (head_.chunked) {
    state_ = State::kChunkSize;
  } else if (head_.content_length >= 0) {
    remaining_ = static_cast<uint64_t>(head_.content_length);
    state_ = remaining_ == 0 ? State::kDone : State::kBody;
  } else {
    head_.keep_alive = false;
    state_ = State::kUntilClose;
  }
  return {};
}

Result<size_t> ResponseParser::FeedLine(std::string_view data, bool* complete) {
  size_t newline = data.find('\n');
  size_t take = newline == std::string_view::npos ? data.size() : newline + 1;
  buffer_.append(data.substr(0, take));
  if (buffer_.size() > kMaxLineBytes) return Malformed("line too long");
  *complete = newline != std::string_view::npos;
  if (*complete) {
    if (buffer_.size() < 2 || buffer_[buffer_.size() - 2] != '\r') return Malformed("bare LF");
    buffer_.resize(buffer_.size() - 2);
  }
  return take;
}

Result<void> ResponseParser::OnChunkSizeLine() {
  std::string_view line = buffer_;
  line = Trim(line.substr(0, line.find(';')));
  uint64_t size = 0;
  auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
  if (ec != std::errc() || p != line.data() + line.size() || line.empty()) {
    return Malformed("bad chunk size");
  }
  remaining_ = size;
  state_ = size == 0 ? State::kTrailer : State::kChunkData;
  return {};
}

Result<void> ResponseParser::OnTrailerLine() {
  if (buffer_.empty()) state_ = State::kDone;
  return {};
}

}  // namespace kura::bench
