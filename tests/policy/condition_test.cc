// Condition operators, one table row per rule of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "policy/condition.h"
#include "policy/condition_values.h"
#include "policy_test_support.h"

namespace kura::policy {
namespace {

using Values = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct ConditionCase {
  const char* name;
  const char* condition;  // the Condition element's JSON
  Values context = {};
  bool expected = false;
  const char* version = "2012-10-17";
};

void PrintTo(const ConditionCase& c, std::ostream* os) { *os << c.name; }

bool Holds(const ConditionCase& c) {
  std::string doc = std::string("{") +
                    (c.version[0] ? std::string("\"Version\":\"") + c.version + "\"," : "") +
                    R"("Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":)" +
                    c.condition + "}}";
  auto policy = testing::MustParse(doc, PolicyKind::kIdentity);
  if (!policy) return false;
  RequestContext context;
  for (const auto& [k, v] : c.context) context.SetMulti(k, v);
  Principal p = testing::User("alice");
  Request request{.action = "s3:GetObject", .resource = "arn:aws:s3:::b/k", .principal = p,
                  .context = context};
  return Evaluate(*policy, request).effect == Effect::kAllow;
}

class ConditionTable : public ::testing::TestWithParam<ConditionCase> {};

TEST_P(ConditionTable, EvaluatesAsAwsDocuments) { EXPECT_EQ(Holds(GetParam()), GetParam().expected); }

const ConditionCase kCases[] = {
    // String operators and case rules.
    {"StringEqualsIsCaseSensitiveOnValues", R"({"StringEquals":{"aws:username":"Alice"}})", {{"aws:username", {"alice"}}}, false},
    {"StringEqualsMatches", R"({"StringEquals":{"aws:username":"alice"}})", {{"aws:username", {"alice"}}}, true},
    {"ConditionKeysAreCaseInsensitive", R"({"StringEquals":{"AWS:UserName":"alice"}})", {{"aws:username", {"alice"}}}, true},
    {"StringEqualsIgnoreCase", R"({"StringEqualsIgnoreCase":{"aws:username":"ALICE"}})", {{"aws:username", {"alice"}}}, true},
    {"StringNotEqualsIgnoreCase", R"({"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}})", {{"aws:username", {"alice"}}}, false},
    {"MultipleValuesAreOred", R"({"StringEquals":{"aws:username":["bob","alice"]}})", {{"aws:username", {"alice"}}}, true},
    {"MultipleKeysAreAnded", R"({"StringEquals":{"aws:username":"alice","aws:SourceVpc":"vpc-1"}})", {{"aws:username", {"alice"}}, {"aws:sourcevpc", {"vpc-2"}}}, false},
    {"MultipleOperatorsAreAnded", R"({"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}})", {{"aws:username", {"alice"}}, {"aws:SecureTransport", {"false"}}}, false},
    {"StringNotEqualsMatchesNoneOfTheValues", R"({"StringNotEquals":{"aws:username":["bob","carol"]}})", {{"aws:username", {"alice"}}}, true},
    {"StringNotEqualsFailsWhenAnyValueMatches", R"({"StringNotEquals":{"aws:username":["bob","alice"]}})", {{"aws:username", {"alice"}}}, false},
    {"StringLikeWildcards", R"({"StringLike":{"s3:prefix":["home/*","pub?ic/"]}})", {{"s3:prefix", {"public/"}}}, true},
    {"StringNotLike", R"({"StringNotLike":{"s3:prefix":"home/*"}})", {{"s3:prefix", {"home/x"}}}, false},
    // Absent keys.
    {"PositiveOperatorOnAbsentKeyIsFalse", R"({"StringEquals":{"aws:username":"alice"}})", {}, false},
    {"NegatedOperatorOnAbsentKeyIsTrue", R"({"StringNotEquals":{"aws:username":"alice"}})", {}, true},
    {"IfExistsOnAbsentKeyIsTrue", R"({"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}})", {}, true},
    {"IfExistsOnPresentKeyEvaluates", R"({"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}})", {{"ec2:InstanceType", {"m5.large"}}}, false},
    {"NumericIfExistsOnAbsentKeyIsTrue", R"({"NumericLessThanIfExists":{"s3:max-keys":"10"}})", {}, true},
    // Null.
    {"NullTrueMatchesAbsentKey", R"({"Null":{"aws:TokenIssueTime":"true"}})", {}, true},
    {"NullTrueFailsOnPresentKey", R"({"Null":{"aws:TokenIssueTime":"true"}})", {{"aws:TokenIssueTime", {"2020-01-01T00:00:00Z"}}}, false},
    {"NullFalseMatchesPresentKey", R"({"Null":{"aws:TokenIssueTime":"false"}})", {{"aws:TokenIssueTime", {"2020-01-01T00:00:00Z"}}}, true},
    {"NullFalseFailsOnAbsentKey", R"({"Null":{"aws:TokenIssueTime":false}})", {}, false},
    // Set qualifiers.
    {"ForAllValuesOnAbsentKeyIsTrue", R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","cost"]}})", {}, true},
    {"ForAllValuesOnSubsetIsTrue", R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","cost"]}})", {{"aws:TagKeys", {"env"}}}, true},
    {"ForAllValuesWithAnOutsiderIsFalse", R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","cost"]}})", {{"aws:TagKeys", {"env", "owner"}}}, false},
    {"ForAnyValueOnAbsentKeyIsFalse", R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}})", {}, false},
    {"ForAnyValueWithOneMatchIsTrue", R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}})", {{"aws:TagKeys", {"owner", "env"}}}, true},
    {"ForAnyValueNegatedNeedsOneOutsider", R"({"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}})", {{"aws:TagKeys", {"env", "owner"}}}, true},
    {"ForAllValuesNegatedNeedsAllOutside", R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}})", {{"aws:TagKeys", {"env", "owner"}}}, false},
    {"ForAllValuesIfExistsOnAbsentKey", R"({"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["e*"]}})", {}, true},
    // Numeric.
    {"NumericLessThanEquals", R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})", {{"s3:max-keys", {"10"}}}, true},
    {"NumericLessThan", R"({"NumericLessThan":{"s3:max-keys":10}})", {{"s3:max-keys", {"10"}}}, false},
    {"NumericGreaterThanDecimal", R"({"NumericGreaterThan":{"s3:max-keys":"9.5"}})", {{"s3:max-keys", {"10"}}}, true},
    {"NumericNotEquals", R"({"NumericNotEquals":{"s3:max-keys":["1","2"]}})", {{"s3:max-keys", {"3"}}}, true},
    {"NumericOnNonNumberIsFalse", R"({"NumericEquals":{"s3:max-keys":"10"}})", {{"s3:max-keys", {"ten"}}}, false},
    // Dates: ISO 8601 and epoch seconds on either side.
    {"DateGreaterThanIso", R"({"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}})", {{"aws:CurrentTime", {"2020-05-01T00:00:00Z"}}}, true},
    {"DateLessThanIso", R"({"DateLessThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}})", {{"aws:CurrentTime", {"2020-05-01T00:00:00Z"}}}, false},
    {"DateWithEpochPolicyValue", R"({"DateGreaterThanEquals":{"aws:EpochTime":"1585699200"}})", {{"aws:EpochTime", {"1585699200"}}}, true},
    {"DateMixedEpochAndIso", R"({"DateLessThan":{"aws:CurrentTime":"1585699201"}})", {{"aws:CurrentTime", {"2020-04-01T00:00:00Z"}}}, true},
    {"DateWithOffset", R"({"DateEquals":{"aws:CurrentTime":"2020-04-01T02:00:00+02:00"}})", {{"aws:CurrentTime", {"2020-04-01T00:00:00Z"}}}, true},
    {"DateNotEquals", R"({"DateNotEquals":{"aws:CurrentTime":"2020-04-01"}})", {{"aws:CurrentTime", {"2020-04-01T00:00:00Z"}}}, false},
    // Bool and Binary.
    {"BoolFalseSecureTransport", R"({"Bool":{"aws:SecureTransport":"false"}})", {{"aws:SecureTransport", {"false"}}}, true},
    {"BoolJsonLiteral", R"({"Bool":{"aws:SecureTransport":true}})", {{"aws:SecureTransport", {"true"}}}, true},
    {"BoolMismatch", R"({"Bool":{"aws:SecureTransport":"true"}})", {{"aws:SecureTransport", {"false"}}}, false},
    {"BoolIfExistsAbsent", R"({"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}})", {}, true},
    {"BinaryEqualsComparesDecodedBytes", R"({"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWU="}})", {{"s3:key", {"QmluYXJ5VmFsdWU="}}}, true},
    {"BinaryEqualsMismatch", R"({"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWU="}})", {{"s3:key", {"b3RoZXI="}}}, false},
    // IP addresses.
    {"IpAddressV4Cidr", R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}})", {{"aws:SourceIp", {"203.0.113.77"}}}, true},
    {"IpAddressV4Outside", R"({"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}})", {{"aws:SourceIp", {"192.0.3.1"}}}, false},
    {"IpAddressBareHost", R"({"IpAddress":{"aws:SourceIp":"192.0.2.7"}})", {{"aws:SourceIp", {"192.0.2.7"}}}, true},
    {"IpAddressV6Cidr", R"({"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}})", {{"aws:SourceIp", {"2001:db8:1234:5678:abcd::1"}}}, true},
    {"IpAddressV6Outside", R"({"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}})", {{"aws:SourceIp", {"2001:db8:1234:5679::1"}}}, false},
    {"IpAddressV4MappedV6Request", R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", {{"aws:SourceIp", {"::ffff:10.1.2.3"}}}, true},
    {"NotIpAddress", R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", {{"aws:SourceIp", {"192.168.0.1"}}}, true},
    {"IpAddressOddPrefix", R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/9"}})", {{"aws:SourceIp", {"10.128.0.1"}}}, false},
    // ARN operators.
    {"ArnLikeWildcards", R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Read*"}})", {{"aws:PrincipalArn", {testing::kRoleArn}}}, true},
    {"ArnEqualsAlsoTakesWildcards", R"({"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic"}})", {{"aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:topic"}}}, true},
    {"ArnNotLike", R"({"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}})", {{"aws:PrincipalArn", {testing::kRoleArn}}}, true},
    {"ArnOnNonArnIsFalse", R"({"ArnLike":{"aws:PrincipalArn":"*"}})", {{"aws:PrincipalArn", {"nope"}}}, false},
    // Policy variables in condition values.
    {"VariableInStringEquals", R"({"StringEquals":{"s3:prefix":"home/${aws:username}/"}})", {{"aws:username", {"alice"}}, {"s3:prefix", {"home/alice/"}}}, true},
    {"VariableValueIsLiteralInStringLike", R"({"StringLike":{"s3:prefix":"${aws:username}/x"}})", {{"aws:username", {"a*"}}, {"s3:prefix", {"abc/x"}}}, false},
    {"UnresolvableVariableDoesNotMatch", R"({"StringEquals":{"s3:prefix":"home/${aws:username}/"}})", {{"s3:prefix", {"home//"}}}, false},
    {"VariableDefaultValue", R"({"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'none'}"}})", {{"s3:prefix", {"none"}}}, true},
    {"SpecialCharacterVariables", R"({"StringEquals":{"s3:prefix":"${*}${?}${$}"}})", {{"s3:prefix", {"*?$"}}}, true},
    {"VariableKeyIsCaseInsensitive", R"({"StringEquals":{"s3:prefix":"${AWS:USERNAME}"}})", {{"aws:username", {"alice"}}, {"s3:prefix", {"alice"}}}, true},
    {"OidcStyleVariable", R"({"StringEquals":{"s3:prefix":"${accounts.google.com:sub}"}})", {{"accounts.google.com:sub", {"123"}}, {"s3:prefix", {"123"}}}, true},
    {"NoVariablesInVersion2008", R"({"StringEquals":{"s3:prefix":"${aws:username}"}})", {{"aws:username", {"alice"}}, {"s3:prefix", {"${aws:username}"}}}, true, "2008-10-17"},
    {"NoVariablesWithoutVersion", R"({"StringEquals":{"s3:prefix":"${aws:username}"}})", {{"aws:username", {"alice"}}, {"s3:prefix", {"alice"}}}, false, ""},
};

INSTANTIATE_TEST_SUITE_P(Operators, ConditionTable, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ConditionOperatorName, ParsesQualifiersAndIfExists) {
  auto op = ParseConditionOperator("ForAnyValue:StringNotLikeIfExists");
  ASSERT_TRUE(op);
  EXPECT_EQ(op->base, ConditionBase::kStringLike);
  EXPECT_TRUE(op->negated);
  EXPECT_TRUE(op->if_exists);
  EXPECT_EQ(op->qualifier, SetQualifier::kForAnyValue);
  EXPECT_FALSE(ParseConditionOperator("NullIfExists"));
  EXPECT_FALSE(ParseConditionOperator("StringEqualz"));
  EXPECT_FALSE(ParseConditionOperator("stringequals"));
}

TEST(ConditionValues, ParseDatesInEveryDocumentedForm) {
  EXPECT_EQ(ParseDateMillis("1970-01-02"), 86'400'000);
  EXPECT_EQ(ParseDateMillis("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(ParseDateMillis("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(ParseDateMillis("86400"), 86'400'000);
  EXPECT_FALSE(ParseDateMillis("yesterday"));
}

TEST(ConditionValues, RejectsMalformedCidrs) {
  EXPECT_FALSE(ParseIpBlock("10.0.0.0/33"));
  EXPECT_FALSE(ParseIpBlock("10.0.0/8"));
  EXPECT_FALSE(ParseIpBlock("::/129"));
  EXPECT_TRUE(ParseIpBlock("::/0"));
}

}  // namespace
}  // namespace kura::policy
