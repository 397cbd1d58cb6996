// `kura sts rotate-key`, `kura sts list-sessions` and `kura sts revoke-sessions`: operator
// commands for session tokens.
//  - rotate-key: a new active key in the node's token key ring (DATA/sts-keys, or with
//    --metadata postgresql://… the ring every node sharing that store serves, sealed with
//    --secrets-key-file; see node/node_state.h); older keys keep opening their tokens until
//    those expire, then are pruned. A running server reloads the ring within seconds (SIGHUP
//    makes it immediate on a single node).
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
//  - list-sessions: the live sessions (all, or one role's) through the running server's IAM
//    ListSessions (docs/operations.md, "Live STS sessions"), every page, one line each.
#include <cstdio>
#include <filesystem>
#include <map>

#include "cmd/admin_client.h"
#include "cmd/sts_setup.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "cmd/shared_node_state.h"
#include "node/data_dir_node_state.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: kura sts <command> [flags]\n\n"
    "commands:\n"
    "  rotate-key       --data-dir DIR\n"
    "  rotate-key       --metadata postgresql://... --secrets-key-file PATH\n"
    "      make a new active token key (old tokens stay valid until they expire); with\n"
    "      --metadata: the key ring of every node sharing that store, whose new key seals\n"
    "      from 10 s later, once every node has loaded it (docs/scale-out.md)\n"
    "  list-sessions    [--role NAME] [--data-dir DIR] [--endpoint http://127.0.0.1:9000]\n"
    "                   [--region us-east-1]\n"
    "      the live (issued, unexpired, unrevoked) sessions, newest first, with where\n"
    "      they were last used (IAM ListSessions as root; no secrets)\n"
    "  revoke-sessions  --role NAME [--data-dir DIR] [--endpoint http://127.0.0.1:9000]\n"
    "                   [--region us-east-1]\n"
    "      deny every session of the role issued before now (inline policy\n"
    "      AWSRevokeOlderSessions, through the running server's IAM API as root)\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura sts: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

// Rotates the ring wherever the node keeps it (node/node_state.h), so one code path serves the
// data dir and the shared metadata store.
int RotateKey(node::NodeState& state) {
  SystemClock clock;
  auto ring = state.OpenTokenKeyRing(clock.Now());
  if (!ring) return Usage(ring.error().message);
  auto rotated = (*ring)->Rotate(clock.Now(), state.TokenKeyLeadTime());
  if (!rotated) return Usage(rotated.error().message);
  auto pruned = (*ring)->Prune(clock.Now());
  if (!pruned) return Usage(pruned.error().message);
  auto keys = (*ring)->Snapshot();
  if (state.TokenKeyLeadTime() == std::chrono::seconds{}) {
    std::printf("active token key is now %u (%zu keys in %s); a running server reloads it within "
                "seconds (SIGHUP: at once)\n",
                keys->Active().id, keys->keys.size(), state.TokenKeysPlace().c_str());
  } else {
    std::printf("token key %u (%zu keys in %s) seals new tokens from %s, once every node has "
                "loaded it; until then the nodes open tokens with it but seal with key %u\n",
                keys->Active().id, keys->keys.size(), state.TokenKeysPlace().c_str(),
                FormatIso8601Seconds(keys->Active().created_at).c_str(),
                keys->SealingKeyAt(clock.Now()).id);
  }
  return 0;
}

int RotateKey(const std::map<std::string, std::string>& flags) {
  const fs::path data_dir = flags.at("data-dir");
  if (!IsSharedMetadata(flags.at("metadata"))) {
    SecureRandom random;
    node::DataDirNodeState state(data_dir, random);
    return RotateKey(state);
  }
  auto shared = SharedNodeState::Open(data_dir, flags.at("metadata"), flags.at("secrets-key-file"));
  if (!shared) return Usage(shared.error().message);
  return RotateKey((*shared)->state());
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

// The text of the first <name>…</name> in `xml` ("" if none), with XML's entities unescaped.
std::string ElementText(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
  size_t begin = xml.find(open);
  if (begin == std::string_view::npos) return "";
  begin += open.size();
  size_t end = xml.find(close, begin);
  if (end == std::string_view::npos) return "";
  std::string text;
  std::string_view raw = xml.substr(begin, end - begin);
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (size_t i = 0; i < raw.size(); ++i) {
    bool replaced = false;
    for (const auto& [entity, c] : kEntities) {
      if (raw.substr(i).starts_with(entity)) {
        text.push_back(c);
        i += entity.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) text.push_back(raw[i]);
  }
  return text;
}

void PrintSession(std::string_view member) {
  std::string role = ElementText(member, "RoleArn");
  std::string who = role.empty() ? ElementText(member, "IssuerArn") : role;
  std::string used = ElementText(member, "LastUsedAt");
  if (used.empty()) {
    used = "never";
  } else {
    used += " from " + ElementText(member, "LastUsedFrom");
  }
  std::printf("%-20s  %-40s  %-20s  %-16s  %-20s  %-20s  %s\n",
              ElementText(member, "AccessKeyId").c_str(), who.c_str(),
              ElementText(member, "RoleSessionName").c_str(),
              ElementText(member, "SourceIdentity").c_str(),
              ElementText(member, "IssuedAt").c_str(), ElementText(member, "Expiration").c_str(),
              used.c_str());
}

int ListSessions(const std::map<std::string, std::string>& flags) {
  auto endpoint = ParseAdminEndpoint(flags.at("endpoint"));
  if (!endpoint) return Usage(endpoint.error().message);
  auto root = AdminCredentials(flags.at("data-dir"));
  if (!root) return Usage(root.error().message);
  auto role = flags.find("role");
  std::printf("%-20s  %-40s  %-20s  %-16s  %-20s  %-20s  %s\n", "ACCESS KEY ID",
              "ROLE (or USER)", "SESSION NAME", "SOURCE IDENTITY", "ISSUED", "EXPIRES",
              "LAST USED");
  std::string marker;
  do {
    std::string body = "Action=ListSessions&Version=2010-05-08&MaxItems=1000";
    if (role != flags.end()) body += "&RoleName=" + UriEncode(role->second);
    if (!marker.empty()) body += "&Marker=" + UriEncode(marker);
    auto response =
        PostSigned(*endpoint, flags.at("region"), *root,
                   {"iam", "application/x-www-form-urlencoded; charset=utf-8", body, {}});
    if (!response) return Usage(response.error().message);
    if (response->status != 200) {
      std::fprintf(stderr, "kura sts: ListSessions failed (%d):\n%s\n", response->status,
                   response->body.c_str());
      return 1;
    }
    std::string_view xml = response->body;
    for (size_t at = xml.find("<member>"); at != std::string_view::npos;
         at = xml.find("<member>", at + 1)) {
      size_t end = xml.find("</member>", at);
      if (end == std::string_view::npos) break;
      PrintSession(xml.substr(at, end - at));
    }
    marker = ElementText(xml, "IsTruncated") == "true" ? ElementText(xml, "Marker") : "";
  } while (!marker.empty());
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
                                {"metadata", "sqlite"},
                                {"secrets-key-file", ""},
                                {"endpoint", "http://127.0.0.1:9000"},
                                {"region", "us-east-1"}});
  if (!flags) return Usage(flags.error().message);
  if (args[0] == "rotate-key") return RotateKey(*flags);
  if (args[0] == "revoke-sessions") return RevokeSessions(*flags);
  if (args[0] == "list-sessions") return ListSessions(*flags);
  return Usage("unknown command '" + args[0] + "'");
}

}  // namespace kura::cmd
