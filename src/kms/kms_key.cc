#include "kms/kms_key.h"

#include <boost/json.hpp>

#include <array>

#include "common/encoding.h"

namespace kura::kms {
namespace {
namespace json = boost::json;

constexpr std::pair<KeyState, std::string_view> kStates[] = {
    {KeyState::kEnabled, "Enabled"},
    {KeyState::kDisabled, "Disabled"},
    {KeyState::kPendingDeletion, "PendingDeletion"}};

Error Malformed(std::string_view what) {
  return MakeError(ErrorCode::kInternalError, "malformed KMS key document: " + std::string(what));
}

std::string StringOf(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t IntOf(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

bool BoolOf(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_bool() && v->get_bool();
}

}  // namespace

std::string KmsKey::Arn() const { return KeyArn(region, account_id, key_id); }

std::string_view KeyStateName(KeyState state) {
  for (const auto& [value, name] : kStates) {
    if (value == state) return name;
  }
  return "Unavailable";
}

std::string NewKeyId(Random& random) {
  std::array<uint8_t, 16> bytes{};
  random.Fill(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string hex = HexLower(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string DefaultKeyPolicy(std::string_view account_id) {
  json::object statement{{"Sid", "Enable IAM User Permissions"},
                         {"Effect", "Allow"},
                         {"Principal", {{"AWS", "arn:aws:iam::" + std::string(account_id) + ":root"}}},
                         {"Action", "kms:*"},
                         {"Resource", "*"}};
  json::object policy{{"Version", "2012-10-17"},
                      {"Id", "key-default-1"},
                      {"Statement", json::array{statement}}};
  return json::serialize(policy);
}

std::string MaterialPurpose(std::string_view key_id, uint32_t version) {
  return "kura kms key material " + std::string(key_id) + " " + std::to_string(version);
}

std::string EncodeKmsKey(const KmsKey& key) {
  json::array materials;
  for (const std::string& sealed : key.sealed_materials) materials.emplace_back(Base64Encode(sealed));
  json::object o{{"KeyId", key.key_id},
                 {"Account", key.account_id},
                 {"Region", key.region},
                 {"Description", key.description},
                 {"State", KeyStateName(key.state)},
                 {"AwsManaged", key.aws_managed},
                 {"Created", UnixSeconds(key.creation_date)},
                 {"RotationEnabled", key.rotation_enabled},
                 {"RotationPeriodDays", key.rotation_period_days},
                 {"LastRotated", UnixSeconds(key.last_rotated)},
                 {"Materials", std::move(materials)},
                 {"Policy", key.policy}};
  if (key.deletion_date) o["Deletion"] = UnixSeconds(*key.deletion_date);
  return json::serialize(o);
}

Result<KmsKey> DecodeKmsKey(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return Malformed("not a JSON object");
  const json::object& o = parsed.get_object();
  KmsKey key;
  key.key_id = StringOf(o, "KeyId");
  key.account_id = StringOf(o, "Account");
  key.region = StringOf(o, "Region");
  key.description = StringOf(o, "Description");
  key.policy = StringOf(o, "Policy");
  std::string state = StringOf(o, "State");
  bool known_state = false;
  for (const auto& [value, name] : kStates) {
    if (name == state) key.state = value, known_state = true;
  }
  if (key.key_id.empty() || key.account_id.empty() || !known_state) return Malformed(key.key_id);
  key.aws_managed = BoolOf(o, "AwsManaged");
  key.creation_date = FromUnixSeconds(IntOf(o, "Created"));
  if (o.contains("Deletion")) key.deletion_date = FromUnixSeconds(IntOf(o, "Deletion"));
  key.rotation_enabled = BoolOf(o, "RotationEnabled");
  key.rotation_period_days = static_cast<int>(IntOf(o, "RotationPeriodDays"));
  key.last_rotated = FromUnixSeconds(IntOf(o, "LastRotated"));
  const json::value* materials = o.if_contains("Materials");
  if (materials == nullptr || !materials->is_array()) return Malformed(key.key_id);
  for (const json::value& m : materials->get_array()) {
    auto sealed = m.is_string() ? Base64Decode(m.get_string()) : std::nullopt;
    if (!sealed) return Malformed(key.key_id);
    key.sealed_materials.push_back(std::move(*sealed));
  }
  if (key.sealed_materials.empty()) return Malformed(key.key_id);
  return key;
}

std::string KeyArn(std::string_view region, std::string_view account_id, std::string_view key_id) {
  return "arn:aws:kms:" + std::string(region) + ":" + std::string(account_id) + ":key/" +
         std::string(key_id);
}

std::string AliasArn(std::string_view region, std::string_view account_id, std::string_view alias) {
  return "arn:aws:kms:" + std::string(region) + ":" + std::string(account_id) + ":" +
         std::string(alias);
}

}  // namespace kura::kms
