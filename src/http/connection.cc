#include "http/connection.h"

#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <span>

#include "common/limits.h"
#include "http/request_head.h"
#include "http/response_head.h"

namespace kura::http {
namespace {

namespace beast = boost::beast;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
constexpr size_t kBodyBufferBytes = 1024 * 1024;
constexpr uint64_t kMaxDrainedBodyBytes = 1024 * 1024;
constexpr size_t kFirstReadBytes = 4096;  // the read that waits for a request's first bytes
// How long in all a connection that closes with a request body unread goes on reading and
// dropping it (nginx's lingering_time): time for a client that writes its whole body before it
// reads the answer. Each read waits at most limits::kLingerAfterErrorTimeout.
constexpr std::chrono::seconds kMaxLingerAfterError{30};

template <class Stream>
constexpr bool kIsPlainTcp = std::is_same_v<Stream, beast::tcp_stream>;

// RFC 9110 8.6: no Content-Length on 1xx and 204, and none that could mislead on a 304.
bool MayCarryContentLength(bhttp::status status) {
  return bhttp::to_status_class(status) != bhttp::status_class::informational &&
         status != bhttp::status::no_content && status != bhttp::status::not_modified;
}

Error TransportError(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return MakeError(ErrorCode::kRequestTimeout);
  return MakeError(ErrorCode::kIncompleteBody, "The request body ended early: " + ec.message());
}

template <class Stream>
class Connection final : public Exchange {
 public:
  Connection(Stream& stream, beast::flat_buffer& buffer, std::string remote, bool secure,
             const TrustedProxies* vouching)
      : stream_(stream),
        buffer_(buffer),
        body_storage_(std::make_unique_for_overwrite<char[]>(kBodyBufferBytes)),
        body_buffer_(body_storage_.get(), kBodyBufferBytes),
        vouching_(vouching) {
    if (vouching_ != nullptr) peer_ = remote;
    head_.remote_address = std::move(remote);
    head_.secure_transport = secure;
  }

  net::awaitable<void> Run(Handler& handler) {
    for (;;) {
      auto more = co_await ReadHead();
      if (!more) {
        co_await Refuse(handler, more.error(), kMaxLingerAfterError);
        co_return;
      }
      if (!*more) co_return;
      co_await handler.Handle(*this);
      if (!response_started_) {
        // A named head: GCC 12 destroys a class prvalue passed to a coroutine call twice.
        ResponseHead head{bhttp::status::internal_server_error, {}};
        auto r = co_await Respond(std::move(head), "");
        (void)r;
      }
      if (close_ || !co_await FinishBody()) break;
    }
    if (BodyDone()) {
      co_await Shutdown();
    } else {
      co_await LingeringClose(kMaxLingerAfterError);  // a refused upload: its answer must arrive
    }
  }

  // Answers `error` through the handler instead of serving a request, then ends the connection,
  // reading what the client still sends for at most `linger` (a malformed head's body has no
  // knowable length).
  net::awaitable<void> Refuse(Handler& handler, const Error& error, std::chrono::seconds linger) {
    close_ = true;
    RequestHead blank;
    blank.remote_address = vouching_ != nullptr ? peer_ : std::move(head_.remote_address);
    blank.secure_transport = head_.secure_transport;
    head_ = std::move(blank);
    body_left_ = 0;  // nothing to read
    co_await handler.HandleProtocolError(*this, error);
    co_await LingeringClose(linger);
  }

  const RequestHead& request() const override { return head_; }

  net::awaitable<Result<std::string_view>> ReadBody() override {
    auto got = co_await ReadBodyInto(body_buffer_);
    if (!got) co_return got.error();
    co_return std::string_view(body_buffer_.data(), *got);
  }

  net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) override {
    if (BodyDone() || out.empty()) co_return size_t{0};
    if (AwaitingContinue()) {
      continue_sent_ = true;
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
      auto [ec, n] = co_await bhttp::async_write(stream_, cont, kTuple);
      if (ec) co_return TransportError(ec);
    }
    if (body_left_) {
      auto got = co_await ReadSizedBody(out);
      if (got) body_bytes_read_ += *got;
      co_return got;
    }
    for (;;) {
      auto& body = parser_->get().body();
      body.data = out.data();
      body.size = out.size();
      beast::get_lowest_layer(stream_).expires_after(limits::kBodyStallTimeout);
      auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, *parser_, kTuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        close_ = true;
        co_return TransportError(ec);
      }
      size_t got = out.size() - parser_->get().body().size;
      body_bytes_read_ += got;
      if (got > 0 || parser_->is_done()) co_return got;
    }
  }

  net::awaitable<Result<void>> DiscardBody() override {
    for (;;) {
      auto piece = co_await ReadBody();
      if (!piece) co_return piece.error();
      if (piece->empty()) co_return Ok();
    }
  }

  net::awaitable<Result<void>> Respond(ResponseHead head, std::string body) override {
    co_return co_await RespondView(std::move(head), body);  // `body` lives in this frame
  }

  net::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view body) override {
    std::string head_bytes = StartResponse(head, body.size());
    if constexpr (kIsPlainTcp<Stream>) {
      // One gathering sendmsg for head and body.
      std::array<net::const_buffer, 2> buffers{net::buffer(head_bytes), net::buffer(body.data(), body.size())};
      auto [ec, n] = co_await net::async_write(stream_, buffers, kTuple);
      co_return Finished(ec);
    } else {
      // TLS: one contiguous buffer. A two-buffer async_write over Beast's ssl_stream (flat_stream)
      // was seen to complete after the first buffer, dropping the body; TLS copies into records
      // anyway.
      head_bytes.append(body);
      auto [ec, n] = co_await net::async_write(stream_, net::buffer(head_bytes), kTuple);
      co_return Finished(ec);
    }
  }

  net::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t content_length) override {
    std::string head_bytes = StartResponse(head, content_length);
    auto [ec, n] = co_await net::async_write(stream_, net::buffer(head_bytes), kTuple);
    co_return Finished(ec);
  }

  net::awaitable<Result<void>> WriteBody(std::string_view piece) override {
    beast::get_lowest_layer(stream_).expires_after(limits::kIdleTimeout);
    auto [ec, n] = co_await net::async_write(stream_, net::buffer(piece.data(), piece.size()), kTuple);
    co_return Finished(ec);
  }

  net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) override {
    if constexpr (kIsPlainTcp<Stream>) {
      co_return co_await SendFile(fd, offset, length);
    } else {
      co_return co_await CopyFile(fd, offset, length);
    }
  }

  bool response_started() const override { return response_started_; }
  uint64_t body_bytes_read() const override { return body_bytes_read_; }
  uint64_t response_body_bytes() const override { return response_body_bytes_; }
  int response_status() const override { return response_started_ ? response_status_ : 0; }
  void CloseAfterResponse() override { close_ = true; }

 private:
  // The serialized head of the response, with keep-alive decided and the write deadline set.
  std::string StartResponse(const ResponseHead& head, uint64_t content_length) {
    response_started_ = true;
    response_status_ = static_cast<int>(head.status);
    beast::get_lowest_layer(stream_).expires_after(limits::kIdleTimeout);
    std::optional<uint64_t> length;
    if (MayCarryContentLength(head.status)) length = content_length;
    bool has_body = length.has_value() && head_.method != bhttp::verb::head;
    response_body_bytes_ = has_body ? content_length : 0;
    return SerializeResponseHead(head, length, KeepAlive());
  }

  // A failed write ends the connection: the peer has an unknown part of the response.
  Result<void> Finished(const boost::system::error_code& ec) {
    if (!ec) return Ok();
    close_ = true;
    return TransportError(ec);
  }

  // Decided when the response starts, so that its head says "Connection: close" whenever the
  // connection will end: a client that is not told may send its next request into a closing
  // socket (botocore then reports a bodiless 400).
  bool KeepAlive() const {
    return !close_ && parser_ && parser_->keep_alive() && UnreadBodyIsDrainable();
  }

  // Whether what is left of the request body can be read and dropped to reuse the connection:
  // not when the client awaits a 100-continue it will never get (it will not send the body),
  // nor a chunked or large body nobody wants.
  bool UnreadBodyIsDrainable() const {
    if (BodyDone()) return true;
    if (AwaitingContinue()) return false;
    return !head_.chunked && head_.content_length <= kMaxDrainedBodyBytes;
  }

  bool AwaitingContinue() const {
    return !continue_sent_ &&
           bhttp::token_list{head_.fields[bhttp::field::expect]}.exists("100-continue");
  }

  // Waits up to kIdleTimeout for the first byte of the next request (none needed when a
  // pipelined one is already buffered): false when the peer closed or went quiet. The rest of the
  // head then has kRequestHeaderTimeout, so a client trickling its head byte by byte (slowloris)
  // holds its connection slot for that long, not for a fresh idle timeout per byte or in all.
  net::awaitable<bool> AwaitRequestStart() {
    if (buffer_.size() > 0) co_return true;
    beast::get_lowest_layer(stream_).expires_after(limits::kIdleTimeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kFirstReadBytes), kTuple);
    buffer_.commit(n);
    co_return !ec || n > 0;
  }

  // Reads the next request head: true to serve it, false when the connection should end
  // silently, or the error to answer before closing (a malformed head).
  net::awaitable<Result<bool>> ReadHead() {
    parser_.emplace();
    ApplyRequestLimits(*parser_);
    response_started_ = false;
    continue_sent_ = false;
    body_bytes_read_ = 0;
    response_body_bytes_ = 0;
    if (!co_await AwaitRequestStart()) co_return false;
    beast::get_lowest_layer(stream_).expires_after(limits::kRequestHeaderTimeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, *parser_, kTuple);
    if (ec) {
      const auto unparsed = buffer_.data();
      auto error = ProtocolError(
          ec, std::string_view(static_cast<const char*>(unparsed.data()), unparsed.size()));
      if (error) co_return std::move(*error);
      co_return false;
    }
    if (auto refused = CheckRequestHead(*parser_)) co_return std::move(*refused);
    const auto& req = parser_->get();
    head_.method = req.method();
    head_.method_string = std::string(req.method_string());
    head_.target = std::string(req.target());
    head_.fields = req.base();
    if (vouching_ != nullptr) head_.remote_address = vouching_->ClientAddress(peer_, head_.fields);
    head_.has_content_length = parser_->content_length().has_value();
    head_.content_length = parser_->content_length().value_or(0);
    head_.chunked = parser_->chunked();
    body_left_.reset();
    if (!head_.chunked && head_.has_content_length) body_left_ = head_.content_length;
    co_return true;
  }

  // After a response: drain a small unread body so the connection can be reused (KeepAlive()
  // said which when the response started).
  net::awaitable<bool> FinishBody() {
    if (!KeepAlive()) co_return false;
    if (BodyDone()) co_return true;
    auto r = co_await DiscardBody();
    co_return r.has_value();
  }

  bool BodyDone() const { return body_left_ ? *body_left_ == 0 : parser_->is_done(); }

  // A Content-Length body bypasses the parser: the bytes the head read left in buffer_ first,
  // then large reads straight from the stream into `out` (no copy through buffer_ and no
  // 512-byte reads sized by buffer_'s capacity). Fills `out`, or up to the body's end, so
  // hashing and file writes see large pieces. Each read has its own stall timeout.
  net::awaitable<Result<size_t>> ReadSizedBody(std::span<char> out) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(*body_left_, out.size()));
    size_t have = std::min(buffer_.size(), want);
    if (have > 0) {
      net::buffer_copy(net::buffer(out.data(), have), buffer_.data());
      buffer_.consume(have);
    }
    while (have < want) {
      beast::get_lowest_layer(stream_).expires_after(limits::kBodyStallTimeout);
      auto [ec, n] = co_await stream_.async_read_some(
          net::buffer(out.data() + have, want - have), kTuple);
      if (ec) {
        close_ = true;
        co_return TransportError(ec);
      }
      have += n;
    }
    *body_left_ -= want;
    co_return want;
  }

  net::awaitable<Result<void>> SendFile(int fd, uint64_t offset, uint64_t length) {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.native_non_blocking(true);
    off_t pos = static_cast<off_t>(offset);
    uint64_t left = length;
    while (left > 0) {
      ssize_t sent = ::sendfile(socket.native_handle(), fd, &pos, std::min<uint64_t>(left, 1 << 30));
      if (sent > 0) {
        left -= static_cast<uint64_t>(sent);
        continue;
      }
      if (sent < 0 && errno == EAGAIN && co_await WritableWithinIdleTimeout(socket)) continue;
      close_ = true;  // EPIPE/ECONNRESET (the peer left) or a peer that stopped reading
      co_return MakeError(ErrorCode::kInternalError, "sendfile failed");
    }
    co_return Ok();
  }

  // Waits until the socket takes more bytes; false when it failed or the peer read nothing for
  // the idle timeout (the raw wait is outside the stream's own timer, so it gets its own).
  net::awaitable<bool> WritableWithinIdleTimeout(net::ip::tcp::socket& socket) {
    using namespace net::experimental::awaitable_operators;
    beast::get_lowest_layer(stream_).expires_never();
    net::steady_timer deadline(socket.get_executor(), limits::kIdleTimeout);
    auto first = co_await (socket.async_wait(net::socket_base::wait_write, kTuple) ||
                           deadline.async_wait(kTuple));
    co_return first.index() == 0 && !std::get<0>(std::get<0>(first));
  }

  net::awaitable<Result<void>> CopyFile(int fd, uint64_t offset, uint64_t length) {
    uint64_t left = length;
    while (left > 0) {
      ssize_t got = ::pread(fd, body_buffer_.data(), std::min<uint64_t>(left, body_buffer_.size()),
                            static_cast<off_t>(offset));
      if (got <= 0) {
        close_ = true;
        co_return MakeError(ErrorCode::kInternalError, "read failed");
      }
      auto w = co_await WriteBody(std::string_view(body_buffer_.data(), static_cast<size_t>(got)));
      if (!w) co_return w;
      offset += static_cast<uint64_t>(got);
      left -= static_cast<uint64_t>(got);
    }
    co_return Ok();
  }

  // Ends the connection after an answer while the client may still be sending a body we will
  // not read. Closing with unread bytes makes the kernel send RST, which can discard the answer
  // before the client reads it: a client that writes its whole body before reading (Python's
  // http.client, requests) then sees a reset instead of the answer. So read and drop until the
  // client closes, for at most `linger` (RFC 9112 9.6). Plain TCP half-closes first, so the
  // client sees the end of the answer; TLS sends close_notify last, as OpenSSL refuses
  // application data after it.
  net::awaitable<void> LingeringClose(std::chrono::seconds linger) {
    if constexpr (kIsPlainTcp<Stream>) {
      co_await Shutdown();
      co_await DrainUntilPeerCloses(linger);
    } else {
      co_await DrainUntilPeerCloses(linger);
      co_await Shutdown();
    }
  }

  net::awaitable<void> DrainUntilPeerCloses(std::chrono::seconds linger) {
    const auto deadline = std::chrono::steady_clock::now() + linger;
    for (;;) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) co_return;
      beast::get_lowest_layer(stream_).expires_after(
          std::min<std::chrono::steady_clock::duration>(limits::kLingerAfterErrorTimeout, left));
      auto [ec, n] = co_await stream_.async_read_some(net::buffer(body_buffer_), kTuple);
      if (ec) co_return;
    }
  }

  net::awaitable<void> Shutdown() {
    if constexpr (kIsPlainTcp<Stream>) {
      boost::system::error_code ec;
      stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      auto [ec] = co_await stream_.async_shutdown(kTuple);
      (void)ec;
    }
  }

  Stream& stream_;
  beast::flat_buffer& buffer_;
  // Uninitialised: only the pages a body actually fills count towards RSS.
  std::unique_ptr<char[]> body_storage_;
  std::span<char> body_buffer_;
  std::optional<RequestParser> parser_;
  std::optional<uint64_t> body_left_;  // a Content-Length body's unread bytes (parser bypassed)
  RequestHead head_;
  const TrustedProxies* const vouching_;  // the peer is a trusted proxy: see ServeConnection
  std::string peer_;                      // its address, when vouching_
  bool response_started_ = false;
  bool continue_sent_ = false;
  bool close_ = false;
  int response_status_ = 0;
  uint64_t body_bytes_read_ = 0;      // this request's, for the metrics
  uint64_t response_body_bytes_ = 0;  // this response's body length (0 for HEAD, 304…)
};

}  // namespace

template <class Stream>
net::awaitable<void> ServeConnection(Stream& stream, beast::flat_buffer& buffer, Handler& handler,
                                     std::string remote_address, bool secure,
                                     const TrustedProxies* vouching) {
  Connection<Stream> connection(stream, buffer, std::move(remote_address), secure, vouching);
  co_await connection.Run(handler);
}

template <class Stream>
net::awaitable<void> RefuseConnection(Stream& stream, beast::flat_buffer& buffer, Handler& handler,
                                      std::string remote_address, bool secure, const Error& error) {
  Connection<Stream> connection(stream, buffer, std::move(remote_address), secure, nullptr);
  // Over the connection cap a descriptor matters more: linger only briefly.
  co_await connection.Refuse(handler, error, limits::kLingerAfterErrorTimeout);
}

template net::awaitable<void> RefuseConnection<beast::tcp_stream>(beast::tcp_stream&,
                                                                  beast::flat_buffer&, Handler&,
                                                                  std::string, bool, const Error&);
template net::awaitable<void> RefuseConnection<beast::ssl_stream<beast::tcp_stream>>(
    beast::ssl_stream<beast::tcp_stream>&, beast::flat_buffer&, Handler&, std::string, bool, const Error&);
template net::awaitable<void> ServeConnection<beast::tcp_stream>(beast::tcp_stream&,
                                                                 beast::flat_buffer&, Handler&,
                                                                 std::string, bool,
                                                                 const TrustedProxies*);
template net::awaitable<void> ServeConnection<beast::ssl_stream<beast::tcp_stream>>(
    beast::ssl_stream<beast::tcp_stream>&, beast::flat_buffer&, Handler&, std::string, bool,
    const TrustedProxies*);

}  // namespace kura::http
