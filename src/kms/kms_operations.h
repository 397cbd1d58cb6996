// The operations of the KMS API (kms/kms_service.h), one function each, named as AWS names them.
// Each runs after the service resolved and authorized the key it acts on (OperationInput::key);
// ReEncrypt authorizes its destination key through OperationInput::authorize.
// Thread-safety: as KeyRegistry.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "kms/key_registry.h"
#include "kms/kms_request.h"

namespace kura::kms {

struct OperationInput {
  KeyRegistry& registry;
  const KmsRequest& request;
  std::string_view account_id;
  std::optional<KmsKey> key;  // the key the operation acts on, resolved and authorized
  // Authorizes another action on another key (ReEncrypt's kms:ReEncryptTo).
  std::function<Result<void>(std::string_view action, const KmsKey& key)> authorize;
};

using OperationResult = boost::asio::awaitable<Result<boost::json::object>>;

// Key management (kms/key_management.cc).
OperationResult CreateKey(OperationInput& in);
OperationResult DescribeKey(OperationInput& in);
OperationResult ListKeys(OperationInput& in);
OperationResult EnableKey(OperationInput& in);
OperationResult DisableKey(OperationInput& in);
OperationResult ScheduleKeyDeletion(OperationInput& in);
OperationResult CancelKeyDeletion(OperationInput& in);
OperationResult EnableKeyRotation(OperationInput& in);
OperationResult DisableKeyRotation(OperationInput& in);
OperationResult GetKeyRotationStatus(OperationInput& in);
OperationResult RotateKeyOnDemand(OperationInput& in);
OperationResult GetKeyPolicy(OperationInput& in);
OperationResult PutKeyPolicy(OperationInput& in);
OperationResult CreateAlias(OperationInput& in);
OperationResult DeleteAlias(OperationInput& in);
OperationResult ListAliases(OperationInput& in);

// Cryptographic operations (kms/data_operations.cc).
OperationResult Encrypt(OperationInput& in);
OperationResult Decrypt(OperationInput& in);
OperationResult ReEncrypt(OperationInput& in);
OperationResult GenerateDataKey(OperationInput& in);
OperationResult GenerateDataKeyWithoutPlaintext(OperationInput& in);

}  // namespace kura::kms
