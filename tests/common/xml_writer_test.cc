// XML text escaping: the five predefined entities and CR (which a parser would otherwise fold
// into LF), at the start, the middle and the end of plain runs.
#include "common/xml_writer.h"

#include <gtest/gtest.h>

namespace kura::xml {
namespace {

TEST(XmlEscape, EscapesTheFiveEntitiesAndCarriageReturnAnywhere) {
  EXPECT_EQ(Escape(""), "");
  EXPECT_EQ(Escape("plain text/with+symbols=ok"), "plain text/with+symbols=ok");
  EXPECT_EQ(Escape("&<>\"'\r"), "&amp;&lt;&gt;&quot;&apos;&#13;");
  EXPECT_EQ(Escape("a&b"), "a&amp;b");
  EXPECT_EQ(Escape("<start"), "&lt;start");
  EXPECT_EQ(Escape("end>"), "end&gt;");
  EXPECT_EQ(Escape("line\r\nnext\ttab"), "line&#13;\nnext\ttab");
  EXPECT_EQ(Escape("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes as it is
  std::string out = "kept:";
  AppendEscaped(out, "x<y");
  EXPECT_EQ(out, "kept:x&lt;y");
}

}  // namespace
}  // namespace kura::xml
