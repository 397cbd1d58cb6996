#include "sigv4/signing_key.h"

#include "common/crypto.h"
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

Secret SigningKeyCache::Get(const Secret& secret_access_key, std::string_view date,
                            std::string_view region, std::string_view service) {
  std::string cache_key = Sha256(secret_access_key.Reveal());
  cache_key.append(date).push_back('/');
  cache_key.append(region).push_back('/');
  cache_key.append(service);
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(cache_key);
    if (it != keys_.end()) return it->second;
  }
  Secret key = DeriveSigningKey(secret_access_key, date, region, service);
  std::lock_guard lock(mutex_);
  if (keys_.size() >= kCapacity) keys_.clear();
  keys_.emplace(std::move(cache_key), key);
  return key;
}

}  // namespace kura::sigv4
