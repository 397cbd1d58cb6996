#include "common/client_error.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

TEST(ForClient, AServerFaultShowsTheTableMessageNotThePathOrErrnoText) {
  Error fault = MakeError(ErrorCode::kInternalError,
                          "write /var/lib/kura/tmp/0123.tmp: Input/output error");
  fault.details.push_back({"Path", "/var/lib/kura"});
  Error shown = ForClient(fault, "REQ1");
  EXPECT_EQ(shown.code, ErrorCode::kInternalError);
  EXPECT_EQ(shown.message, InfoFor(ErrorCode::kInternalError).default_message);
  EXPECT_TRUE(shown.details.empty());
  EXPECT_EQ(shown.message.find('/'), std::string::npos);
}

TEST(ForClient, AFullDiskKeepsItsCodeAndShowsTheTableMessage) {
  Error full = MakeError(ErrorCode::kInsufficientStorage,
                         "sqlite step: database or disk is full in INSERT INTO objects …");
  Error shown = ForClient(full, "REQ2");
  EXPECT_EQ(shown.http_status(), 507);
  EXPECT_EQ(shown.aws_code(), "InsufficientStorage");
  EXPECT_EQ(shown.message, InfoFor(ErrorCode::kInsufficientStorage).default_message);
}

TEST(ForClient, ClientFaultsAndNotImplementedKeepTheirMessages) {
  Error bad = MakeError(ErrorCode::kInvalidArgument, "x-amz-foo must be a number");
  bad.details.push_back({"ArgumentName", "x-amz-foo"});
  Error shown = ForClient(bad, "REQ3");
  EXPECT_EQ(shown.message, bad.message);
  EXPECT_EQ(shown.details, bad.details);
  Error unsupported = MakeError(ErrorCode::kNotImplemented, "x-amz-website-redirect-location");
  EXPECT_EQ(ForClient(unsupported, "REQ4").message, unsupported.message);
}

}  // namespace
}  // namespace kura
