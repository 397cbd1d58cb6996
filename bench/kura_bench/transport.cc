#include "kura_bench/transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace kura::bench {
namespace {

IoResult FromErrno() {
  if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::kWouldBlock, 0};
  return {IoStatus::kError, 0};
}

class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}
  IoResult Handshake() override { return {}; }

  IoResult Read(char* buffer, size_t size) override {
    ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n > 0) return {IoStatus::kOk, static_cast<size_t>(n)};
    if (n == 0) return {IoStatus::kEof, 0};
    return FromErrno();
  }

  IoResult Write(std::string_view first, std::string_view second) override {
    iovec iov[2] = {{const_cast<char*>(first.data()), first.size()},
                    {const_cast<char*>(second.data()), second.size()}};
    msghdr msg{};
    msg.msg_iov = first.empty() ? iov + 1 : iov;
    msg.msg_iovlen = first.empty() || second.empty() ? 1 : 2;
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n >= 0) return {IoStatus::kOk, static_cast<size_t>(n)};
    return FromErrno();
  }

 private:
  int fd_;
};

class TlsTransport final : public Transport {
 public:
  TlsTransport(int fd, SSL_CTX* context, const std::string& host, bool verify)
      : ssl_(SSL_new(context)) {
    SSL_set_fd(ssl_, fd);
    SSL_set_tlsext_host_name(ssl_, host.c_str());
    if (verify) SSL_set1_host(ssl_, host.c_str());
    SSL_set_connect_state(ssl_);
  }
  ~TlsTransport() override { SSL_free(ssl_); }

  IoResult Handshake() override { return Status(SSL_do_handshake(ssl_), 0); }

  IoResult Read(char* buffer, size_t size) override {
    size_t n = 0;
    int rc = SSL_read_ex(ssl_, buffer, size, &n);
    return Status(rc, n);
  }

  IoResult Write(std::string_view first, std::string_view second) override {
    std::string_view piece = first.empty() ? second : first;
    size_t n = 0;
    int rc = SSL_write_ex(ssl_, piece.data(), piece.size(), &n);
    return Status(rc, n);
  }

 private:
  IoResult Status(int rc, size_t n) {
    if (rc > 0) return {IoStatus::kOk, n};
    int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      return {IoStatus::kWouldBlock, 0};
    }
    ERR_clear_error();
    if (error == SSL_ERROR_ZERO_RETURN) return {IoStatus::kEof, 0};
    return {IoStatus::kError, 0};
  }

  SSL* ssl_;
};

}  // namespace

std::unique_ptr<Transport> MakePlainTransport(int fd) {
  return std::make_unique<PlainTransport>(fd);
}

std::unique_ptr<Transport> MakeTlsTransport(int fd, ssl_ctx_st* context, const std::string& host,
                                            bool verify) {
  return std::make_unique<TlsTransport>(fd, context, host, verify);
}

Result<ssl_ctx_st*> MakeTlsContext(const std::string& ca_file, bool insecure) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return MakeError(ErrorCode::kInternalError, "SSL_CTX_new failed");
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (insecure) {
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
    return context;
  }
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  int ok = ca_file.empty() ? SSL_CTX_set_default_verify_paths(context)
                           : SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr);
  if (ok != 1) {
    SSL_CTX_free(context);
    return MakeError(ErrorCode::kInvalidArgument, "cannot load CA certificates " + ca_file);
  }
  return context;
}

void FreeTlsContext(ssl_ctx_st* context) { SSL_CTX_free(context); }

}  // namespace kura::bench
