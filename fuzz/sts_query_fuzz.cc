// The Query protocol as STS receives it: input is an application/x-www-form-urlencoded body.
// ParseForm must refuse bad escapes with InvalidArgument; what parses goes through the list
// readers (PolicyArns.member.N.arn, Tags.member.N.Key/Value, TransitiveTagKeys.member.N) and
// then through the STS service as a signed-in IAM user (the form's Action picks AssumeRole,
// GetSessionToken, …), with one role that trusts the user. Any answer is fine; crashes, hangs
// and sanitizer reports are not.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "policy/policy.h"
#include "query/query_api.h"
#include "sts/memory_role_directory.h"
#include "sts/sts_params.h"
#include "sts/sts_service.h"
#include "tests/sts/test_claims.h"

namespace {

using namespace kura;

constexpr char kUserArn[] = "arn:aws:iam::123456789012:user/alice";
constexpr char kRoleArn[] = "arn:aws:iam::123456789012:role/app/uploader";

struct Sts {
  Sts() : clock(sts::testing::TestEpoch()), random(7), ring(sts::testing::TestRing(random)) {
    codec = std::move(sts::TokenCodec::Create(*ring, random)).value();
    sts::RoleInfo role;
    role.role_id = "AROAUPLOADERROLE0001";
    role.arn = kRoleArn;
    role.name = "uploader";
    role.path = "/app/";
    role.max_session_seconds = 43200;
    role.trust_policy = policy::ParsePolicy(
        std::string(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")") +
            kUserArn + R"("},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]})",
        policy::PolicyKind::kTrust, "trust").value();
    roles.PutRole(std::move(role));
    roles.PutManagedPolicy("arn:aws:iam::123456789012:policy/ReadOnly",
                           policy::ParsePolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]})",
                                               policy::PolicyKind::kIdentity, "managed").value());
    service = std::make_unique<sts::StsService>(sts::StsConfig{"123456789012", 900, {}}, *codec, roles,
                                                clock, random);
    user = std::make_shared<Principal>();
    user->type = PrincipalType::kUser;
    user->account_id = "123456789012";
    user->arn = kUserArn;
    user->user_id = "AIDAALICEUSER0000001";
    user->user_name = "alice";
    user->access_key_id = "AKIAALICEKEY00000001";
  }

  FakeClock clock;
  FakeRandom random;
  std::unique_ptr<sts::TokenKeyRing> ring;
  std::unique_ptr<sts::TokenCodec> codec;
  sts::MemoryRoleDirectory roles;
  std::unique_ptr<sts::StsService> service;
  std::shared_ptr<Principal> user;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Sts sts;
  auto params = query::ParseForm(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!params) {
    if (params.error().code != ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  query::QueryCall call;
  call.params = std::move(*params);
  call.action = call.Param("Action");
  call.principal = sts.user;
  call.request_id = "REQ0001";
  call.facts.source_ip = "192.0.2.7";
  size_t arns = sts::ListParam(call, "PolicyArns", ".arn").size();
  size_t tags = sts::TagsParam(call, "Tags").size();
  size_t keys = sts::ListParam(call, "TransitiveTagKeys").size();
  if (arns + tags + keys > call.params.size()) std::abort();
  auto answer = sts.service->HandleNow(call);
  if (!answer && answer.error().aws_code().empty()) std::abort();
  return 0;
}
