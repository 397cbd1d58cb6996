#include "api/request_ids.h"

#include <gtest/gtest.h>

#include <set>

namespace kura::api {
namespace {

TEST(RequestIds, AreSixteenUpperCaseHexCharacters) {
  FakeRandom random(7);
  RequestIds ids(random);
  std::string id = ids.Next();
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEF"), std::string::npos);
}

TEST(RequestIds, NeverRepeatAndDoNotCountVisibly) {
  FakeRandom random(7);
  RequestIds ids(random);
  std::set<std::string> seen;
  std::string previous = ids.Next();
  for (int i = 0; i < 10000; ++i) {
    std::string id = ids.Next();
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_NE(id.substr(0, 8), previous.substr(0, 8));  // consecutive ids differ throughout
    previous = id;
  }
}

TEST(RequestIds, DifferBetweenProcessesSeededDifferently) {
  FakeRandom a(1), b(2);
  EXPECT_NE(RequestIds(a).Next(), RequestIds(b).Next());
}

}  // namespace
}  // namespace kura::api
