// Test-only: an OpenID provider's signing keys made at test time (RSA 2048, EC P-256 / P-384)
// with OpenSSL, their public JWKs, and compact JWS tokens signed with them (RS*, PS*, ES*, and
// deliberately broken ones: alg none, HS256). Not production code.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "common/encoding.h"

namespace kura::oidc::testing {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

class TestKey {
 public:
  static TestKey Rsa(std::string kid) {
    return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}), std::move(kid), 0);
  }
  static TestKey Ec(std::string kid, bool p384 = false) {
    return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", p384 ? "P-384" : "P-256"),
                   std::move(kid), p384 ? 48 : 32);
  }

  const std::string& kid() const { return kid_; }

  // The public JWK, as a provider publishes it.
  boost::json::object Jwk() const {
    boost::json::object o{{"kid", kid_}, {"use", "sig"}};
    if (ec_bytes_ == 0) {
      o["kty"] = "RSA";
      o["n"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_N));
      o["e"] = Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_E));
    } else {
      o["kty"] = "EC";
      o["crv"] = ec_bytes_ == 32 ? "P-256" : "P-384";
      o["x"] = Base64UrlEncode(Padded(BnParam(OSSL_PKEY_PARAM_EC_PUB_X)));
      o["y"] = Base64UrlEncode(Padded(BnParam(OSSL_PKEY_PARAM_EC_PUB_Y)));
    }
    return o;
  }

  // header.payload.signature, signed with `alg` (RS256/384/512, PS256/384, ES256/384).
  std::string Sign(const std::string& alg, const boost::json::object& claims,
                   bool with_kid = true) const {
    boost::json::object header{{"alg", alg}, {"typ", "JWT"}};
    if (with_kid) header["kid"] = kid_;
    std::string input = Base64UrlEncode(boost::json::serialize(header)) + "." +
                        Base64UrlEncode(boost::json::serialize(claims));
    return input + "." + Base64UrlEncode(SignBytes(alg, input));
  }

 private:
  TestKey(EVP_PKEY* key, std::string kid, size_t ec_bytes)
      : key_(key, PkeyFree()), kid_(std::move(kid)), ec_bytes_(ec_bytes) {}

  std::string BnParam(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }
  std::string Padded(std::string s) const { return std::string(ec_bytes_ - s.size(), '\0') + s; }

  std::string SignBytes(const std::string& alg, const std::string& input) const {
    const char* md = alg.ends_with("256") ? "SHA256" : alg.ends_with("384") ? "SHA384" : "SHA512";
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestSignInit_ex(ctx, &pctx, md, nullptr, nullptr, key_.get(), nullptr);
    if (alg.starts_with("PS")) {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(input.data());
    EVP_DigestSign(ctx, nullptr, &len, in, input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (ec_bytes_ == 0) return sig;
    // DER → r||s, as JWS wants.
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(2 * ec_bytes_, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(ec_bytes_));
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + ec_bytes_,
                 static_cast<int>(ec_bytes_));
    ECDSA_SIG_free(es);
    return raw;
  }

  std::shared_ptr<EVP_PKEY> key_;
  std::string kid_;
  size_t ec_bytes_;
};

// {"keys": [...]} of the given keys.
inline std::string JwksOf(std::initializer_list<const TestKey*> keys) {
  boost::json::array a;
  for (const TestKey* k : keys) a.push_back(k->Jwk());
  return boost::json::serialize(boost::json::object{{"keys", a}});
}

// An unsigned token (alg none) or one "signed" with HS256 and an arbitrary secret.
inline std::string UnsignedToken(const std::string& alg, const boost::json::object& claims,
                                 const std::string& kid) {
  boost::json::object header{{"alg", alg}, {"kid", kid}};
  return Base64UrlEncode(boost::json::serialize(header)) + "." +
         Base64UrlEncode(boost::json::serialize(claims)) + "." +
         (alg == "none" ? "" : Base64UrlEncode(std::string(32, 'x')));
}

}  // namespace kura::oidc::testing
