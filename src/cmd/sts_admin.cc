// `kura sts rotate-key` and `kura sts revoke-sessions`: operator commands for session tokens.
//  - rotate-key: a new active key in DATA/sts-keys; older keys keep opening their tokens until
//    those expire, then are pruned. A running server reloads the file within seconds (SIGHUP
//    makes it immediate).
//  - revoke-sessions: AWS's "Revoke active sessions" for a role
//    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html): puts
//    the inline role policy AWSRevokeOlderSessions, denying everything to sessions whose
//    aws:TokenIssueTime is before the next whole second, through the running server's IAM
//    PutRolePolicy, signed with the root credentials (KURA_ROOT_ACCESS_KEY/SECRET_KEY or
//    DATA/root-credentials).
//    Equivalent: aws iam put-role-policy --role-name NAME --policy-name AWSRevokeOlderSessions
//    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],
//    "Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"NOW"}}}]}'
//    Session issue times are whole seconds (truncated), so the cut-off is rounded up: a session
//    issued earlier in the current second must not survive (it would read as issued at NOW,
//    which is not less than NOW). Sessions issued in the rest of that second are revoked too.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

#include "api/root_credentials.h"
#include "cmd/sts_setup.h"
#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signing_key.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr char kUsage[] =
    "usage: kura sts <command> [flags]\n\n"
    "commands:\n"
    "  rotate-key       --data-dir DIR\n"
    "      make a new active token key (old tokens stay valid until they expire)\n"
    "  revoke-sessions  --role NAME [--data-dir DIR] [--endpoint http://127.0.0.1:9000]\n"
    "                   [--region us-east-1]\n"
    "      deny every session of the role issued before now (inline policy\n"
    "      AWSRevokeOlderSessions, through the running server's IAM API as root)\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura sts: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

Result<std::map<std::string, std::string>> ParseFlags(const std::vector<std::string>& args) {
  std::map<std::string, std::string> flags = {{"data-dir", "./kura-data"},
                                              {"endpoint", "http://127.0.0.1:9000"},
                                              {"region", "us-east-1"}};
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].starts_with("--") || i + 1 >= args.size()) {
      return MakeError(ErrorCode::kInvalidArgument, "bad argument '" + args[i] + "'");
    }
    flags[args[i].substr(2)] = args[i + 1];
    ++i;
  }
  return flags;
}

int RotateKey(const fs::path& data_dir) {
  SecureRandom random;
  SystemClock clock;
  auto ring =
      sts::TokenKeyRing::OpenOrCreate(StsKeyFile(data_dir), sts::kTokenKeys, random, clock.Now());
  if (!ring) return Usage(ring.error().message);
  auto rotated = (*ring)->Rotate(clock.Now());
  if (!rotated) return Usage(rotated.error().message);
  auto pruned = (*ring)->Prune(clock.Now());
  if (!pruned) return Usage(pruned.error().message);
  auto keys = (*ring)->Snapshot();
  std::printf("active token key is now %u (%zu keys in %s); a running server reloads it within "
              "seconds (SIGHUP: at once)\n",
              keys->Active().id, keys->keys.size(), StsKeyFile(data_dir).c_str());
  return 0;
}

std::string RevokePolicy(TimePoint cutoff) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],)"
         R"("Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":")" +
         FormatIso8601Seconds(cutoff) + R"("}}}]})";
}

struct Endpoint {
  std::string host;
  std::string port;
};

Result<Endpoint> ParseEndpoint(std::string_view url) {
  if (!url.starts_with("http://")) {
    return MakeError(ErrorCode::kInvalidArgument, "--endpoint must be http://HOST:PORT");
  }
  url.remove_prefix(7);
  url = url.substr(0, url.find('/'));
  size_t colon = url.rfind(':');
  if (colon == std::string_view::npos) return Endpoint{std::string(url), "80"};
  return Endpoint{std::string(url.substr(0, colon)), std::string(url.substr(colon + 1))};
}

// A SigV4-signed IAM Query API POST; the response status and body.
Result<std::pair<int, std::string>> PostSigned(const Endpoint& endpoint, const std::string& region,
                                               const api::RootCredentials& root,
                                               const std::string& body) {
  std::string host = endpoint.host + ":" + endpoint.port;
  std::string amz_date = FormatAmzDate(SystemClock().Now());
  std::string date = amz_date.substr(0, 8);
  std::string content_type = "application/x-www-form-urlencoded; charset=utf-8";
  std::string headers = "content-type:" + content_type + "\nhost:" + host +
                        "\nx-amz-date:" + amz_date + "\n";
  std::string signed_headers = "content-type;host;x-amz-date";
  std::string canonical = sigv4::CanonicalRequest(
      {"POST", "/", "", headers, signed_headers, Sha256Hex(body)});
  std::string scope = sigv4::CredentialScope(date, region, "iam");
  Secret key = sigv4::DeriveSigningKey(root.secret_key, date, region, "iam");
  std::string signature = sigv4::SignatureHex(key, sigv4::StringToSign(amz_date, scope, canonical));

  bhttp::request<bhttp::string_body> request{bhttp::verb::post, "/", 11};
  request.set(bhttp::field::host, host);
  request.set(bhttp::field::content_type, content_type);
  request.set("x-amz-date", amz_date);
  request.set(bhttp::field::authorization,
              "AWS4-HMAC-SHA256 Credential=" + root.access_key_id + "/" + scope +
                  ", SignedHeaders=" + signed_headers + ", Signature=" + signature);
  request.body() = body;
  request.prepare_payload();

  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  beast::error_code ec;
  auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (!ec) stream.connect(addresses, ec);
  if (!ec) bhttp::write(stream, request, ec);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  if (!ec) bhttp::read(stream, buffer, response, ec);
  if (ec) return MakeError(ErrorCode::kInternalError, "cannot reach " + host + ": " + ec.message());
  return std::make_pair(static_cast<int>(response.result_int()), response.body());
}

int RevokeSessions(const std::map<std::string, std::string>& flags) {
  auto role = flags.find("role");
  if (role == flags.end() || role->second.empty()) return Usage("revoke-sessions needs --role");
  auto endpoint = ParseEndpoint(flags.at("endpoint"));
  if (!endpoint) return Usage(endpoint.error().message);
  fs::path data_dir = flags.at("data-dir");
  bool have_env = std::getenv("KURA_ROOT_ACCESS_KEY") && std::getenv("KURA_ROOT_SECRET_KEY");
  if (!have_env && !fs::exists(data_dir / "root-credentials")) {
    return Usage("no root credentials: set KURA_ROOT_ACCESS_KEY/KURA_ROOT_SECRET_KEY or "
                 "--data-dir");
  }
  SecureRandom random;
  auto root = api::LoadOrCreateRootCredentials(data_dir, random);
  if (!root) return Usage(root.error().message);
  TimePoint cutoff = FromUnixSeconds(UnixSeconds(SystemClock().Now()) + 1);
  std::string body = "Action=PutRolePolicy&Version=2010-05-08&RoleName=" +
                     UriEncode(role->second) + "&PolicyName=AWSRevokeOlderSessions" +
                     "&PolicyDocument=" + UriEncode(RevokePolicy(cutoff));
  auto response = PostSigned(*endpoint, flags.at("region"), *root, body);
  if (!response) return Usage(response.error().message);
  if (response->first != 200) {
    std::fprintf(stderr, "kura sts: PutRolePolicy failed (%d):\n%s\n", response->first,
                 response->second.c_str());
    return 1;
  }
  std::printf("revoked the sessions of role %s issued before %s\n", role->second.c_str(),
              FormatIso8601Seconds(cutoff).c_str());
  return 0;
}

}  // namespace

int StsCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  auto flags = ParseFlags({args.begin() + 1, args.end()});
  if (!flags) return Usage(flags.error().message);
  if (args[0] == "rotate-key") return RotateKey(flags->at("data-dir"));
  if (args[0] == "revoke-sessions") return RevokeSessions(*flags);
  return Usage("unknown command '" + args[0] + "'");
}

}  // namespace kura::cmd
