// Key management operations of the KMS API (kms/kms_operations.h).
#include <boost/json.hpp>

#include <algorithm>

#include "common/limits.h"
#include "kms/key_metadata.h"
#include "kms/kms_operations.h"
#include "policy/policy.h"
#include "store/awaitable.h"

namespace kura::kms {
namespace {
namespace json = boost::json;

constexpr std::string_view kSymmetricDefault = "SYMMETRIC_DEFAULT";

// The lambda borrows `key` from this coroutine's frame: a non-trivial by-value capture in the
// lambda handed to StoreWrite was freed twice (GCC 12, kms_test under glibc's checks).
boost::asio::awaitable<Result<void>> Store(KeyRegistry& registry, KmsKey key) {
  co_return co_await store::StoreWrite<void>(
      [&registry, &key](auto done) { registry.Save(std::move(key), done); });
}

// The answer of operations that answer only the key's ARN.
json::object KeyIdAnswer(const KmsKey& key) { return json::object{{"KeyId", key.Arn()}}; }

Result<void> CheckNotPendingDeletion(const KmsKey& key) {
  if (key.state != KeyState::kPendingDeletion) return Ok();
  return MakeError(ErrorCode::kKmsInvalidState, key.Arn() + " is pending deletion.");
}

Result<void> CheckCustomerManaged(const KmsKey& key, std::string_view operation) {
  if (!key.aws_managed) return Ok();
  return MakeError(ErrorCode::kKmsUnsupportedOperation,
                   std::string(operation) + " is not supported on an AWS managed key");
}

// A key policy document as PutKeyPolicy and CreateKey take it.
Result<std::string> ValidPolicy(const KmsRequest& request, std::string fallback) {
  auto policy = request.String("Policy");
  if (!policy) return policy.error();
  if (!*policy) return fallback;
  if ((*policy)->size() > limits::kMaxKmsPolicyBytes) {
    return MakeError(ErrorCode::kKmsLimitExceeded, "Policy exceeds the maximum size");
  }
  auto parsed = policy::ParsePolicy(**policy, policy::PolicyKind::kResource, "key-policy");
  if (!parsed) return MakeError(ErrorCode::kKmsMalformedPolicyDocument, parsed.error().message);
  return std::move(**policy);
}

// Only symmetric encryption keys of KMS's own material exist in kura.
Result<void> CheckSymmetricSpec(const KmsRequest& request) {
  for (std::string_view member : {"KeySpec", "CustomerMasterKeySpec"}) {
    auto spec = request.String(member);
    if (!spec) return spec.error();
    if (*spec && **spec != kSymmetricDefault) {
      return MakeError(ErrorCode::kKmsUnsupportedOperation,
                       std::string(member) + " " + **spec +
                           " is not supported: kura's KMS has symmetric keys only");
    }
  }
  auto usage = request.String("KeyUsage");
  if (!usage) return usage.error();
  if (*usage && **usage != "ENCRYPT_DECRYPT") {
    return MakeError(ErrorCode::kKmsUnsupportedOperation,
                     "KeyUsage " + **usage + " is not supported for a symmetric key");
  }
  auto origin = request.String("Origin");
  if (!origin) return origin.error();
  if (*origin && **origin != "AWS_KMS") {
    return MakeError(ErrorCode::kKmsUnsupportedOperation, "Origin " + **origin + " is not supported");
  }
  auto multi_region = request.Bool("MultiRegion");
  if (!multi_region) return multi_region.error();
  if (*multi_region && **multi_region) {
    return MakeError(ErrorCode::kKmsUnsupportedOperation, "Multi-Region keys are not supported");
  }
  return Ok();
}

// ListKeys and ListAliases pages: Limit (1..1000) and Marker (the last item of the page before).
struct Page {
  size_t limit = limits::kDefaultKmsListLimit;
  std::string marker;
};

Result<Page> PageOf(const KmsRequest& request) {
  Page page;
  auto limit = request.Int("Limit", 1, limits::kMaxKmsListLimit);
  if (!limit) return limit.error();
  if (*limit) page.limit = static_cast<size_t>(**limit);
  auto marker = request.String("Marker");
  if (!marker) return marker.error();
  if (*marker) page.marker = std::move(**marker);
  return page;
}

// The items of `names` (sorted) after the marker, at most limit; kKmsInvalidMarker for a marker
// that names no item.
template <typename T, typename NameOf>
Result<json::object> PageAnswer(const std::vector<T>& items, const Page& page, NameOf name_of,
                                std::string_view member, std::function<json::object(const T&)> render) {
  size_t start = 0;
  if (!page.marker.empty()) {
    auto at = std::find_if(items.begin(), items.end(),
                           [&](const T& item) { return name_of(item) == page.marker; });
    if (at == items.end()) return MakeError(ErrorCode::kKmsInvalidMarker);
    start = static_cast<size_t>(at - items.begin()) + 1;
  }
  json::array out;
  size_t end = std::min(items.size(), start + page.limit);
  for (size_t i = start; i < end; ++i) out.push_back(render(items[i]));
  json::object answer{{member, std::move(out)}, {"Truncated", end < items.size()}};
  if (end < items.size()) answer["NextMarker"] = name_of(items[end - 1]);
  return answer;
}

Result<void> CheckAliasName(std::string_view alias) {
  constexpr std::string_view kAllowed =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-";
  std::string_view name = alias.substr(std::min(alias.size(), size_t{6}));
  if (!alias.starts_with("alias/") || name.empty() || alias.size() > limits::kMaxKmsAliasChars ||
      name.find_first_not_of(kAllowed) != std::string_view::npos) {
    return MakeError(ErrorCode::kKmsValidation,
                     "1 validation error detected: Value '" + std::string(alias) +
                         "' at 'aliasName' failed to satisfy constraint: Member must satisfy "
                         "regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
  }
  if (alias.starts_with("alias/aws/")) {
    return MakeError(ErrorCode::kKmsInvalidAliasName,
                     "Cannot create alias with prefix 'alias/aws/'; it is reserved for AWS managed keys");
  }
  return Ok();
}

}  // namespace

OperationResult CreateKey(OperationInput& in) {
  if (auto spec = CheckSymmetricSpec(in.request); !spec) co_return spec.error();
  auto description = in.request.String("Description");
  if (!description) co_return description.error();
  if (*description && (*description)->size() > limits::kMaxKmsDescriptionChars) {
    co_return MakeError(ErrorCode::kKmsValidation, "Description is too long");
  }
  auto policy = ValidPolicy(in.request, DefaultKeyPolicy(in.account_id));
  if (!policy) co_return policy.error();
  KmsKey key = in.registry.NewKey(in.account_id, description->value_or(""), std::move(*policy));
  json::object answer{{"KeyMetadata", KeyMetadata(key)}};
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return answer;
}

OperationResult DescribeKey(OperationInput& in) {
  co_return json::object{{"KeyMetadata", KeyMetadata(*in.key)}};
}

OperationResult ListKeys(OperationInput& in) {
  auto page = PageOf(in.request);
  if (!page) co_return page.error();
  co_return PageAnswer<KmsKey>(
      in.registry.Keys(in.account_id), *page, [](const KmsKey& k) { return k.key_id; }, "Keys",
      [](const KmsKey& k) { return json::object{{"KeyId", k.key_id}, {"KeyArn", k.Arn()}}; });
}

OperationResult EnableKey(OperationInput& in) {
  KmsKey key = std::move(*in.key);
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  if (auto ok = CheckCustomerManaged(key, "EnableKey"); !ok) co_return ok.error();
  key.state = KeyState::kEnabled;
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return json::object{};
}

OperationResult DisableKey(OperationInput& in) {
  KmsKey key = std::move(*in.key);
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  if (auto ok = CheckCustomerManaged(key, "DisableKey"); !ok) co_return ok.error();
  key.state = KeyState::kDisabled;
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return json::object{};
}

OperationResult ScheduleKeyDeletion(OperationInput& in) {
  auto days = in.request.Int("PendingWindowInDays", limits::kMinKmsPendingWindowDays,
                             limits::kMaxKmsPendingWindowDays);
  if (!days) co_return days.error();
  KmsKey key = std::move(*in.key);
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  if (auto ok = CheckCustomerManaged(key, "ScheduleKeyDeletion"); !ok) co_return ok.error();
  int64_t window = days->value_or(limits::kDefaultKmsPendingWindowDays);
  key.state = KeyState::kPendingDeletion;
  key.deletion_date = FromUnixSeconds(UnixSeconds(in.registry.clock().Now())) +
                      std::chrono::hours(24 * window);
  json::object answer{{"KeyId", key.Arn()},
                      {"DeletionDate", UnixSeconds(*key.deletion_date)},
                      {"KeyState", KeyStateName(key.state)},
                      {"PendingWindowInDays", window}};
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return answer;
}

OperationResult CancelKeyDeletion(OperationInput& in) {
  KmsKey key = std::move(*in.key);
  if (key.state != KeyState::kPendingDeletion) {
    co_return MakeError(ErrorCode::kKmsInvalidState, key.Arn() + " is not pending deletion.");
  }
  key.state = KeyState::kDisabled;  // as AWS: a key whose deletion is cancelled stays disabled
  key.deletion_date.reset();
  json::object answer = KeyIdAnswer(key);
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return answer;
}

OperationResult EnableKeyRotation(OperationInput& in) {
  auto days = in.request.Int("RotationPeriodInDays", limits::kMinKmsRotationPeriodDays,
                             limits::kMaxKmsRotationPeriodDays);
  if (!days) co_return days.error();
  KmsKey key = std::move(*in.key);
  if (key.state == KeyState::kDisabled) co_return MakeError(ErrorCode::kKmsDisabled, key.Arn() + " is disabled.");
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  if (auto ok = CheckCustomerManaged(key, "EnableKeyRotation"); !ok) co_return ok.error();
  key.rotation_enabled = true;
  key.rotation_period_days = static_cast<int>(days->value_or(limits::kDefaultKmsRotationPeriodDays));
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return json::object{};
}

OperationResult DisableKeyRotation(OperationInput& in) {
  KmsKey key = std::move(*in.key);
  if (key.state == KeyState::kDisabled) co_return MakeError(ErrorCode::kKmsDisabled, key.Arn() + " is disabled.");
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  if (auto ok = CheckCustomerManaged(key, "DisableKeyRotation"); !ok) co_return ok.error();
  key.rotation_enabled = false;
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return json::object{};
}

OperationResult GetKeyRotationStatus(OperationInput& in) {
  const KmsKey& key = *in.key;
  json::object answer{{"KeyId", key.Arn()}, {"KeyRotationEnabled", key.rotation_enabled}};
  if (key.rotation_enabled) {
    answer["RotationPeriodInDays"] = key.rotation_period_days;
    answer["NextRotationDate"] = UnixSeconds(NextRotation(key));
  }
  co_return answer;
}

OperationResult RotateKeyOnDemand(OperationInput& in) {
  KmsKey key = std::move(*in.key);
  if (key.state == KeyState::kDisabled) co_return MakeError(ErrorCode::kKmsDisabled, key.Arn() + " is disabled.");
  if (auto ok = CheckNotPendingDeletion(key); !ok) co_return ok.error();
  in.registry.AddMaterial(key);
  json::object answer = KeyIdAnswer(key);
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return answer;
}

OperationResult GetKeyPolicy(OperationInput& in) {
  auto name = in.request.String("PolicyName");
  if (!name) co_return name.error();
  if (*name && **name != "default") co_return MakeError(ErrorCode::kKmsNotFound, "No such policy: " + **name);
  co_return json::object{{"Policy", in.key->policy}, {"PolicyName", "default"}};
}

OperationResult PutKeyPolicy(OperationInput& in) {
  auto name = in.request.String("PolicyName");
  if (!name) co_return name.error();
  if (*name && **name != "default") co_return MakeError(ErrorCode::kKmsNotFound, "No such policy: " + **name);
  auto policy = in.request.RequiredString("Policy");
  if (!policy) co_return policy.error();
  auto valid = ValidPolicy(in.request, "");
  if (!valid) co_return valid.error();
  KmsKey key = std::move(*in.key);
  if (auto ok = CheckCustomerManaged(key, "PutKeyPolicy"); !ok) co_return ok.error();
  key.policy = std::move(*valid);
  if (auto stored = co_await Store(in.registry, std::move(key)); !stored) co_return stored.error();
  co_return json::object{};
}

OperationResult CreateAlias(OperationInput& in) {
  auto alias = in.request.RequiredString("AliasName");
  if (!alias) co_return alias.error();
  if (auto ok = CheckAliasName(*alias); !ok) co_return ok.error();
  auto target = in.request.RequiredString("TargetKeyId");
  if (!target) co_return target.error();
  if (target->starts_with("alias/") || target->find(":alias/") != std::string::npos) {
    co_return MakeError(ErrorCode::kKmsValidation, "TargetKeyId must name a key, not an alias");
  }
  if (auto ok = CheckCustomerManaged(*in.key, "CreateAlias"); !ok) co_return ok.error();
  if (auto ok = CheckNotPendingDeletion(*in.key); !ok) co_return ok.error();
  if (in.registry.Resolve(in.account_id, *alias)) {
    co_return MakeError(ErrorCode::kKmsAlreadyExists,
                        "An alias with the name " + AliasArn(in.registry.region(), in.account_id, *alias) +
                            " already exists");
  }
  auto stored = co_await store::StoreWrite<void>([&](auto done) {
    in.registry.SaveAlias(std::string(in.account_id), *alias, in.key->key_id, done);
  });
  if (!stored) co_return stored.error();
  co_return json::object{};
}

OperationResult DeleteAlias(OperationInput& in) {
  auto alias = in.request.RequiredString("AliasName");
  if (!alias) co_return alias.error();
  if (alias->starts_with("alias/aws/")) co_return CheckAliasName(*alias).error();
  auto stored = co_await store::StoreWrite<void>([&](auto done) {
    in.registry.SaveAlias(std::string(in.account_id), *alias, "", done);
  });
  if (!stored) co_return stored.error();
  co_return json::object{};
}

OperationResult ListAliases(OperationInput& in) {
  auto page = PageOf(in.request);
  if (!page) co_return page.error();
  auto key_ref = in.request.String("KeyId");
  if (!key_ref) co_return key_ref.error();
  std::vector<KmsAlias> aliases = in.registry.Aliases(in.account_id);
  if (*key_ref) {
    auto key = in.registry.Resolve(in.account_id, **key_ref);
    if (!key) co_return key.error();
    std::erase_if(aliases, [&](const KmsAlias& a) { return a.key_id != key->key_id; });
  }
  const std::string& region = in.registry.region();
  std::string account(in.account_id);
  co_return PageAnswer<KmsAlias>(
      aliases, *page, [](const KmsAlias& a) { return a.name; }, "Aliases",
      [&](const KmsAlias& a) {
        return json::object{{"AliasName", a.name},
                            {"AliasArn", AliasArn(region, account, a.name)},
                            {"TargetKeyId", a.key_id}};
      });
}

}  // namespace kura::kms
