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
#include <cstdio>
#include <filesystem>
#include <map>

#include "cmd/admin_client.h"
#include "cmd/sts_setup.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;

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

int RevokeSessions(const std::map<std::string, std::string>& flags) {
  auto role = flags.find("role");
  if (role == flags.end() || role->second.empty()) return Usage("revoke-sessions needs --role");
  auto endpoint = ParseAdminEndpoint(flags.at("endpoint"));
  if (!endpoint) return Usage(endpoint.error().message);
  auto root = AdminCredentials(flags.at("data-dir"));
  if (!root) return Usage(root.error().message);
  TimePoint cutoff = FromUnixSeconds(UnixSeconds(SystemClock().Now()) + 1);
  std::string body = "Action=PutRolePolicy&Version=2010-05-08&RoleName=" +
                     UriEncode(role->second) + "&PolicyName=AWSRevokeOlderSessions" +
                     "&PolicyDocument=" + UriEncode(RevokePolicy(cutoff));
  auto response = PostSigned(*endpoint, flags.at("region"), *root,
                             {"iam", "application/x-www-form-urlencoded; charset=utf-8", body, {}});
  if (!response) return Usage(response.error().message);
  if (response->status != 200) {
    std::fprintf(stderr, "kura sts: PutRolePolicy failed (%d):\n%s\n", response->status,
                 response->body.c_str());
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
  auto flags = ParseAdminFlags({args.begin() + 1, args.end()},
                               {{"data-dir", "./kura-data"},
                                {"endpoint", "http://127.0.0.1:9000"},
                                {"region", "us-east-1"}});
  if (!flags) return Usage(flags.error().message);
  if (args[0] == "rotate-key") return RotateKey(flags->at("data-dir"));
  if (args[0] == "revoke-sessions") return RevokeSessions(*flags);
  return Usage("unknown command '" + args[0] + "'");
}

}  // namespace kura::cmd
