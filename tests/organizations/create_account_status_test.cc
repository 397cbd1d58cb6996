#include "organizations/create_account_status.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "organizations/organizations_request.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/support/memory_exchange.h"

namespace kura::organizations {
namespace {

CreateAccountStatus Succeeded() {
  return CreateAccountStatus{"car-0123456789abcdef0123456789abcdef",
                             "team",
                             "SUCCEEDED",
                             FromUnixSeconds(1700000000),
                             FromUnixSeconds(1700000001),
                             "123456789012",
                             ""};
}

TEST(CreateAccountStatus, RequestIdsMatchTheModelsPattern) {
  SecureRandom random;
  std::string id = NewCreateAccountRequestId(random);
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(IsCreateAccountRequestId(id)) << id;
  EXPECT_NE(id, NewCreateAccountRequestId(random));
}

TEST(CreateAccountStatus, JsonIsTheModelsShapeAndReadsBack) {
  boost::json::object o = StatusJson(Succeeded());
  EXPECT_EQ(o.at("State").as_string(), "SUCCEEDED");
  EXPECT_EQ(o.at("AccountId").as_string(), "123456789012");
  EXPECT_EQ(o.at("RequestedTimestamp").to_number<double>(), 1700000000.0);
  EXPECT_FALSE(o.contains("FailureReason"));
  auto back = ParseStatusJson(boost::json::serialize(o));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, Succeeded().id);
  EXPECT_EQ(back->completed, Succeeded().completed);
  EXPECT_EQ(back->account_id, "123456789012");
}

// Boost.JSON 1.81 parses about one double in eight one ulp off (~240 ns near 1.7e9 s): a status
// read back after a restart must still render exactly as it did when it was made (the e2e test
// compares the two, and botocore's microsecond rounding would see the difference).
TEST(CreateAccountStatus, TimestampsRenderTheSameAfterAStoredRoundTrip) {
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    CreateAccountStatus status = Succeeded();
    status.requested = FromUnixSeconds(1764683321) + std::chrono::nanoseconds(state % 1000000000000u);
    status.completed = status.requested + std::chrono::nanoseconds(state % 7919);
    std::string stored = boost::json::serialize(StatusJson(status));
    auto back = ParseStatusJson(stored);
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(boost::json::serialize(StatusJson(*back)), stored) << i;
  }
}

TEST(CreateAccountStatusLog, RecordedStatusesAreFoundAgainAfterReopening) {
  store::MemoryMetadataStore metadata;
  {
    auto log = CreateAccountStatusLog::Open(metadata);
    ASSERT_TRUE(log.has_value());
    ASSERT_TRUE(kura::testing::RunToEnd((*log)->Record(Succeeded())).has_value());
    EXPECT_TRUE((*log)->Find(Succeeded().id).has_value());
  }
  auto reopened = CreateAccountStatusLog::Open(metadata);
  ASSERT_TRUE(reopened.has_value());
  auto found = (*reopened)->Find(Succeeded().id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->account_name, "team");
  EXPECT_EQ((*reopened)->List().size(), 1u);
  EXPECT_FALSE((*reopened)->Find("car-ffffffffffffffff").has_value());
}

}  // namespace
}  // namespace kura::organizations
