#include "common/ids.h"

#include <vector>

#include "common/encoding.h"

namespace kura {

std::string_view PrefixString(IdPrefix prefix) {
  switch (prefix) {
    case IdPrefix::kAccessKey: return "AKIA";
    case IdPrefix::kTemporaryAccessKey: return "ASIA";
    case IdPrefix::kUser: return "AIDA";
    case IdPrefix::kRole: return "AROA";
    case IdPrefix::kPolicy: return "ANPA";
    case IdPrefix::kGroup: return "AGPA";
    case IdPrefix::kOidcProvider: return "AOPA";
  }
  return "AIDA";
}

std::string NewId(Random& random, IdPrefix prefix) {
  return std::string(PrefixString(prefix)) + random.Chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
}

std::string NewSecretKey(Random& random) {
  return random.Chars(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

std::string NewRequestId(Random& random) { return random.Chars(16, "0123456789ABCDEF"); }

std::string NewAccountId(Random& random) {
  return random.Chars(1, "123456789") + random.Chars(11, "0123456789");
}

std::string NewOpaqueId(Random& random, size_t bytes) {
  std::vector<uint8_t> raw(bytes);
  random.Fill(raw);
  return Base64UrlEncode(std::string_view(reinterpret_cast<char*>(raw.data()), raw.size()));
}

}  // namespace kura
