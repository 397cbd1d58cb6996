#include "common/error.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

TEST(Error, TableGivesAwsCodeStatusAndDefaultMessage) {
  Error e = MakeError(ErrorCode::kNoSuchKey);
  EXPECT_EQ(e.aws_code(), "NoSuchKey");
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_EQ(e.message, "The specified key does not exist.");
  EXPECT_EQ(InfoFor(ErrorCode::kInternalError).fault, Fault::Receiver);
}

TEST(Error, EveryCodeHasAMessage) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInvalidAuthorizationMessage); ++i) {
    EXPECT_FALSE(InfoFor(static_cast<ErrorCode>(i)).default_message.empty()) << i;
  }
}

Result<int> Half(int v) {
  if (v % 2) return MakeError(ErrorCode::kInvalidArgument, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  auto half = Half(v);
  if (!half) return half.error();
  return Half(*half);
}

TEST(Result, CarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "odd");
}

}  // namespace
}  // namespace kura
