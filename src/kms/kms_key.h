// A KMS key of the built-in KMS as it is stored: one MetadataStore document of kind "kms-key"
// per key, id = its key id (a UUID), value = JSON. The key material of each rotation (version
// 0, 1, …) is kept only sealed under the master key ring (kms/master_seal.h, purpose naming the
// key and version), so a copy of the database alone opens nothing.
// Aliases are documents of kind "kms-alias", id = "ACCOUNT/alias/NAME", value = the key id.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"

namespace kura::kms {

inline constexpr std::string_view kKeyDocumentKind = "kms-key";
inline constexpr std::string_view kAliasDocumentKind = "kms-alias";

enum class KeyState { kEnabled, kDisabled, kPendingDeletion };

struct KmsKey {
  std::string key_id;  // UUID
  std::string account_id;
  std::string region;
  std::string description;
  KeyState state = KeyState::kEnabled;
  bool aws_managed = false;  // alias/aws/s3, created by S3 on first use
  TimePoint creation_date;
  std::optional<TimePoint> deletion_date;  // set while kPendingDeletion
  bool rotation_enabled = false;
  int rotation_period_days = 365;
  TimePoint last_rotated;
  std::vector<std::string> sealed_materials;  // index = material version
  std::string policy;  // the key policy document (JSON)

  std::string Arn() const;
};

// "Enabled" | "Disabled" | "PendingDeletion", as DescribeKey's KeyState.
std::string_view KeyStateName(KeyState state);

// A fresh key id: a random (version 4) UUID in lower case.
std::string NewKeyId(Random& random);

// The key policy CreateKey gives a key without one: "Enable IAM User Permissions", which lets the
// account's IAM policies decide (AWS's default key policy).
std::string DefaultKeyPolicy(std::string_view account_id);

// What a key's material of `version` is sealed for under the master ring.
std::string MaterialPurpose(std::string_view key_id, uint32_t version);

std::string EncodeKmsKey(const KmsKey& key);
// kInternalError on a malformed document.
Result<KmsKey> DecodeKmsKey(std::string_view json);

// arn:aws:kms:REGION:ACCOUNT:key/ID and …:alias/NAME.
std::string KeyArn(std::string_view region, std::string_view account_id, std::string_view key_id);
std::string AliasArn(std::string_view region, std::string_view account_id, std::string_view alias);

}  // namespace kura::kms
