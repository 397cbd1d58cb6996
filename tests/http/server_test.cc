// The server's guards against running out of file descriptors: the connection cap derived from
// the open-file limit, the cap answered with the handler's SlowDown, and the acceptor's pause
// after accept(2) failed for want of a resource.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <initializer_list>
#include <string>
#include <thread>

#include "http/accept_backoff.h"
#include "http/server.h"

namespace kura::http {
namespace {

using tcp = net::ip::tcp;
using std::chrono::milliseconds;

TEST(ConnectionCap, KeepsRoomForTheProcesssOwnFilesAndOneBlobPerConnection) {
  EXPECT_EQ(ConnectionCap(0, 256), (256 - limits::kReservedFileDescriptors) / 2);
  EXPECT_EQ(ConnectionCap(0, 1024), (1024 - limits::kReservedFileDescriptors) / 2);
}

TEST(ConnectionCap, IsTheConfiguredFigureWhenThatFits) {
  EXPECT_EQ(ConnectionCap(10, 1024), 10);
  EXPECT_EQ(ConnectionCap(100000, 1024), (1024 - limits::kReservedFileDescriptors) / 2);
}

TEST(ConnectionCap, IsAtLeastOneEvenWithATinyLimit) {
  EXPECT_EQ(ConnectionCap(0, 10), 1);
  EXPECT_EQ(ConnectionCap(0, 0), 1);
}

TEST(AcceptBackoff, DoublesUpToTheMaximumAndStartsOverAfterASuccess) {
  AcceptBackoff backoff;
  EXPECT_TRUE(backoff.AtStart());
  EXPECT_EQ(backoff.Next(), milliseconds(10));
  EXPECT_FALSE(backoff.AtStart());
  EXPECT_EQ(backoff.Next(), milliseconds(20));
  for (int i = 0; i < 20; ++i) backoff.Next();
  EXPECT_EQ(backoff.Next(), limits::kAcceptBackoffMax);
  backoff.Reset();
  EXPECT_EQ(backoff.Next(), limits::kAcceptBackoffInitial);
}

TEST(AcceptBackoff, PausesOnlyForResourceExhaustion) {
  auto sys = [](int e) { return boost::system::error_code(e, boost::system::system_category()); };
  EXPECT_TRUE(IsResourceExhaustion(sys(EMFILE)));
  EXPECT_TRUE(IsResourceExhaustion(sys(ENFILE)));
  EXPECT_TRUE(IsResourceExhaustion(sys(ENOBUFS)));
  EXPECT_TRUE(IsResourceExhaustion(sys(ENOMEM)));
  EXPECT_FALSE(IsResourceExhaustion(sys(ECONNABORTED)));
  EXPECT_FALSE(IsResourceExhaustion(sys(EPERM)));
}

// Answers every request "ok" and a protocol error with its code.
class Answer final : public Handler {
 public:
  net::awaitable<void> Handle(Exchange& exchange) override {
    ResponseHead head;  // named: GCC 12 destroys a prvalue passed to a coroutine twice
    auto r = co_await exchange.Respond(std::move(head), "ok");
    (void)r;
  }
  net::awaitable<void> HandleProtocolError(Exchange& exchange, const Error& error) override {
    ResponseHead head{static_cast<bhttp::status>(error.http_status()), {}};
    auto r = co_await exchange.Respond(std::move(head), std::string(error.aws_code()));
    (void)r;
  }
};

// Everything the server sends until it closes.
std::string ReadToEnd(tcp::socket& socket) {
  std::string all;
  boost::system::error_code ec;
  net::read(socket, net::dynamic_buffer(all), ec);
  return all;
}

TEST(Server, AConnectionBeyondTheCapIsAnsweredSlowDownAndOneAfterAClosedOneIsServed) {
  Answer handler;
  ServerConfig config;
  config.port = 0;
  config.threads = 1;
  config.max_connections = 2;
  auto server = Server::Open(config, handler);
  ASSERT_TRUE(server) << server.error().message;
  std::thread thread([&] { (*server)->Run(); });
  net::io_context io;
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), (*server)->port());
  std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  auto served = [&](tcp::socket& s) {
    boost::system::error_code ec;
    net::write(s, net::buffer(get), ec);
    std::string reply(64, '\0');
    size_t n = s.read_some(net::buffer(reply), ec);
    return reply.substr(0, n);
  };

  tcp::socket first(io), second(io), third(io);
  first.connect(endpoint);
  second.connect(endpoint);
  EXPECT_TRUE(served(first).starts_with("HTTP/1.1 200 ")) << "the first two are served";
  EXPECT_TRUE(served(second).starts_with("HTTP/1.1 200 "));
  third.connect(endpoint);
  std::string refusal = ReadToEnd(third);  // answered without sending anything, then closed
  EXPECT_TRUE(refusal.starts_with("HTTP/1.1 503 ")) << refusal;
  EXPECT_NE(refusal.find("Connection: close\r\n"), std::string::npos) << refusal;
  EXPECT_TRUE(refusal.ends_with("\r\n\r\nSlowDown")) << refusal;

  first.close();
  // The slot frees once the server notices the close; a new connection is then served.
  std::string reply;
  for (int attempt = 0; attempt < 100; ++attempt) {
    tcp::socket next(io);
    next.connect(endpoint);
    reply = served(next);
    if (reply.starts_with("HTTP/1.1 200 ")) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 ")) << reply;

  (*server)->Stop();
  thread.join();
}

// Answers every request with a fixed body, to tell which listener's handler served it.
class Named final : public Handler {
 public:
  explicit Named(std::string name) : name_(std::move(name)) {}
  net::awaitable<void> Handle(Exchange& exchange) override {
    ResponseHead head;
    auto r = co_await exchange.Respond(std::move(head), name_);
    (void)r;
  }
  net::awaitable<void> HandleProtocolError(Exchange& exchange, const Error&) override {
    ResponseHead head{bhttp::status::bad_request, {}};
    auto r = co_await exchange.Respond(std::move(head), name_);
    (void)r;
  }

 private:
  std::string name_;
};

TEST(Server, AnAddedListenerServesItsOwnHandlerOnTheSameServerAndCap) {
  Named main_handler("main"), console_handler("console");
  ServerConfig config;
  config.port = 0;
  config.threads = 1;
  config.max_connections = 1;
  auto server = Server::Open(config, main_handler);
  ASSERT_TRUE(server) << server.error().message;
  auto console_port = (*server)->AddListener("127.0.0.1", 0, console_handler);
  ASSERT_TRUE(console_port) << console_port.error().message;
  EXPECT_NE(*console_port, (*server)->port());
  EXPECT_FALSE((*server)->AddListener("not an address", 0, console_handler));
  EXPECT_FALSE((*server)->AddListener("127.0.0.1", (*server)->port(), console_handler))
      << "a port in use is refused";
  std::thread thread([&] { (*server)->Run(); });
  net::io_context io;
  auto get = [&](uint16_t port) {
    tcp::socket s(io);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    net::write(s, net::buffer(request));
    return ReadToEnd(s);
  };
  EXPECT_TRUE(get((*server)->port()).ends_with("\r\n\r\nmain"));
  EXPECT_TRUE(get(*console_port).ends_with("\r\n\r\nconsole"));

  // One cap for both: a connection held open on the console port fills it for the main one.
  tcp::socket held(io);
  held.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), *console_port));
  std::string keep = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  net::write(held, net::buffer(keep));
  std::string reply(64, '\0');
  held.read_some(net::buffer(reply));
  EXPECT_EQ((*server)->open_connections(), 1);
  EXPECT_TRUE(get((*server)->port()).starts_with("HTTP/1.1 400 "))
      << "over the cap: answered through the main listener's handler, then closed";
  held.close();

  (*server)->Stop();
  thread.join();
}

// Answers every request with the source address the connection gave it.
class EchoSource final : public Handler {
 public:
  net::awaitable<void> Handle(Exchange& exchange) override {
    ResponseHead head;
    auto r = co_await exchange.Respond(std::move(head), exchange.request().remote_address);
    (void)r;
  }
  net::awaitable<void> HandleProtocolError(Exchange& exchange, const Error&) override {
    ResponseHead head{bhttp::status::bad_request, {}};
    auto r = co_await exchange.Respond(std::move(head), exchange.request().remote_address);
    (void)r;
  }
};

// The source address the server gives a request sent from 127.0.0.1 with `forwarded_for` lines.
std::string SourceOf(const std::string& trusted, std::initializer_list<std::string> forwarded_for) {
  EchoSource handler;
  ServerConfig config;
  config.port = 0;
  config.threads = 1;
  auto proxies = TrustedProxies::Parse(trusted);
  EXPECT_TRUE(proxies);
  if (proxies) config.trusted_proxies = std::move(proxies).value();
  auto server = Server::Open(config, handler);
  EXPECT_TRUE(server);
  if (!server) return "";
  std::thread thread([&] { (*server)->Run(); });
  net::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), (*server)->port()));
  std::string request = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (const auto& line : forwarded_for) request += "X-Forwarded-For: " + line + "\r\n";
  request += "Connection: close\r\n\r\n";
  net::write(s, net::buffer(request));
  std::string reply = ReadToEnd(s);
  (*server)->Stop();
  thread.join();
  return reply.substr(reply.find("\r\n\r\n") + 4);
}

TEST(Server, ARequestFromATrustedProxyHasTheSourceItsForwardedForNames) {
  EXPECT_EQ(SourceOf("127.0.0.1", {"203.0.113.5, 198.51.100.7"}), "198.51.100.7");
  EXPECT_EQ(SourceOf("127.0.0.0/8", {"198.51.100.7", "127.0.0.2"}), "198.51.100.7");
  EXPECT_EQ(SourceOf("127.0.0.1", {}), "127.0.0.1");
}

TEST(Server, ForwardedForFromAnyOtherPeerIsIgnored) {
  EXPECT_EQ(SourceOf("", {"198.51.100.7"}), "127.0.0.1");
  EXPECT_EQ(SourceOf("10.0.0.0/8", {"198.51.100.7"}), "127.0.0.1");
}

}  // namespace
}  // namespace kura::http
