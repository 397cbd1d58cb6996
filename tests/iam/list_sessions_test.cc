// IAM ListSessions (iam/sessions.cc, a kura extension): the XML of docs/operations.md's
// contract, the RoleName filter, pagination, and which sessions count as live (expired,
// deleted or re-created role, revoked by AWSRevokeOlderSessions).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <future>

#include "common/time_format.h"
#include "iam/iam_service.h"
#include "iam/identity_store.h"
#include "iam_test_support.h"
#include "store/memory/memory_metadata_store.h"

namespace kura::iam {
namespace {
using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint kNow = FromUnixSeconds(1790000000);  // 2026-09-21T…

class FakeSessions final : public LiveSessionSource {
 public:
  std::vector<LiveSession> List(std::string_view account_id, TimePoint now) const override {
    asked_account = std::string(account_id);
    std::vector<LiveSession> out;
    for (const LiveSession& s : sessions) {
      if (s.account_id == account_id && s.expires_at > now) out.push_back(s);
    }
    return out;
  }
  std::vector<LiveSession> sessions;
  mutable std::string asked_account;
};

std::string Revoke(TimePoint cutoff) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],)"
         R"("Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":")" +
         FormatIso8601Seconds(cutoff) + R"("}}}]})";
}

class ListSessionsTest : public ::testing::Test {
 protected:
  ListSessionsTest()
      : store_(
            std::move(IdentityStore::Open(metadata_, ManagementAccount(), TestSealer()).value())),
        service_(*store_, usage_, clock_, random_, &sessions_) {
    caller_.type = PrincipalType::kRoot;
    caller_.account_id = kAccount;
    caller_.arn = std::string("arn:aws:iam::") + kAccount + ":root";
    EXPECT_TRUE(Update([](IdentityState& s) -> Result<void> {
      s.roles[NameKey("uploader")] = MakeRole("uploader");
      s.roles[NameKey("reader")] = MakeRole("reader");
      return Ok();
    }));
  }

  Result<void> Update(const IdentityStore::Mutation& m) {
    std::promise<Result<void>> done;
    auto f = done.get_future();
    store_->Update(kAccount, m, [&done](Result<void> r) { done.set_value(std::move(r)); });
    return f.get();
  }

  LiveSession& AddSession(const std::string& key, const std::string& role_name, int age_seconds) {
    LiveSession s;
    s.access_key_id = key;
    s.account_id = kAccount;
    s.role_arn = IamArn(kAccount, "role", "/", role_name);
    s.role_id = "AROAXXXXXXXXXXXX" + role_name.substr(0, 4);
    s.session_name = "job-" + key;
    s.issuer_arn = IamArn(kAccount, "user", "/", "alice");
    s.issued_at = kNow - std::chrono::seconds(age_seconds);
    s.expires_at = s.issued_at + std::chrono::hours(1);
    sessions_.sessions.push_back(s);
    return sessions_.sessions.back();
  }

  Result<std::string> List(std::map<std::string, std::string> params = {}) {
    query::QueryCall call;
    call.action = "ListSessions";
    call.params = std::move(params);
    call.params["Action"] = "ListSessions";
    call.principal = std::make_shared<Principal>(caller_);
    call.request_id = "REQ1";
    const policy::EndpointRule* endpoint = service_.Find("ListSessions");
    EXPECT_NE(endpoint, nullptr);
    EXPECT_EQ(endpoint->iam_action, "kura:ListSessions");
    std::optional<Result<std::string>> out;
    boost::asio::io_context io;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> { out = co_await service_.Handle(*endpoint, call); },
        boost::asio::detached);
    io.run();
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : MakeError(ErrorCode::kInternalError, "did not finish");
  }

  std::vector<std::string> ListedKeys(const std::string& xml) {
    std::vector<std::string> keys;
    for (size_t at = xml.find("<AccessKeyId>"); at != std::string::npos;
         at = xml.find("<AccessKeyId>", at + 1)) {
      size_t begin = at + 13;
      keys.push_back(xml.substr(begin, xml.find('<', begin) - begin));
    }
    return keys;
  }

  store::MemoryMetadataStore metadata_;
  std::unique_ptr<IdentityStore> store_;
  KeyUsageTracker usage_{"us-east-1"};
  FakeClock clock_{kNow};
  SecureRandom random_;
  FakeSessions sessions_;
  IamService service_;
  Principal caller_;
};

TEST_F(ListSessionsTest, AnswersTheDocumentedXml) {
  LiveSession& s = AddSession("ASIAONE", "uploader", 60);
  s.source_identity = "alice@example.com";
  s.last_used_at = kNow - std::chrono::seconds(5);
  s.last_used_from = "192.0.2.7";
  auto r = List();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(sessions_.asked_account, kAccount);
  const std::string issued = FormatIso8601Seconds(kNow - std::chrono::seconds(60));
  const std::string expires =
      FormatIso8601Seconds(kNow - std::chrono::seconds(60) + std::chrono::hours(1));
  EXPECT_EQ(*r,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ListSessionsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            "<ListSessionsResult><Sessions><member>"
            "<AccessKeyId>ASIAONE</AccessKeyId>"
            "<RoleArn>arn:aws:iam::111122223333:role/uploader</RoleArn>"
            "<RoleSessionName>job-ASIAONE</RoleSessionName>"
            "<SourceIdentity>alice@example.com</SourceIdentity>"
            "<IssuerArn>arn:aws:iam::111122223333:user/alice</IssuerArn>"
            "<IssuedAt>" +
                issued +
                "</IssuedAt>"
                "<Expiration>" +
                expires +
                "</Expiration>"
                "<LastUsedAt>" +
                FormatIso8601Seconds(kNow - std::chrono::seconds(5)) +
                "</LastUsedAt>"
                "<LastUsedFrom>192.0.2.7</LastUsedFrom>"
                "</member></Sessions><IsTruncated>false</IsTruncated></ListSessionsResult>"
                "<ResponseMetadata><RequestId>REQ1</RequestId></ResponseMetadata>"
                "</ListSessionsResponse>");
}

TEST_F(ListSessionsTest, OmitsEmptyOptionalElements) {
  LiveSession& s = AddSession("ASIAUSER", "uploader", 60);
  s.role_arn.clear();  // a GetSessionToken session
  s.role_id.clear();
  s.session_name.clear();
  auto r = List();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_THAT(*r, HasSubstr("<AccessKeyId>ASIAUSER</AccessKeyId><IssuerArn>"));
  for (const char* absent : {"<RoleArn>", "<RoleSessionName>", "<SourceIdentity>", "<LastUsedAt>",
                             "<LastUsedFrom>", "<Marker>"}) {
    EXPECT_THAT(*r, Not(HasSubstr(absent)));
  }
}

TEST_F(ListSessionsTest, NewestFirstAndFilteredByRole) {
  AddSession("ASIAOLD", "uploader", 300);
  AddSession("ASIANEW", "uploader", 10);
  AddSession("ASIAREAD", "reader", 100);
  auto all = List();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(ListedKeys(*all), (std::vector<std::string>{"ASIANEW", "ASIAREAD", "ASIAOLD"}));
  auto uploader = List({{"RoleName", "uploader"}});
  ASSERT_TRUE(uploader.has_value());
  EXPECT_EQ(ListedKeys(*uploader), (std::vector<std::string>{"ASIANEW", "ASIAOLD"}));
  auto missing = List({{"RoleName", "nobody"}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNoSuchEntity);
  EXPECT_EQ(missing.error().message, "The role with name nobody cannot be found.");
}

TEST_F(ListSessionsTest, PagesWithMaxItemsAndMarker) {
  for (int i = 0; i < 5; ++i) AddSession("ASIA" + std::to_string(i), "uploader", 100 - i);
  std::vector<std::string> seen;
  std::map<std::string, std::string> params{{"MaxItems", "2"}};
  for (int page = 0; page < 3; ++page) {
    auto r = List(params);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const std::string& key : ListedKeys(*r)) seen.push_back(key);
    bool truncated = r->find("<IsTruncated>true</IsTruncated>") != std::string::npos;
    EXPECT_EQ(truncated, page < 2);
    if (!truncated) break;
    size_t at = r->find("<Marker>") + 8;
    params["Marker"] = r->substr(at, r->find("</Marker>") - at);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ASIA4", "ASIA3", "ASIA2", "ASIA1", "ASIA0"}));
  auto bad = List({{"MaxItems", "0"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationError);
}

TEST_F(ListSessionsTest, RevokedSessionsAreNotListed) {
  AddSession("ASIABEFORE", "uploader", 600);
  AddSession("ASIAAFTER", "uploader", 10);
  AddSession("ASIAREAD", "reader", 600);
  // What `kura sts revoke-sessions --role uploader` puts, 5 minutes ago.
  ASSERT_TRUE(Update([](IdentityState& s) -> Result<void> {
    auto role = std::make_shared<Role>(*s.roles.at(NameKey("uploader")));
    role->inline_policies.push_back(
        Inline("AWSRevokeOlderSessions", Revoke(kNow - std::chrono::seconds(300))));
    s.roles[NameKey("uploader")] = role;
    return Ok();
  }));
  auto r = List();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(ListedKeys(*r), (std::vector<std::string>{"ASIAAFTER", "ASIAREAD"}));
}

TEST_F(ListSessionsTest, ANarrowerDenyIsNoRevocation) {
  AddSession("ASIAONE", "uploader", 600);
  ASSERT_TRUE(Update([](IdentityState& s) -> Result<void> {
    auto role = std::make_shared<Role>(*s.roles.at(NameKey("uploader")));
    role->inline_policies.push_back(Inline("no-deletes", Deny("s3:DeleteObject", "*")));
    s.roles[NameKey("uploader")] = role;
    return Ok();
  }));
  auto r = List();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(ListedKeys(*r), (std::vector<std::string>{"ASIAONE"}));
}

TEST_F(ListSessionsTest, SessionsOfADeletedOrRecreatedRoleAreNotListed) {
  AddSession("ASIAUP", "uploader", 60);
  AddSession("ASIAREAD", "reader", 60);
  ASSERT_TRUE(Update([](IdentityState& s) -> Result<void> {
    s.roles.erase(NameKey("uploader"));
    auto again = MakeRole("reader");
    again->id = "AROANEWREADERROLE001";  // same name, new role
    s.roles[NameKey("reader")] = again;
    return Ok();
  }));
  auto r = List();
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(ListedKeys(*r).empty()) << *r;
}

TEST_F(ListSessionsTest, WithoutARegistryItSaysSo) {
  IamService off(*store_, usage_, clock_, random_);
  query::QueryCall call;
  call.action = "ListSessions";
  call.principal = std::make_shared<Principal>(caller_);
  std::optional<Result<std::string>> out;
  boost::asio::io_context io;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        out = co_await off.Handle(*off.Find("ListSessions"), call);
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->has_value());
  EXPECT_EQ(out->error().code, ErrorCode::kValidationError);
  EXPECT_THAT(out->error().message, HasSubstr("--sts-max-live-sessions 0"));
}

}  // namespace
}  // namespace kura::iam
