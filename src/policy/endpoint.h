// The one shape of an API operation's table entry, shared by S3 (s3/operations.def), IAM
// (iam/iam_service.cc) and STS (sts/sts_service.cc): its name as AWS names it, the IAM action
// it is authorized as, the kind of resource that action is checked on, and who may call it.
// The pipeline reads these columns to authorize every request before its handler runs; a
// handler authorizes only genuinely extra resources (CopyObject's source, …).
// Thread-safety: constant data.
#pragma once

#include <span>
#include <string_view>

namespace kura::policy {

// Who may call an operation.
enum class Access : unsigned char {
  kSignedOnly,           // a SigV4 signature is required; the pipeline authorizes
  kAnonymousAllowed,     // may be unsigned (AssumeRoleWithWebIdentity …); its handler authorizes
  kAuthenticatesItself,  // the handler verifies what the request carries (POST form, preflight)
};

// The resource an operation's action is authorized on; each API's resource builder turns the
// kind into an ARN from the request (s3::S3Request::ResourceArn, iam::IamService::Resource).
enum class ResourceKind : unsigned char {
  kNone,          // no permission needed, or the handler's own evaluation (STS trust policies)
  kAny,           // "*"
  kS3Service,     // arn:aws:s3:::*
  kBucket,        // arn:aws:s3:::BUCKET
  kObject,        // arn:aws:s3:::BUCKET/KEY
  kUser,          // the user UserName names (its ARN, else its ARN at path "/")
  kUserOrCaller,  // UserName, else the calling IAM user
  kUserOrSelf,    // UserName, else the caller itself (GetUser: root's own ARN too)
  kNewUser,       // the ARN CreateUser gives: Path + UserName
  kAllUsers,      // arn:aws:iam::ACCOUNT:user/
  kGroup,
  kNewGroup,
  kAllGroups,
  kRole,
  kNewRole,
  kAllRoles,
  kRoleOrAny,     // the role RoleName names, else "*" (kura:ListSessions)
  kPolicy,        // PolicyArn
  kNewPolicy,     // Path + PolicyName
  kOidcProvider,  // OpenIDConnectProviderArn
  kNewOidcProvider,  // the ARN Url gives
  kPolicySource,  // PolicySourceArn (SimulatePrincipalPolicy)
  kAccessKeyUser, // the user owning AccessKeyId (arn:aws:iam::ACCOUNT:user/ when none does)
};

// One operation. `Handler` is the API's handler type (S3 dispatches by an exhaustive switch on
// its operation enum instead, and its table has no handler column).
struct EndpointRule {
  std::string_view name;        // "CreateUser", as AWS names it
  std::string_view iam_action;  // "iam:CreateUser"
  ResourceKind resource = ResourceKind::kNone;
  Access access = Access::kSignedOnly;
};

template <typename Handler>
struct Endpoint : EndpointRule {
  Handler handler{};  // null: known to AWS, not implemented by kura
};

// The entry named `name` in a table, or null.
template <typename Handler>
const Endpoint<Handler>* FindEndpoint(std::span<const Endpoint<Handler>> table, std::string_view name) {
  for (const Endpoint<Handler>& e : table) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace kura::policy
