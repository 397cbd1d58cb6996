#include "api/audit_log.h"

#include <gtest/gtest.h>

namespace kura::api {
namespace {

TEST(AuditLog, FormatsOneLineOfQuotedFields) {
  Principal root;
  root.type = PrincipalType::kRoot;
  root.arn = "arn:aws:iam::111122223333:root";
  root.access_key_id = "AKID";
  AuditRecord r{"REQ1", &root, "s3", "GetObject", "arn:aws:s3:::b/k", 200, "", "127.0.0.1", 1.5};
  EXPECT_EQ(FormatAuditLine(r),
            "audit request_id=\"REQ1\" api=\"s3\" op=\"GetObject\" "
            "principal=\"arn:aws:iam::111122223333:root\" access_key=\"AKID\" "
            "resource=\"arn:aws:s3:::b/k\" status=200 remote=\"127.0.0.1\" ms=1.500\n");
}

TEST(AuditLog, EscapesQuotesBackslashesAndControlBytesSoFieldsCannotBeForged) {
  AuditRecord r{"R", nullptr, "s3", "PutObject", "a\"b\\c\nd\x7f" "e", 403, "AccessDenied", "", 0};
  std::string line = FormatAuditLine(r);
  EXPECT_NE(line.find(R"(resource="a\"b\\c\x0ad\x7fe")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"(error="AccessDenied")"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

}  // namespace
}  // namespace kura::api
