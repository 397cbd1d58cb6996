// How the KMS API shows a key (the KeyMetadata shape of DescribeKey and CreateKey), and when its
// automatic rotation is due.
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include "common/clock.h"
#include "kms/kms_key.h"

namespace kura::kms {

boost::json::object KeyMetadata(const KmsKey& key);

// When the key's material rotates next (last rotation + its period); meaningful while rotation
// is enabled.
TimePoint NextRotation(const KmsKey& key);
bool RotationDue(const KmsKey& key, TimePoint now);

}  // namespace kura::kms
