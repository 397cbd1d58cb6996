// ParseForm: the application/x-www-form-urlencoded bodies and query strings of the Query
// protocol as boto3 and the AWS CLI send them.
#include <gtest/gtest.h>

#include "query/query_api.h"

namespace kura::query {
namespace {

using Params = std::map<std::string, std::string>;

TEST(ParseForm, DecodesABoto3AssumeRoleBody) {
  auto params = ParseForm(
      "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
      "&RoleSessionName=s3&Tags.member.1.Key=team&Tags.member.1.Value=blue+green"
      "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnly");
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ(*params, (Params{{"Action", "AssumeRole"},
                             {"Version", "2011-06-15"},
                             {"RoleArn", "arn:aws:iam::123456789012:role/r"},
                             {"RoleSessionName", "s3"},
                             {"Tags.member.1.Key", "team"},
                             {"Tags.member.1.Value", "blue green"},
                             {"PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnly"}}));
}

TEST(ParseForm, SkipsEmptyPairsReadsBareNamesAsEmptyAndKeepsTheLastOfARepeatedName) {
  auto params = ParseForm("&&Action&a=1&=x&a=2&b=%3D%26");
  ASSERT_TRUE(params);
  EXPECT_EQ(*params, (Params{{"Action", ""}, {"a", "2"}, {"", "x"}, {"b", "=&"}}));
  EXPECT_TRUE(ParseForm("")->empty());
}

TEST(ParseForm, RefusesBadPercentEscapesWithInvalidArgument) {
  for (const char* bad : {"a=%zz", "a=%4", "%=1", "a=%", "a%G0=1"}) {
    auto params = ParseForm(bad);
    ASSERT_FALSE(params) << bad;
    EXPECT_EQ(params.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace kura::query
