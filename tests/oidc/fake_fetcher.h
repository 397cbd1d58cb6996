// Test-only: an HttpFetcher answering from a map of URL → body (absent URLs and `down` fail
// with IDPCommunicationError), counting requests.
#pragma once

#include <map>
#include <string>

#include "oidc/http_fetcher.h"

namespace kura::oidc::testing {

class FakeFetcher final : public HttpFetcher {
 public:
  Result<std::string> Get(std::string_view url, size_t max_bytes) const override {
    ++requests;
    auto it = bodies.find(std::string(url));
    if (down || it == bodies.end() || it->second.size() > max_bytes) {
      return MakeError(ErrorCode::kIDPCommunicationError, "unreachable: " + std::string(url));
    }
    return it->second;
  }

  // Serves discovery for `issuer` pointing at ISSUER/jwks, and that JWKS.
  void Serve(const std::string& issuer, const std::string& jwks) {
    bodies[issuer + "/.well-known/openid-configuration"] =
        R"({"issuer":")" + issuer + R"(","jwks_uri":")" + issuer + R"(/jwks"})";
    bodies[issuer + "/jwks"] = jwks;
  }

  std::map<std::string, std::string> bodies;
  bool down = false;
  mutable int requests = 0;
};

}  // namespace kura::oidc::testing
