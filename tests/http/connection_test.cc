// The connection's request-body reading over a real loopback socket: Content-Length bodies
// (read past Beast's parser, straight into the body buffer) arrive whole, in order and never
// past their end (pipelined requests), Transfer-Encoding: chunked still decodes, a body cut short
// is kIncompleteBody, and Expect: 100-continue is answered when the body is first read.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <string>
#include <thread>

#include "http/server.h"

namespace kura::http {
namespace {

using tcp = net::ip::tcp;

// FNV-1a, enough to tell bodies apart.
uint64_t Fingerprint(std::string_view bytes, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (auto& c : s) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

// Reads the whole body and answers "size fingerprint", or the error's AWS code.
class BodyEcho final : public Handler {
 public:
  net::awaitable<void> Handle(Exchange& exchange) override {
    if (exchange.request().target == "/refuse") {  // answers without reading the body
      exchange.CloseAfterResponse();
      ResponseHead head{bhttp::status::forbidden, {}};
      auto r = co_await exchange.Respond(std::move(head), "AccessDenied");
      (void)r;
      co_return;
    }
    uint64_t size = 0, h = 1469598103934665603ULL;
    std::string answer;
    for (;;) {
      auto piece = co_await exchange.ReadBody();
      if (!piece) {
        answer = std::string(piece.error().aws_code());
        last_error = answer;
        break;
      }
      if (piece->empty()) {
        answer = std::to_string(size) + " " + std::to_string(h);
        break;
      }
      size += piece->size();
      h = Fingerprint(*piece, h);
    }
    if (exchange.request().target == "/silent") co_return;  // the connection answers 500
    ResponseHead head;
    auto r = co_await exchange.Respond(std::move(head), answer);
    (void)r;
  }
  // Answers "Code Message" with the error's status.
  net::awaitable<void> HandleProtocolError(Exchange& exchange, const Error& error) override {
    ResponseHead head{static_cast<bhttp::status>(error.http_status()), {}};
    auto r = co_await exchange.Respond(std::move(head), std::string(error.aws_code()) + " " + error.message);
    (void)r;
  }
  std::string last_error;
};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.port = 0;
    config.threads = 1;
    auto server = Server::Open(config, handler_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    thread_ = std::thread([this] { server_->Run(); });
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  }
  void TearDown() override {
    boost::system::error_code ec;
    socket_.close(ec);
    server_->Stop();
    thread_.join();
  }

  void Send(std::string_view bytes) {
    net::write(socket_, net::buffer(bytes.data(), bytes.size()));
  }

  // The next response's body (responses carry Content-Length).
  std::string ReadResponse() {
    net::read_until(socket_, in_, "\r\n\r\n");
    std::string all(net::buffers_begin(in_.data()), net::buffers_end(in_.data()));
    size_t end = all.find("\r\n\r\n") + 4;
    std::string head = all.substr(0, end);
    size_t at = head.find("Content-Length: ");
    size_t length = std::stoul(head.substr(at + 16));
    in_.consume(end);
    if (in_.size() < length) net::read(socket_, in_, net::transfer_exactly(length - in_.size()));
    std::string body(net::buffers_begin(in_.data()), net::buffers_begin(in_.data()) + length);
    in_.consume(length);
    last_head_ = head;
    return body;
  }

  // True when the server has closed the connection (EOF) once the response was read.
  bool ServerClosed() {
    boost::system::error_code ec;
    char byte;
    net::read(socket_, net::buffer(&byte, 1), ec);
    return ec == net::error::eof;
  }

  static std::string Put(size_t length, std::string_view extra = "") {
    return "PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) + "\r\n" +
           std::string(extra) + "\r\n";
  }
  static std::string Expect(const std::string& body) {
    return std::to_string(body.size()) + " " + std::to_string(Fingerprint(body));
  }

  BodyEcho handler_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  net::io_context client_io_;
  tcp::socket socket_{client_io_};
  net::streambuf in_;
  std::string last_head_;
};

TEST_F(ConnectionTest, AContentLengthBodyLargerThanTheBodyBufferArrivesWholeAndInOrder) {
  std::string body = Pattern(3 * 1024 * 1024 + 5);
  Send(Put(body.size()));
  Send(body);
  EXPECT_EQ(ReadResponse(), Expect(body));
}

TEST_F(ConnectionTest, PipelinedRequestsAreNotReadPastTheirBodies) {
  std::string first = Pattern(100000), second = Pattern(7);
  Send(Put(first.size()) + first + Put(second.size()) + second + Put(0));
  EXPECT_EQ(ReadResponse(), Expect(first));
  EXPECT_EQ(ReadResponse(), Expect(second));
  EXPECT_EQ(ReadResponse(), Expect(""));
}

TEST_F(ConnectionTest, ABodyWhoseStartCameWithTheHeadIsReadFromTheRightPlace) {
  std::string body = Pattern(2 * 1024 * 1024);
  Send(Put(body.size()) + body.substr(0, 300));
  Send(body.substr(300));
  EXPECT_EQ(ReadResponse(), Expect(body));
}

TEST_F(ConnectionTest, ChunkedTransferEncodingIsDecoded) {
  Send(
      "PUT /b/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(ReadResponse(), Expect("hello world"));
}

TEST_F(ConnectionTest, ABodyCutShortIsAnIncompleteBody) {
  Send(Put(5 * 1024 * 1024) + Pattern(1024 * 1024 + 17));
  socket_.shutdown(tcp::socket::shutdown_send);
  EXPECT_EQ(ReadResponse(), "IncompleteBody");
}

TEST_F(ConnectionTest, ExpectContinueIsAnsweredWhenTheBodyIsFirstRead) {
  std::string body = Pattern(70000);
  Send(Put(body.size(), "Expect: 100-continue\r\n"));
  net::read_until(socket_, in_, "\r\n\r\n");
  std::string interim(net::buffers_begin(in_.data()), net::buffers_end(in_.data()));
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n")) << interim;
  in_.consume(interim.find("\r\n\r\n") + 4);
  Send(body);
  EXPECT_EQ(ReadResponse(), Expect(body));
}

TEST_F(ConnectionTest, AHandlerThatDoesNotRespondGetsAnInternalErrorAndTheConnectionGoesOn) {
  Send("GET /silent HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ReadResponse(), "");
  EXPECT_TRUE(last_head_.starts_with("HTTP/1.1 500")) << last_head_;
  Send(Put(3) + "abc");
  EXPECT_EQ(ReadResponse(), Expect("abc"));
}

struct Malformed {
  std::string head;
  std::string status_line;
  std::string code;
};

void PrintTo(const Malformed& m, std::ostream* out) { *out << ::testing::PrintToString(m.head); }

class MalformedRequestTest : public ConnectionTest, public ::testing::WithParamInterface<Malformed> {};

TEST_P(MalformedRequestTest, IsAnsweredWithAnErrorAndConnectionClose) {
  Send(GetParam().head);
  std::string body = ReadResponse();
  EXPECT_TRUE(last_head_.starts_with(GetParam().status_line + "\r\n")) << last_head_;
  EXPECT_NE(last_head_.find("\r\nConnection: close\r\n"), std::string::npos) << last_head_;
  EXPECT_TRUE(body.starts_with(GetParam().code + " ")) << body;
  EXPECT_GT(body.size(), GetParam().code.size() + 1) << "an empty message";
  EXPECT_TRUE(ServerClosed());
}

std::string Get(std::string_view fields) {
  return "GET /b/k HTTP/1.1\r\nHost: x\r\n" + std::string(fields) + "\r\n";
}

const std::string kBad = "HTTP/1.1 400 Bad Request";

INSTANTIATE_TEST_SUITE_P(
    ConnectionTest, MalformedRequestTest,
    ::testing::Values(
        Malformed{Get("Content-Length: -1\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: abc\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: +3\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: 18446744073709551616\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: 3\r\nContent-Length: 4\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: 3, 4\r\n"), kBad, "BadRequest"},
        Malformed{Get("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"), kBad, "BadRequest"},
        Malformed{Get("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"), kBad, "BadRequest"},
        Malformed{Get("Transfer-Encoding: chunked, gzip\r\n"), kBad, "BadRequest"},
        Malformed{std::string("GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 30), kBad, "InvalidURI"},
        Malformed{Get(std::string("X-A: a\0b\r\n", 10)), kBad, "BadRequest"},
        Malformed{Get("NoColonHere\r\n"), kBad, "BadRequest"},
        Malformed{"GET /b/k HTTP/1.1\nHost: x\n\n", kBad, "BadRequest"},
        Malformed{"GET /\r\n\r\n", kBad, "BadRequest"},
        Malformed{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported",
                  "HTTPVersionNotSupported"},
        Malformed{"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported",
                  "HTTPVersionNotSupported"},
        Malformed{Get("X-Big: " + std::string(20000, 'a') + "\r\n"), kBad,
                  "RequestHeaderSectionTooLarge"}));

// Issue #13: a client that writes its whole body before it reads the answer (Python's
// http.client, requests) must find the answer, not a reset: the server reads and drops what is
// still coming until the client closes. Larger than loopback's socket buffers.
constexpr size_t kLargerThanSocketBuffers = 32 * 1024 * 1024;

TEST_F(ConnectionTest, AMalformedHeadIsAnsweredToAClientThatFirstSendsItsWholeBody) {
  boost::system::error_code ec;
  std::string request = "PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n" +
                        Pattern(kLargerThanSocketBuffers);
  net::write(socket_, net::buffer(request), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(ReadResponse().starts_with("BadRequest ")) << last_head_;
  EXPECT_TRUE(last_head_.starts_with(kBad)) << last_head_;
  EXPECT_TRUE(ServerClosed());
}

TEST_F(ConnectionTest, ARefusedUploadIsAnsweredToAClientThatFirstSendsItsWholeBody) {
  boost::system::error_code ec;
  std::string request = "PUT /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                        std::to_string(kLargerThanSocketBuffers) + "\r\n\r\n" +
                        Pattern(kLargerThanSocketBuffers);
  net::write(socket_, net::buffer(request), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(ReadResponse(), "AccessDenied");
  EXPECT_TRUE(last_head_.starts_with("HTTP/1.1 403 Forbidden\r\n")) << last_head_;
  EXPECT_TRUE(ServerClosed());
}

TEST_F(ConnectionTest, AMalformedRequestAfterAGoodOneOnTheSameConnectionIsAnswered) {
  Send(Put(3) + "abc");
  EXPECT_EQ(ReadResponse(), Expect("abc"));
  Send(Get("Content-Length: x\r\n"));
  EXPECT_TRUE(ReadResponse().starts_with("BadRequest ")) << last_head_;
  EXPECT_TRUE(last_head_.starts_with(kBad)) << last_head_;
  EXPECT_TRUE(ServerClosed());
}

}  // namespace
}  // namespace kura::http
