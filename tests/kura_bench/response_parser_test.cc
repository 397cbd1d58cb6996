#include "kura_bench/response_parser.h"

#include <gtest/gtest.h>

namespace kura::bench {
namespace {

class CollectingSink : public BodySink {
 public:
  void OnBody(std::string_view bytes) override { body.append(bytes); }
  std::string body;
};

// Feeds `wire` in pieces of `step` bytes; returns the bytes consumed in total.
size_t FeedInSteps(ResponseParser& parser, std::string_view wire, size_t step,
                   CollectingSink& sink) {
  size_t used = 0;
  while (used < wire.size() && !parser.done()) {
    auto n = parser.Feed(wire.substr(used, step), sink);
    EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().message);
    if (!n) return used;
    used += *n;
  }
  return used;
}

TEST(ResponseParser, ReadsAContentLengthBody) {
  ResponseParser parser;
  parser.Reset(false);
  CollectingSink sink;
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"abc\"\r\n\r\nhello";
  EXPECT_EQ(FeedInSteps(parser, wire, wire.size(), sink), wire.size());
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.head().status, 200);
  EXPECT_EQ(parser.head().Find("etag"), "\"abc\"");
  EXPECT_TRUE(parser.head().keep_alive);
  EXPECT_EQ(sink.body, "hello");
}

TEST(ResponseParser, ReassemblesAResponseSplitAtEveryByte) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (size_t step : {1u, 2u, 3u, 7u, 64u}) {
    ResponseParser parser;
    parser.Reset(false);
    CollectingSink sink;
    EXPECT_EQ(FeedInSteps(parser, wire, step, sink), wire.size()) << step;
    EXPECT_TRUE(parser.done()) << step;
    EXPECT_EQ(sink.body, "hello, world") << step;
    EXPECT_EQ(parser.body_bytes(), 12u);
  }
}

TEST(ResponseParser, LeavesPipelinedBytesUnconsumed) {
  ResponseParser parser;
  parser.Reset(false);
  CollectingSink sink;
  std::string wire = "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n";
  auto n = parser.Feed(wire, sink);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 27u);
  EXPECT_TRUE(parser.done());
}

TEST(ResponseParser, ExpectsNoBodyAfterHead) {
  ResponseParser parser;
  parser.Reset(true);
  CollectingSink sink;
  auto n = parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n", sink);
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.head().content_length, 4096);
}

TEST(ResponseParser, ReadsUntilCloseWithoutLength) {
  ResponseParser parser;
  parser.Reset(false);
  CollectingSink sink;
  ASSERT_TRUE(parser.Feed("HTTP/1.0 200 OK\r\n\r\nabc", sink).has_value());
  EXPECT_FALSE(parser.done());
  EXPECT_FALSE(parser.head().keep_alive);
  ASSERT_TRUE(parser.OnEof().has_value());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(sink.body, "abc");
}

TEST(ResponseParser, HonoursConnectionClose) {
  ResponseParser parser;
  parser.Reset(false);
  CollectingSink sink;
  ASSERT_TRUE(parser.Feed("HTTP/1.1 503 Slow\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                          sink).has_value());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.head().status, 503);
  EXPECT_FALSE(parser.head().keep_alive);
}

TEST(ResponseParser, RejectsGarbage) {
  for (std::string wire : {"SMTP ready\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
                           "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                           "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n"}) {
    ResponseParser parser;
    parser.Reset(false);
    CollectingSink sink;
    EXPECT_FALSE(parser.Feed(wire, sink).has_value()) << wire;
  }
}

TEST(ResponseParser, FailsWhenClosedMidBody) {
  ResponseParser parser;
  parser.Reset(false);
  CollectingSink sink;
  ASSERT_TRUE(parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", sink).has_value());
  EXPECT_FALSE(parser.OnEof().has_value());
}

}  // namespace
}  // namespace kura::bench
