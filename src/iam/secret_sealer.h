// Sealing of IAM users' secret access keys at rest, so that a copy of meta.db (a backup, a
// stolen disk image of the database alone) does not hand out every key: each secret is stored
// as "v1:<key id>:<base64(nonce || ciphertext || tag)>", AES-256-GCM under a key kept apart from
// the database (DATA/secrets.key, see docs/formats/data-dir.md), with the access key id as
// associated data so a sealed secret moved to another key's record does not open. <key id> is
// the first 8 hex digits of SHA-256 of the sealing key: it names the key a secret was sealed
// with, so a wrong or replaced key file is reported as such rather than as corruption.
// Thread-safety: immutable after construction; Seal and Open may be called concurrently (the
// Random must be thread-safe, e.g. SecureRandom).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::iam {

class SecretSealer {
 public:
  static constexpr std::string_view kVersionPrefix = "v1:";

  // `key` must be kAesGcmKeyBytes (32) bytes long: kInvalidArgument otherwise.
  static Result<SecretSealer> Create(Secret key, Random& random);

  // A fresh random nonce each call, so sealing one secret twice gives two different strings.
  std::string Seal(std::string_view access_key_id, const Secret& secret) const;
  // kInternalError when `sealed` is malformed, was sealed under another key, was altered, or
  // belongs to another access key id.
  Result<Secret> Open(std::string_view access_key_id, std::string_view sealed) const;

  // Whether a stored secret is in sealed form (a plaintext secret never contains ':').
  static bool IsSealed(std::string_view stored);
  const std::string& key_id() const { return key_id_; }

 private:
  SecretSealer(Secret key, Random& random);

  Secret key_;
  std::string key_id_;
  Random* random_;
};

}  // namespace kura::iam
