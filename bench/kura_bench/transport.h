// Byte transport over one non-blocking socket: plain TCP, or TLS through OpenSSL with the
// socket as its BIO. Reads and writes never block; kWouldBlock means "wait for the next epoll
// edge" (for TLS, either direction: a renegotiation may need the other one, so the connection
// registers both). Thread-safety: one owner; the SSL_CTX is shared read-only.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

struct ssl_ctx_st;

namespace kura::bench {

enum class IoStatus { kOk, kWouldBlock, kEof, kError };

struct IoResult {
  IoStatus status = IoStatus::kOk;
  size_t bytes = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Completes the TLS handshake (no-op for plain TCP): kOk when done.
  virtual IoResult Handshake() = 0;
  virtual IoResult Read(char* buffer, size_t size) = 0;
  // Writes from `first`, then `second`; returns the total written (gathered for TCP).
  virtual IoResult Write(std::string_view first, std::string_view second) = 0;
};

std::unique_ptr<Transport> MakePlainTransport(int fd);
std::unique_ptr<Transport> MakeTlsTransport(int fd, ssl_ctx_st* context, const std::string& host,
                                            bool verify);

// A client SSL_CTX: system roots (or ca_file), peer verification unless insecure. Owned by the
// caller (free with FreeTlsContext at exit).
Result<ssl_ctx_st*> MakeTlsContext(const std::string& ca_file, bool insecure);
void FreeTlsContext(ssl_ctx_st* context);

}  // namespace kura::bench
