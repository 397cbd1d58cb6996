#include "common/form_encoding.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

std::vector<std::pair<std::string, std::string>> Pairs(const UrlEncodedPairs& parsed) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : parsed.pairs) out.emplace_back(p.name, p.value);
  return out;
}

using Expected = std::vector<std::pair<std::string, std::string>>;

TEST(FormEncoding, DecodesPairsInOrderKeepingDuplicates) {
  auto parsed = ParseUrlEncodedPairs("b=2&a=%41%2f&b=3", false);
  EXPECT_FALSE(parsed.malformed);
  EXPECT_EQ(Pairs(parsed), (Expected{{"b", "2"}, {"a", "A/"}, {"b", "3"}}));
}

TEST(FormEncoding, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(Pairs(ParseUrlEncodedPairs("k+1=a+b%2B", true)), (Expected{{"k 1", "a b+"}}));
  EXPECT_EQ(Pairs(ParseUrlEncodedPairs("k+1=a+b%2B", false)), (Expected{{"k+1", "a+b+"}}));
}

TEST(FormEncoding, KeyWithoutEqualsAndEmptyValueBothGiveEmptyValue) {
  EXPECT_EQ(Pairs(ParseUrlEncodedPairs("acl&uploads=&x==y", false)),
            (Expected{{"acl", ""}, {"uploads", ""}, {"x", "=y"}}));
}

TEST(FormEncoding, SkipsEmptyPieces) {
  EXPECT_EQ(Pairs(ParseUrlEncodedPairs("&&a=1&&", false)), (Expected{{"a", "1"}}));
  EXPECT_TRUE(ParseUrlEncodedPairs("", true).pairs.empty());
  EXPECT_EQ(Pairs(ParseUrlEncodedPairs("=v", false)), (Expected{{"", "v"}}));
}

TEST(FormEncoding, StopsAtTheFirstMalformedEscapeKeepingEarlierPairs) {
  auto parsed = ParseUrlEncodedPairs("a=1&b=%zz&c=3", true);
  EXPECT_TRUE(parsed.malformed);
  EXPECT_EQ(Pairs(parsed), (Expected{{"a", "1"}}));
  EXPECT_TRUE(ParseUrlEncodedPairs("%4=x", false).malformed);
  EXPECT_TRUE(ParseUrlEncodedPairs("x=%", false).malformed);
}

}  // namespace
}  // namespace kura
