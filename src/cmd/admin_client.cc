#include "cmd/admin_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/random.h"
#include "common/time_format.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signing_key.h"

namespace kura::cmd {
namespace {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
}  // namespace

Result<std::map<std::string, std::string>> ParseAdminFlags(
    const std::vector<std::string>& args, std::map<std::string, std::string> defaults,
    std::vector<std::string>* positionals) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].starts_with("--") && positionals != nullptr) {
      positionals->push_back(args[i]);
      continue;
    }
    if (!args[i].starts_with("--") || i + 1 >= args.size()) {
      return MakeError(ErrorCode::kInvalidArgument, "bad argument '" + args[i] + "'");
    }
    defaults[args[i].substr(2)] = args[i + 1];
    ++i;
  }
  return defaults;
}

Result<AdminEndpoint> ParseAdminEndpoint(std::string_view url) {
  if (!url.starts_with("http://")) {
    return MakeError(ErrorCode::kInvalidArgument, "--endpoint must be http://HOST:PORT");
  }
  url.remove_prefix(7);
  url = url.substr(0, url.find('/'));
  size_t colon = url.rfind(':');
  if (colon == std::string_view::npos) return AdminEndpoint{std::string(url), "80"};
  return AdminEndpoint{std::string(url.substr(0, colon)), std::string(url.substr(colon + 1))};
}

Result<api::RootCredentials> AdminCredentials(const std::filesystem::path& data_dir) {
  bool have_env = std::getenv("KURA_ROOT_ACCESS_KEY") && std::getenv("KURA_ROOT_SECRET_KEY");
  if (!have_env && !std::filesystem::exists(data_dir / "root-credentials")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no root credentials: set KURA_ROOT_ACCESS_KEY/KURA_ROOT_SECRET_KEY or "
                     "--data-dir");
  }
  SecureRandom random;  // unused: the file exists (LoadOrCreate creates only when it does not)
  return api::LoadOrCreateRootCredentials(data_dir, random);
}

Result<AdminResponse> PostSigned(const AdminEndpoint& endpoint, const std::string& region,
                                 const api::RootCredentials& root, const AdminRequest& request) {
  std::string host = endpoint.host + ":" + endpoint.port;
  std::string amz_date = FormatAmzDate(SystemClock().Now());
  std::string date = amz_date.substr(0, 8);
  std::vector<std::pair<std::string, std::string>> headers = request.headers;
  headers.emplace_back("content-type", request.content_type);
  headers.emplace_back("host", host);
  headers.emplace_back("x-amz-date", amz_date);
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  std::string canonical = sigv4::CanonicalRequest(
      {"POST", "/", "", canonical_headers, signed_headers, Sha256Hex(request.body)});
  std::string scope = sigv4::CredentialScope(date, region, request.service);
  Secret key = sigv4::DeriveSigningKey(root.secret_key, date, region, request.service);
  std::string signature = sigv4::SignatureHex(key, sigv4::StringToSign(amz_date, scope, canonical));

  bhttp::request<bhttp::string_body> http_request{bhttp::verb::post, "/", 11};
  for (const auto& [name, value] : headers) http_request.set(name, value);
  http_request.set(bhttp::field::authorization,
                   "AWS4-HMAC-SHA256 Credential=" + root.access_key_id + "/" + scope +
                       ", SignedHeaders=" + signed_headers + ", Signature=" + signature);
  http_request.body() = request.body;
  http_request.prepare_payload();

  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  beast::error_code ec;
  auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (!ec) stream.connect(addresses, ec);
  if (!ec) bhttp::write(stream, http_request, ec);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  if (!ec) bhttp::read(stream, buffer, response, ec);
  if (ec) return MakeError(ErrorCode::kInternalError, "cannot reach " + host + ": " + ec.message());
  return AdminResponse{static_cast<int>(response.result_int()), response.body()};
}

}  // namespace kura::cmd
