// KeyUsageTracker (iam/key_usage_tracker.h): a key's use is recorded only once the verifier
// matched its signature, with the service and region signed for, and reaches the store in
// batches that stay pending until a write succeeds.
#include "iam/key_usage_tracker.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "iam/iam_credential_resolver.h"
#include "iam_test_support.h"
#include "sigv4/canonical_request.h"
#include "sigv4/verifier.h"
#include "tests/sigv4/test_signer.h"

namespace kura::iam {
namespace {
using namespace testing;
using sigv4::testing_support::OwnedRequest;
using sigv4::testing_support::SignHeaders;
using sigv4::testing_support::SignParams;

int64_t Ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A KeyUsageLog that keeps the batches it was given, or fails while told to.
class RecordingLog final : public store::KeyUsageLog {
 public:
  Result<void> RecordKeyUses(const std::vector<store::KeyUse>& uses) override {
    ++calls;
    if (failing) return MakeError(ErrorCode::kServiceUnavailable, "down");
    batches.push_back(uses);
    return Ok();
  }
  Result<std::optional<store::KeyUse>> LastKeyUse(std::string_view) override {
    return std::optional<store::KeyUse>();
  }
  bool failing = false;
  int calls = 0;
  std::vector<std::vector<store::KeyUse>> batches;
};

class KeyUsageTrackerTest : public ::testing::Test {
 protected:
  KeyUsageTrackerTest()
      : source_(State()), clock_(*ParseAmzDate("20130524T000000Z")),
        resolver_(source_, usage_), verifier_(resolver_, clock_, "eu-west-1") {}
  static IdentityState State() {
    IdentityState s;
    auto u = MakeUser("alice");
    u->access_keys.push_back(AccessKey{"AKIAALICE", Secret("alice-secret"), true, {}});
    s.users["alice"] = u;
    return s;
  }
  // A GET of bucket "b" signed with alice's key (or `secret`), for S3 in the server's region.
  Result<sigv4::AuthResult> SignedGet(std::string secret = "alice-secret") {
    OwnedRequest request;
    request.target = "/b";
    request.headers = {{"Host", "s3.example.com"}};
    SignParams params;
    params.access_key_id = "AKIAALICE";
    params.secret = std::move(secret);
    params.region = "eu-west-1";
    SignHeaders(request, params, std::string(sigv4::kEmptySha256));
    return verifier_.Verify(request.View());
  }
  std::shared_ptr<const sigv4::CredentialUse> Use() { return usage_.UseOf("AKIAALICE"); }

  FixedSource source_;
  FakeClock clock_;
  KeyUsageTracker usage_{"eu-west-1"};
  IamCredentialResolver resolver_;
  sigv4::Verifier verifier_;
};

TEST_F(KeyUsageTrackerTest, ARequestWhoseSignatureFailsIsNoUse) {
  ASSERT_EQ(SignedGet("forged-secret").error().code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_FALSE(usage_.LastUse("AKIAALICE").has_value());
  ASSERT_TRUE(SignedGet().has_value());
  auto last = usage_.LastUse("AKIAALICE");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, (store::KeyUse{"AKIAALICE", Ms(clock_.Now()), "s3", "eu-west-1"}));
  // A forged request later moves nothing.
  clock_.Advance(std::chrono::minutes(3));
  ASSERT_FALSE(SignedGet("forged-secret").has_value());
  EXPECT_EQ(usage_.LastUse("AKIAALICE")->used_at_ms, last->used_at_ms);
}

TEST_F(KeyUsageTrackerTest, KeepsTheServiceAndRegionOfTheLatestUse) {
  TimePoint t = clock_.Now();
  Use()->Used(t, "", "iam", "us-east-1");
  EXPECT_EQ(*usage_.LastUse("AKIAALICE"), (store::KeyUse{"AKIAALICE", Ms(t), "iam", "us-east-1"}));
  Use()->Used(t + std::chrono::seconds(1), "", "sts", "ap-south-1");  // a region of no table
  EXPECT_EQ(*usage_.LastUse("AKIAALICE"),
            (store::KeyUse{"AKIAALICE", Ms(t) + 1000, "sts", "ap-south-1"}));
  Use()->Used(t + std::chrono::seconds(2), "", "execute-api", "eu-west-1");  // nor a service
  EXPECT_EQ(*usage_.LastUse("AKIAALICE"),
            (store::KeyUse{"AKIAALICE", Ms(t) + 2000, "execute-api", "eu-west-1"}));
  Use()->Used(t + std::chrono::seconds(3), "", "s3", "eu-west-1");
  EXPECT_EQ(*usage_.LastUse("AKIAALICE"),
            (store::KeyUse{"AKIAALICE", Ms(t) + 3000, "s3", "eu-west-1"}));
  // An earlier use told late (another thread's) does not move the time back.
  Use()->Used(t, "", "s3", "eu-west-1");
  EXPECT_EQ(usage_.LastUse("AKIAALICE")->used_at_ms, Ms(t) + 3000);
}

TEST_F(KeyUsageTrackerTest, FlushWritesChangedKeysAndKeepsThemPendingUntilAWriteSucceeds) {
  RecordingLog log;
  ASSERT_TRUE(usage_.Flush(log));
  EXPECT_EQ(log.calls, 0) << "nothing used, nothing written";
  usage_.UseOf("AKIAUNUSED");  // resolved, never verified: no use to write
  TimePoint t = clock_.Now();
  Use()->Used(t, "", "s3", "eu-west-1");
  log.failing = true;
  EXPECT_FALSE(usage_.Flush(log));
  log.failing = false;
  ASSERT_TRUE(usage_.Flush(log));
  ASSERT_EQ(log.batches.size(), 1u);
  EXPECT_EQ(log.batches[0],
            (std::vector<store::KeyUse>{{"AKIAALICE", Ms(t), "s3", "eu-west-1"}}));
  ASSERT_TRUE(usage_.Flush(log));
  EXPECT_EQ(log.batches.size(), 1u) << "written once";
  Use()->Used(t + std::chrono::seconds(5), "", "iam", "us-east-1");
  ASSERT_TRUE(usage_.Flush(log));
  ASSERT_EQ(log.batches.size(), 2u);
  EXPECT_EQ(log.batches[1][0].service, "iam");
}

}  // namespace
}  // namespace kura::iam
