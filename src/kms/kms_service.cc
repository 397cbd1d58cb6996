#include "kms/kms_service.h"

#include <boost/json.hpp>

#include "common/limits.h"
#include "kms/key_use.h"
#include "kms/kms_operations.h"
#include "policy/arn.h"
#include "policy/context_keys.h"
#include "policy/evaluator.h"
#include "policy/policy.h"

namespace kura::kms {
namespace {
namespace json = boost::json;

// Where the key an operation acts on (the resource it is authorized on) comes from.
enum class KeyFrom {
  kNone,         // no key: resource "*"
  kKeyId,        // the KeyId member
  kTargetKeyId,  // CreateAlias's TargetKeyId
  kAliasName,    // the key DeleteAlias's AliasName points at
  kCiphertext,   // the key that sealed CiphertextBlob (Decrypt, ReEncrypt)
};

struct Operation {
  std::string_view name;
  std::string_view action;
  KeyFrom key_from;
  OperationResult (*run)(OperationInput&);
};

constexpr Operation kOperations[] = {
    {"CancelKeyDeletion", "kms:CancelKeyDeletion", KeyFrom::kKeyId, &CancelKeyDeletion},
    {"CreateAlias", "kms:CreateAlias", KeyFrom::kTargetKeyId, &CreateAlias},
    {"CreateKey", "kms:CreateKey", KeyFrom::kNone, &CreateKey},
    {"Decrypt", "kms:Decrypt", KeyFrom::kCiphertext, &Decrypt},
    {"DeleteAlias", "kms:DeleteAlias", KeyFrom::kAliasName, &DeleteAlias},
    {"DescribeKey", "kms:DescribeKey", KeyFrom::kKeyId, &DescribeKey},
    {"DisableKey", "kms:DisableKey", KeyFrom::kKeyId, &DisableKey},
    {"DisableKeyRotation", "kms:DisableKeyRotation", KeyFrom::kKeyId, &DisableKeyRotation},
    {"EnableKey", "kms:EnableKey", KeyFrom::kKeyId, &EnableKey},
    {"EnableKeyRotation", "kms:EnableKeyRotation", KeyFrom::kKeyId, &EnableKeyRotation},
    {"Encrypt", "kms:Encrypt", KeyFrom::kKeyId, &Encrypt},
    {"GenerateDataKey", "kms:GenerateDataKey", KeyFrom::kKeyId, &GenerateDataKey},
    {"GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", KeyFrom::kKeyId,
     &GenerateDataKeyWithoutPlaintext},
    {"GetKeyPolicy", "kms:GetKeyPolicy", KeyFrom::kKeyId, &GetKeyPolicy},
    {"GetKeyRotationStatus", "kms:GetKeyRotationStatus", KeyFrom::kKeyId, &GetKeyRotationStatus},
    {"ListAliases", "kms:ListAliases", KeyFrom::kNone, &ListAliases},
    {"ListKeys", "kms:ListKeys", KeyFrom::kNone, &ListKeys},
    {"PutKeyPolicy", "kms:PutKeyPolicy", KeyFrom::kKeyId, &PutKeyPolicy},
    {"ReEncrypt", "kms:ReEncryptFrom", KeyFrom::kCiphertext, &ReEncrypt},
    {"RotateKeyOnDemand", "kms:RotateKeyOnDemand", KeyFrom::kKeyId, &RotateKeyOnDemand},
    {"ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", KeyFrom::kKeyId, &ScheduleKeyDeletion},
};

const Operation* FindOperation(std::string_view name) {
  for (const Operation& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

// The key the operation acts on, or nullopt for KeyFrom::kNone.
Result<std::optional<KmsKey>> KeyOf(const KeyRegistry& registry, std::string_view account_id,
                                    KeyFrom from, const KmsRequest& request) {
  switch (from) {
    case KeyFrom::kNone:
      return std::optional<KmsKey>();
    case KeyFrom::kCiphertext: {
      auto blob = request.Blob("CiphertextBlob", limits::kMaxKmsCiphertextBytes);
      if (!blob) return blob.error();
      if (!*blob) {
        return MakeError(ErrorCode::kKmsValidation,
                         "1 validation error detected: Value null at 'ciphertextBlob' failed to "
                         "satisfy constraint: Member must not be null");
      }
      auto key = KeyOfCiphertextBlob(registry, account_id, (*blob)->Reveal());
      if (!key) return key.error();
      return std::optional<KmsKey>(std::move(*key));
    }
    default:
      break;
  }
  std::string_view member = from == KeyFrom::kKeyId         ? "KeyId"
                            : from == KeyFrom::kTargetKeyId ? "TargetKeyId"
                                                            : "AliasName";
  auto ref = request.RequiredString(member);
  if (!ref) return ref.error();
  if (from == KeyFrom::kAliasName && !ref->starts_with("alias/")) {
    return MakeError(ErrorCode::kKmsValidation, "Alias must start with the prefix \"alias/\"");
  }
  auto key = registry.Resolve(account_id, *ref);
  if (!key) return key.error();
  return std::optional<KmsKey>(std::move(*key));
}

Error AccessDenied(const Principal& principal, std::string_view action, std::string_view arn,
                   std::string_view why) {
  return MakeError(ErrorCode::kKmsAccessDenied,
                   "User: " + principal.arn +
                       " is not authorized to perform: " + std::string(action) +
                       " on resource: " + std::string(arn) + " " + std::string(why));
}

}  // namespace

KmsService::KmsService(KeyRegistry& registry, const policy::Authorizer& authorizer)
    : registry_(registry), authorizer_(authorizer) {}

Result<void> KmsService::AuthorizeOnKey(const KmsCall& call, std::string_view action,
                                        const KmsKey& key) const {
  const Principal& principal = call.principal;
  std::string arn = key.Arn();
  if (principal.IsRoot() && principal.account_id == key.account_id) return Ok();
  auto key_policy = policy::ParsePolicy(key.policy, policy::PolicyKind::kResource, key.key_id);
  if (!key_policy) return AccessDenied(principal, action, arn, "because the key policy is invalid");
  policy::RequestFacts facts{registry_.clock().Now(),
                             call.facts.secure_transport,
                             std::string(call.facts.source_ip),
                             std::string(call.facts.user_agent),
                             std::string(call.facts.referer),
                             registry_.region(),
                             {}};
  policy::RequestContext context = policy::BuildRequestContext(principal, facts);
  policy::PolicyEvalDetail decision =
      policy::EvaluateDetail(**key_policy, policy::Request{action, arn, principal, context});
  if (decision.effect == policy::Effect::kDeny) {
    return AccessDenied(principal, action, arn, "with an explicit deny in a resource-based policy");
  }
  if (decision.effect != policy::Effect::kAllow) {
    return AccessDenied(
        principal, action, arn,
        "because no resource-based policy allows the " + std::string(action) + " action");
  }
  if (decision.allow_match != policy::PrincipalMatch::kAccount) return Ok();
  // The key policy names the account: the account's IAM policies decide.
  auto allowed = authorizer_.Authorize(principal, action, arn, call.facts);
  if (!allowed) return MakeError(ErrorCode::kKmsAccessDenied, allowed.error().message);
  return Ok();
}

Result<void> KmsService::AuthorizeKeyUse(const Principal& principal, std::string_view action,
                                         std::string_view key_arn,
                                         const policy::RequestAttributes& facts) const {
  // The key is the ARN's account's, whoever asks (an anonymous uploader, another account).
  auto arn = policy::ParseArn(key_arn);
  if (!arn) return MakeError(ErrorCode::kKmsInvalidArn);
  auto key = registry_.Resolve(arn->account, key_arn);
  if (!key) return key.error();
  return AuthorizeOnKey(KmsCall{"", "", principal, facts}, action, *key);
}

boost::asio::awaitable<Result<std::string>> KmsService::Handle(const KmsCall& call) {
  const Operation* op = FindOperation(call.operation);
  if (op == nullptr) co_return MakeError(ErrorCode::kKmsUnknownOperation);
  auto request = KmsRequest::Parse(call.body);
  if (!request) co_return request.error();
  registry_.Purge();
  const std::string& account_id = call.principal.account_id;
  auto key = KeyOf(registry_, account_id, op->key_from, *request);
  if (!key) co_return key.error();
  if (*key) {
    if (auto allowed = AuthorizeOnKey(call, op->action, **key); !allowed) co_return allowed.error();
  } else if (auto allowed = authorizer_.Authorize(call.principal, op->action, "*", call.facts);
             !allowed) {
    co_return MakeError(ErrorCode::kKmsAccessDenied, allowed.error().message);
  }
  OperationInput input{registry_, *request, account_id, std::move(*key),
                       [this, &call](std::string_view action, const KmsKey& other) {
                         return AuthorizeOnKey(call, action, other);
                       }};
  auto answer = co_await op->run(input);
  if (!answer) co_return answer.error();
  co_return json::serialize(*answer);
}

std::string RenderKmsError(const Error& error) {
  json::object document{{"__type", error.aws_code()}, {"message", error.message}};
  return json::serialize(document);
}

std::string_view KmsService::KnownOperation(std::string_view operation) {
  const Operation* op = FindOperation(operation);
  return op == nullptr ? std::string_view() : op->name;
}

}  // namespace kura::kms
