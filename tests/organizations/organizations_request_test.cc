#include "organizations/organizations_request.h"

#include <gtest/gtest.h>

namespace kura::organizations {
namespace {

constexpr StringShape kEmail{6, 64, &IsEmail};

std::string ReasonOf(const Error& error) {
  for (const auto& [name, value] : error.details) {
    if (name == "Reason") return value;
  }
  return "";
}

TEST(OrganizationsRequest, AnEmptyBodyIsAnEmptyObject) {
  auto request = OrganizationsRequest::Parse("");
  ASSERT_TRUE(request.has_value());
  auto value = request->String("Email", kEmail);
  ASSERT_TRUE(value.has_value());
  EXPECT_FALSE(value->has_value());
}

TEST(OrganizationsRequest, ABodyThatIsNotAnObjectIsASerializationError) {
  for (std::string_view body : {"[1]", "{", "\"x\""}) {
    auto request = OrganizationsRequest::Parse(body);
    ASSERT_FALSE(request.has_value()) << body;
    EXPECT_EQ(request.error().aws_code(), "SerializationException");
  }
}

TEST(OrganizationsRequest, AMissingRequiredMemberIsInputRequired) {
  auto request = OrganizationsRequest::Parse(R"({"AccountName":"a"})");
  auto email = request->RequiredString("Email", kEmail);
  ASSERT_FALSE(email.has_value());
  EXPECT_EQ(email.error().aws_code(), "InvalidInputException");
  EXPECT_EQ(ReasonOf(email.error()), "INPUT_REQUIRED");
}

TEST(OrganizationsRequest, StringsAreCheckedAgainstTheirShape) {
  auto request = OrganizationsRequest::Parse(R"({"Short":"a@b.c","Long":")" + std::string(60, 'a') +
                                             R"(@b.com","Bad":"no-at-sign","Num":5})");
  EXPECT_EQ(ReasonOf(request->String("Short", kEmail).error()), "MIN_LENGTH_EXCEEDED");
  EXPECT_EQ(ReasonOf(request->String("Long", kEmail).error()), "MAX_LENGTH_EXCEEDED");
  EXPECT_EQ(ReasonOf(request->String("Bad", kEmail).error()), "INVALID_PATTERN");
  EXPECT_EQ(request->String("Num", kEmail).error().aws_code(), "SerializationException");
}

TEST(OrganizationsRequest, IntegersOutsideTheirRangeAreRefused) {
  auto request = OrganizationsRequest::Parse(R"({"Low":0,"High":21,"Fine":20})");
  EXPECT_EQ(ReasonOf(request->Int("Low", 1, 20).error()), "MIN_VALUE_EXCEEDED");
  EXPECT_EQ(ReasonOf(request->Int("High", 1, 20).error()), "MAX_VALUE_EXCEEDED");
  EXPECT_EQ(**request->Int("Fine", 1, 20), 20);
}

TEST(OrganizationsPatterns, EmailAsTheModelsPattern) {
  EXPECT_TRUE(IsEmail("a@b.co"));
  EXPECT_TRUE(IsEmail("team-a+x@accounts.kura.invalid"));
  EXPECT_FALSE(IsEmail("a@b"));
  EXPECT_FALSE(IsEmail("@b.com"));
  EXPECT_FALSE(IsEmail("a@.com"));
  EXPECT_FALSE(IsEmail("a@b."));
  EXPECT_FALSE(IsEmail("a b@c d"));
}

TEST(OrganizationsPatterns, NamesIdsAndRequestIds) {
  EXPECT_TRUE(IsPrintableAscii("Team A (prod)"));
  EXPECT_FALSE(IsPrintableAscii("tab\there"));
  EXPECT_FALSE(IsPrintableAscii("caf\xc3\xa9"));
  EXPECT_TRUE(IsRoleName("OrganizationAccountAccessRole"));
  EXPECT_FALSE(IsRoleName("bad/role"));
  EXPECT_TRUE(IsAccountId("123456789012"));
  EXPECT_FALSE(IsAccountId("12345678901a"));
  EXPECT_FALSE(IsAccountId("1234567890123"));
  EXPECT_TRUE(IsCreateAccountRequestId("car-0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsCreateAccountRequestId("car-0123"));
  EXPECT_FALSE(IsCreateAccountRequestId("car-0123456789ABCDEF"));
}

}  // namespace
}  // namespace kura::organizations
