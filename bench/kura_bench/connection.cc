#include "kura_bench/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kura::bench {
namespace {

constexpr size_t kReadBufferSize = 256 * 1024;
constexpr uint32_t kReadableEvents = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;

}  // namespace

Connection::Connection(EventLoop& loop, const Endpoint& endpoint, ssl_ctx_st* tls,
                       bool verify_tls, ConnectionListener& listener)
    : loop_(loop),
      endpoint_(endpoint),
      tls_(tls),
      verify_tls_(verify_tls),
      listener_(listener),
      buffer_(new char[kReadBufferSize]) {}

Connection::~Connection() { Close(); }

void Connection::Send(OutgoingRequest request, BodySink& sink) {
  request_ = std::move(request);
  sink_ = &sink;
  head_sent_ = 0;
  sent_ = false;
  got_first_byte_ = false;
  parser_.Reset(request_.head_request);
  busy_ = true;
  pending_ = Pending::kNone;
  if (phase_ == Phase::kClosed) Open();
  Progress(/*readable=*/false);
  Notify();
}

void Connection::OnEvents(uint32_t epoll_events) {
  if (!busy_) {
    // The server closed an idle keep-alive connection: reconnect on the next Send.
    if ((epoll_events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) Close();
    return;
  }
  if (phase_ == Phase::kConnecting) {
    int error = 0;
    socklen_t length = sizeof(error);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      Fail(std::string("connect: ") + std::strerror(error));
      Notify();
      return;
    }
    if ((epoll_events & EPOLLOUT) == 0) return;
    phase_ = tls_ != nullptr ? Phase::kHandshake : Phase::kOpen;
  }
  Progress((epoll_events & kReadableEvents) != 0);
  Notify();
}

void Connection::Open() {
  fd_ = ::socket(endpoint_.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Fail(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  transport_ = tls_ != nullptr ? MakeTlsTransport(fd_, tls_, endpoint_.host, verify_tls_)
                               : MakePlainTransport(fd_);
  if (auto added = loop_.Add(fd_, this); !added) return Fail(added.error().message);
  int rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&endpoint_.address),
                     endpoint_.address_length);
  if (rc == 0) {
    phase_ = tls_ != nullptr ? Phase::kHandshake : Phase::kOpen;
  } else if (errno == EINPROGRESS) {
    phase_ = Phase::kConnecting;
  } else {
    Fail(std::string("connect: ") + std::strerror(errno));
  }
}

void Connection::Close() {
  if (fd_ < 0) return;
  loop_.Remove(fd_);
  transport_.reset();
  ::close(fd_);
  fd_ = -1;
  phase_ = Phase::kClosed;
}

void Connection::Progress(bool readable) {
  if (!busy_ || pending_ != Pending::kNone) return;
  if (phase_ == Phase::kHandshake) {
    IoResult r = transport_->Handshake();
    if (r.status == IoStatus::kWouldBlock) return;
    if (r.status != IoStatus::kOk) return Fail("TLS handshake failed");
    phase_ = Phase::kOpen;
    readable = true;  // the handshake may have read application data already
  }
  if (phase_ != Phase::kOpen) return;
  if (!sent_ && !WriteRequest()) {
    if (busy_ && pending_ == Pending::kNone && readable) ReadResponse();  // early error reply
    return;
  }
  if (readable || tls_ != nullptr) ReadResponse();
}

bool Connection::WriteRequest() {
  while (true) {
    std::string_view head = std::string_view(request_.head).substr(head_sent_);
    std::string_view body = request_.body != nullptr ? request_.body->Peek() : std::string_view();
    if (head.empty() && body.empty()) {
      sent_ = true;
      return true;
    }
    IoResult r = transport_->Write(head, body);
    if (r.status == IoStatus::kWouldBlock) return false;
    if (r.status != IoStatus::kOk) {
      Fail("write failed");
      return false;
    }
    size_t from_head = std::min(r.bytes, head.size());
    head_sent_ += from_head;
    if (r.bytes > from_head) request_.body->Advance(r.bytes - from_head);
  }
}

void Connection::ReadResponse() {
  while (pending_ == Pending::kNone) {
    IoResult r = transport_->Read(buffer_.get(), kReadBufferSize);
    if (r.status == IoStatus::kWouldBlock) return;
    if (r.status == IoStatus::kError) return Fail("read failed");
    if (r.status == IoStatus::kEof) {
      auto finished = parser_.OnEof();
      return finished ? Complete() : Fail(finished.error().message);
    }
    if (!got_first_byte_) {
      first_byte_ = std::chrono::steady_clock::now();
      got_first_byte_ = true;
    }
    auto used = parser_.Feed(std::string_view(buffer_.get(), r.bytes), *sink_);
    if (!used) return Fail(used.error().message);
    if (parser_.done()) return Complete();
  }
}

void Connection::Complete() {
  if (!parser_.head().keep_alive || !sent_) Close();
  pending_ = Pending::kResponse;
}

void Connection::Fail(const std::string& why) {
  Close();
  failure_ = why;
  pending_ = Pending::kFailure;
}

// Tells the listener last, so that it may Send the next request from its callback.
void Connection::Notify() {
  Pending pending = pending_;
  if (pending == Pending::kNone) return;
  pending_ = Pending::kNone;
  busy_ = false;
  request_.body.reset();
  if (pending == Pending::kResponse) {
    listener_.OnResponse(parser_.head(), got_first_byte_ ? first_byte_ : SteadyTime{});
  } else {
    listener_.OnFailure(failure_);
  }
}

}  // namespace kura::bench
