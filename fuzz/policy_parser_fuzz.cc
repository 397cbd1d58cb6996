// Fuzzes ParsePolicy with every PolicyKind and, for documents that compile, evaluates them against
// a few fixed requests (so variables, wildcards and conditions run on fuzzed patterns too).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/context_keys.h"
#include "policy/policy.h"

namespace {

kura::Principal MakeSession() {
  kura::Principal p;
  p.type = kura::PrincipalType::kAssumedRole;
  p.account_id = "111122223333";
  p.arn = "arn:aws:sts::111122223333:assumed-role/R/s";
  p.user_id = "AROAR:s";
  kura::SessionInfo s;
  s.role_arn = "arn:aws:iam::111122223333:role/R";
  s.tags = {{"team", "blue"}};
  p.session = s;
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const kura::Principal session = MakeSession();
  static const kura::policy::RequestContext context = [] {
    kura::policy::RequestFacts facts;
    facts.source_ip = "2001:db8::1";
    auto c = kura::policy::BuildRequestContext(session, facts);
    c.SetMulti("aws:TagKeys", {"a", "b"});
    c.Set("s3:prefix", "home/a*b?/");
    return c;
  }();
  for (auto kind : {kura::policy::PolicyKind::kIdentity, kura::policy::PolicyKind::kResource,
                    kura::policy::PolicyKind::kTrust, kura::policy::PolicyKind::kSession}) {
    auto parsed = kura::policy::ParsePolicy(text, kind, "fuzz");
    if (!parsed) continue;
    for (std::string_view resource : {"arn:aws:s3:::bucket/home/x/y", "arn:aws:s3:::b", "*"}) {
      kura::policy::Request request{
          .action = "s3:GetObject", .resource = resource, .principal = session, .context = context};
      kura::policy::AuthorizationInput input;
      if (kind == kura::policy::PolicyKind::kResource || kind == kura::policy::PolicyKind::kTrust) {
        input.resource_policy = parsed->get();
      } else {
        input.identity_policies.push_back(parsed->get());
      }
      (void)kura::policy::Authorize(input, request);
    }
  }
  return 0;
}
