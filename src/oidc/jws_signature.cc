#include "oidc/jws_signature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <memory>
#include <optional>
#include <string>

namespace kura::oidc {
namespace {

enum class Scheme { kPkcs1, kPss, kEcdsa };

struct Algorithm {
  std::string_view name;
  Scheme scheme;
  const char* digest;
  std::string_view curve;  // ES*: the one curve the algorithm is defined on
  size_t ec_field_bytes;
};

constexpr Algorithm kAlgorithms[] = {
    {"RS256", Scheme::kPkcs1, "SHA256", "", 0},
    {"RS384", Scheme::kPkcs1, "SHA384", "", 0},
    {"RS512", Scheme::kPkcs1, "SHA512", "", 0},
    {"PS256", Scheme::kPss, "SHA256", "", 0},
    {"PS384", Scheme::kPss, "SHA384", "", 0},
    {"ES256", Scheme::kEcdsa, "SHA256", "P-256", 32},
    {"ES384", Scheme::kEcdsa, "SHA384", "P-384", 48},
};

const Algorithm* Find(std::string_view alg) {
  for (const Algorithm& a : kAlgorithms) {
    if (a.name == alg) return &a;
  }
  return nullptr;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

// JWS ECDSA signatures are r||s, each exactly the field size (RFC 7518 §3.4); OpenSSL wants DER.
std::optional<std::string> RawEcdsaToDer(std::string_view raw, size_t field_bytes) {
  if (raw.size() != 2 * field_bytes) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(field_bytes), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + field_bytes, static_cast<int>(field_bytes), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return std::nullopt;
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) return std::nullopt;
  return der;
}

bool KeyFits(const Algorithm& a, const Jwk& key) {
  if (!key.alg.empty() && key.alg != a.name) return false;
  if (a.scheme == Scheme::kEcdsa) return key.type == KeyType::kEc && key.curve == a.curve;
  return key.type == KeyType::kRsa;
}

}  // namespace

bool IsSupportedAlgorithm(std::string_view alg) { return Find(alg) != nullptr; }

bool VerifyJwsSignature(std::string_view alg, std::string_view signing_input,
                        std::string_view signature, const Jwk& key) {
  const Algorithm* a = Find(alg);
  if (a == nullptr || !KeyFits(*a, key)) return false;
  std::string der;
  if (a->scheme == Scheme::kEcdsa) {
    auto converted = RawEcdsaToDer(signature, a->ec_field_bytes);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pctx, a->digest, nullptr, nullptr, key.key.get(),
                                      nullptr) != 1) {
    return false;
  }
  if (a->scheme == Scheme::kPss &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

}  // namespace kura::oidc
