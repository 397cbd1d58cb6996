#include "http/response_head.h"

#include <gtest/gtest.h>

namespace kura::http {
namespace {

TEST(ResponseHead, WritesStatusLineFieldsInOrderAndContentLength) {
  ResponseHead head{bhttp::status::ok, {}};
  head.fields.set("x-amz-request-id", "ABC");
  head.fields.set(bhttp::field::etag, "\"e\"");
  EXPECT_EQ(SerializeResponseHead(head, 4096, true),
            "HTTP/1.1 200 OK\r\nx-amz-request-id: ABC\r\nETag: \"e\"\r\nContent-Length: 4096\r\n\r\n");
}

TEST(ResponseHead, AddsConnectionCloseWhenNotKeptAlive) {
  ResponseHead head{bhttp::status::not_found, {}};
  EXPECT_EQ(SerializeResponseHead(head, 0, false),
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(ResponseHead, OmitsContentLengthWhenToldAndReplacesTheHandlersOwn) {
  ResponseHead head{bhttp::status::no_content, {}};
  head.fields.set(bhttp::field::content_length, "12");
  head.fields.set(bhttp::field::connection, "keep-alive");
  EXPECT_EQ(SerializeResponseHead(head, std::nullopt, true), "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(SerializeResponseHead(head, 3, true), "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n");
}

TEST(ResponseHead, NeverLetsAFieldValueBreakTheLine) {
  ResponseHead head{bhttp::status::ok, {}};
  head.fields.set(bhttp::field::content_type, "text/html\r\nSet-Cookie: a=b\n\r\nbody");
  EXPECT_EQ(SerializeResponseHead(head, 0, true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/html  Set-Cookie: a=b   body\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace kura::http
