#include "kms/key_metadata.h"

#include <boost/json.hpp>

namespace kura::kms {

boost::json::object KeyMetadata(const KmsKey& key) {
  boost::json::object m{{"AWSAccountId", key.account_id},
                        {"KeyId", key.key_id},
                        {"Arn", key.Arn()},
                        {"CreationDate", UnixSeconds(key.creation_date)},
                        {"Enabled", key.state == KeyState::kEnabled},
                        {"Description", key.description},
                        {"KeyUsage", "ENCRYPT_DECRYPT"},
                        {"KeyState", KeyStateName(key.state)},
                        {"Origin", "AWS_KMS"},
                        {"KeyManager", key.aws_managed ? "AWS" : "CUSTOMER"},
                        {"CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"},
                        {"KeySpec", "SYMMETRIC_DEFAULT"},
                        {"EncryptionAlgorithms", boost::json::array{"SYMMETRIC_DEFAULT"}},
                        {"MultiRegion", false}};
  if (key.deletion_date) m["DeletionDate"] = UnixSeconds(*key.deletion_date);
  return m;
}

TimePoint NextRotation(const KmsKey& key) {
  return key.last_rotated + std::chrono::hours(24) * key.rotation_period_days;
}

bool RotationDue(const KmsKey& key, TimePoint now) {
  return key.rotation_enabled && key.state == KeyState::kEnabled && NextRotation(key) <= now;
}

}  // namespace kura::kms
