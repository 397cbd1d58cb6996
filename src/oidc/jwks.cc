#include "oidc/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>

#include "common/encoding.h"

namespace kura::oidc {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr size_t kMaxKeyParamBytes = 2048;  // 16384-bit modulus

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

std::string StringMember(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A base64url member decoded, or nullopt when absent, malformed, empty or too large.
std::optional<std::string> BytesMember(const boost::json::object& o, std::string_view name) {
  std::string text = StringMember(o, name);
  if (text.empty() || text.size() > kMaxKeyParamBytes * 4 / 3 + 4) return std::nullopt;
  return Base64UrlDecode(text);
}

PublicKey FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) return nullptr;
  return PublicKey(key, EvpPkeyFree());
}

BIGNUM* ToBignum(const std::string& bytes) {
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                   static_cast<int>(bytes.size()), nullptr);
}

PublicKey RsaKey(const boost::json::object& o) {
  auto n = BytesMember(o, "n");
  auto e = BytesMember(o, "e");
  if (!n || !e || e->size() > 8) return nullptr;
  std::unique_ptr<BIGNUM, BnFree> bn_n(ToBignum(*n));
  std::unique_ptr<BIGNUM, BnFree> bn_e(ToBignum(*e));
  if (!bn_n || !bn_e || BN_num_bits(bn_n.get()) < kMinRsaBits || BN_is_odd(bn_e.get()) == 0 ||
      BN_is_one(bn_e.get()) != 0) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  return FromParams("RSA", bld.get());
}

PublicKey EcKey(const boost::json::object& o, const std::string& curve) {
  size_t size = curve == "P-256" ? 32 : curve == "P-384" ? 48 : 0;
  const char* group = curve == "P-256" ? "prime256v1" : "secp384r1";
  auto x = BytesMember(o, "x");
  auto y = BytesMember(o, "y");
  if (size == 0 || !x || !y || x->size() != size || y->size() != size) return nullptr;
  std::string point = "\x04" + *x + *y;  // SEC1 uncompressed point
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  return FromParams("EC", bld.get());  // fromdata checks the point is on the curve
}

std::optional<Jwk> ReadKey(const boost::json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const boost::json::object& o = value.as_object();
  std::string use = StringMember(o, "use");
  if ((!use.empty() && use != "sig") || o.contains("d")) return std::nullopt;
  Jwk jwk;
  jwk.kid = StringMember(o, "kid");
  jwk.alg = StringMember(o, "alg");
  std::string kty = StringMember(o, "kty");
  if (kty == "RSA") {
    jwk.type = KeyType::kRsa;
    jwk.key = RsaKey(o);
  } else if (kty == "EC") {
    jwk.type = KeyType::kEc;
    jwk.curve = StringMember(o, "crv");
    jwk.key = EcKey(o, jwk.curve);
  }
  if (!jwk.key) return std::nullopt;
  return jwk;
}

Error Invalid(std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument, "invalid JWKS: " + std::string(why));
}

}  // namespace

std::vector<const Jwk*> Jwks::Candidates(std::string_view kid) const {
  std::vector<const Jwk*> out;
  for (const Jwk& key : keys) {
    if (kid.empty() || key.kid == kid) out.push_back(&key);
  }
  return out;
}

Result<Jwks> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) return Invalid("document too large");
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) return Invalid("not a JSON object");
  const boost::json::value* keys = doc.as_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return Invalid("no \"keys\" array");
  if (keys->as_array().size() > kMaxJwksKeys) return Invalid("too many keys");
  Jwks out;
  for (const boost::json::value& key : keys->as_array()) {
    if (auto jwk = ReadKey(key)) out.keys.push_back(std::move(*jwk));
  }
  return out;
}

}  // namespace kura::oidc
