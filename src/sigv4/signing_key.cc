#include "sigv4/signing_key.h"

#include "common/encoding.h"
#include "sigv4/canonical_request.h"

namespace kura::sigv4 {

Secret DeriveSigningKey(const Secret& secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service) {
  std::string seed = "AWS4";
  seed.append(secret_access_key.Reveal());
  Secret k_date(HmacSha256(seed, date));
  Secret k_region(HmacSha256(k_date.Reveal(), region));
  Secret k_service(HmacSha256(k_region.Reveal(), service));
  Secret key(HmacSha256(k_service.Reveal(), kScopeTerminator));
  Secret wipe(std::move(seed));  // cleansed on destruction
  return key;
}

std::string SignatureHex(const Secret& signing_key, std::string_view string_to_sign) {
  return HexLower(HmacSha256(signing_key.Reveal(), string_to_sign));
}

bool PostPolicySignatureMatches(const Secret& secret_access_key, std::string_view date,
                                std::string_view region, std::string_view service,
                                std::string_view policy_base64, std::string_view signature) {
  Secret key = DeriveSigningKey(secret_access_key, date, region, service);
  return ConstantTimeEquals(SignatureHex(key, policy_base64), signature);
}

std::string SigningKey::SignatureHex(std::string_view string_to_sign) const {
  return HexLower(mac_.Mac(string_to_sign));
}

std::shared_ptr<const SigningKey> SigningKeyCache::Get(std::string_view access_key_id,
                                                       const Secret& secret_access_key,
                                                       std::string_view date,
                                                       std::string_view region,
                                                       std::string_view service) {
  std::string cache_key;
  cache_key.reserve(access_key_id.size() + date.size() + region.size() + service.size() + 3);
  cache_key.append(access_key_id).push_back('/');
  cache_key.append(date).push_back('/');
  cache_key.append(region).push_back('/');
  cache_key.append(service);
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(cache_key);
    if (it != entries_.end() &&
        ConstantTimeEquals(it->second.secret_access_key.Reveal(), secret_access_key.Reveal())) {
      return it->second.key;
    }
  }
  auto key = std::make_shared<const SigningKey>(
      DeriveSigningKey(secret_access_key, date, region, service));
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kCapacity) entries_.clear();
  entries_.insert_or_assign(std::move(cache_key), Entry{secret_access_key, key});
  return key;
}

}  // namespace kura::sigv4
