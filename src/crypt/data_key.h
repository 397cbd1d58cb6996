// Data keys: each encrypted blob gets a fresh random 256-bit key, stored sealed in its header.
// SSE-S3 and SSE-KMS seal through a kms::KeyProvider; SSE-C seals here, under the customer's
// key with AES-256-GCM and a random nonce, so a later request can open it only with the same
// key (the customer key itself is never stored).
// Thread-safety: pure functions (over a thread-safe Random).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::crypt {

// A fresh random kDataKeyBytes key.
Secret NewDataKey(Random& random);

// The sealed form of `data_key` under `customer_key` (32 bytes): version byte, nonce,
// ciphertext and tag.
std::string SealUnderCustomerKey(const Secret& data_key, const Secret& customer_key,
                                 Random& random);
// The data key back; kAccessDenied when `customer_key` is not the key it was sealed under,
// kInternalError when `sealed` is malformed.
Result<Secret> OpenUnderCustomerKey(std::string_view sealed, const Secret& customer_key);

}  // namespace kura::crypt
