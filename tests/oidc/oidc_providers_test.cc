#include <gtest/gtest.h>

#include "iam/identity_store.h"
#include "iam/oidc_provider.h"
#include "sts/iam_role_directory.h"
#include "tests/iam/iam_test_support.h"

namespace kura::iam {
namespace {

OidcProvider Sample() {
  OidcProvider p;
  p.url = "https://idp.example.com/t1";
  p.key = "idp.example.com/t1";
  p.arn = OidcProviderArn("111122223333", p.key);
  p.client_ids = {"app", "cli"};
  p.thumbprints = {std::string(40, 'a')};
  p.created = FromUnixSeconds(1700000000);
  p.tags = {{"env", "prod"}};
  return p;
}

TEST(OidcProviderCodec, RoundTrips) {
  OidcProvider p = Sample();
  EXPECT_EQ(p.arn, "arn:aws:iam::111122223333:oidc-provider/idp.example.com/t1");
  auto decoded = DecodeOidcProvider(EncodeOidcProvider(p));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ((*decoded)->url, p.url);
  EXPECT_EQ((*decoded)->key, p.key);
  EXPECT_EQ((*decoded)->arn, p.arn);
  EXPECT_EQ((*decoded)->client_ids, p.client_ids);
  EXPECT_EQ((*decoded)->thumbprints, p.thumbprints);
  EXPECT_EQ((*decoded)->created, p.created);
  EXPECT_EQ((*decoded)->tags, p.tags);
}

TEST(OidcProviderCodec, RejectsCorruptDocuments) {
  for (std::string doc : {"", "[]", "{}", R"({"url":1})"}) {
    auto decoded = DecodeOidcProvider(doc);
    ASSERT_FALSE(decoded.has_value()) << doc;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInternalError);
  }
}

TEST(OidcProviderState, ProvidersArePersistedAsTheirOwnDocumentKind) {
  IdentityState before;
  IdentityState after;
  after.oidc_providers["idp.example.com/t1"] = std::make_shared<const OidcProvider>(Sample());
  auto writes = DiffStates(before, after, testing::TestSealer());
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].kind, kOidcProviderKind);
  EXPECT_EQ(writes[0].id, "idp.example.com/t1");
  auto removal = DiffStates(after, before, testing::TestSealer());
  ASSERT_EQ(removal.size(), 1u);
  EXPECT_FALSE(removal[0].value.has_value());
}

TEST(IamRoleDirectory, FindsOidcProvidersByKey) {
  IdentityState state;
  state.oidc_providers["idp.example.com/t1"] = std::make_shared<const OidcProvider>(Sample());
  testing::FixedSource source(std::move(state));
  sts::IamRoleDirectory roles(source);
  auto found = roles.FindOidcProvider("111122223333", "idp.example.com/t1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->arn, "arn:aws:iam::111122223333:oidc-provider/idp.example.com/t1");
  EXPECT_EQ(found->url, "https://idp.example.com/t1");
  EXPECT_EQ(found->client_ids, (std::vector<std::string>{"app", "cli"}));
  EXPECT_EQ(roles.FindOidcProvider("111122223333", "idp.example.com"), nullptr);
}

}  // namespace
}  // namespace kura::iam
