// GetCallerIdentity and GetAccessKeyInfo: who is calling, and which account a key belongs to.
// Neither needs a permission (AWS: "No permissions are required to perform this operation").
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
#include "sts/session_issue.h"
#include "sts/sts_params.h"

namespace kura::sts {
namespace {

std::string AccountOrCaller(const StsEnv& env, const query::QueryCall& call) {
  std::string account = env.roles.AccountOfAccessKey(call.Param("AccessKeyId"));
  return account.empty() ? call.principal->account_id : account;
}

}  // namespace

Result<std::string> GetCallerIdentity(const StsEnv&, const query::QueryCall& call) {
  const Principal& caller = *call.principal;
  xml::Writer w("GetCallerIdentityResponse", kStsNamespace);
  w.Open("GetCallerIdentityResult")
      .Element("UserId", caller.user_id)
      .Element("Account", caller.account_id)
      .Element("Arn", caller.arn)
      .Close("GetCallerIdentityResult");
  return FinishResponse(w, call.request_id);
}

// The account of an IAM user's or a member account root's key; for any other key (temporary
// keys, whose account only their token knows, and keys kura never issued) the caller's own
// account, so that the answer reveals nothing about accounts the caller cannot see.
Result<std::string> GetAccessKeyInfo(const StsEnv& env, const query::QueryCall& call) {
  Validator v;
  if (!call.Has("AccessKeyId")) {
    v.Missing("accessKeyId");
  } else {
    v.Text("accessKeyId", call.Param("AccessKeyId"), 16, 128, "[\\w]*");
  }
  KURA_TRY(v.Finish());
  xml::Writer w("GetAccessKeyInfoResponse", kStsNamespace);
  w.Open("GetAccessKeyInfoResult")
      .Element("Account", AccountOrCaller(env, call))
      .Close("GetAccessKeyInfoResult");
  return FinishResponse(w, call.request_id);
}

}  // namespace kura::sts
