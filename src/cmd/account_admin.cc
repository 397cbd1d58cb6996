#include "cmd/account_admin.h"

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cmd/admin_client.h"
#include "cmd/shared_node_state.h"
#include "node/account_credential_files.h"
#include "common/clock.h"
#include "common/text.h"
#include "common/time_format.h"
#include "organizations/organizations_service.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr char kUsage[] =
    "usage: kura account <command> [flags]\n\n"
    "commands (each a call to the running server as the management account's root):\n"
    "  create --name NAME [--email EMAIL] [--role-name OrganizationAccountAccessRole]\n"
    "      make an account; prints its id and its root credentials (shown once; kept in\n"
    "      DATA/accounts/ID/root-credentials, or sealed in the shared metadata store).\n"
    "      Without --email: NAME@accounts.kura.invalid\n"
    "      (NAME lower-cased, other characters than a-z 0-9 . _ - as '-')\n"
    "  list                 every account: id, status, joined, name, e-mail\n"
    "  show ID              one account\n"
    "  close ID             close an account (SUSPENDED): its credentials stop working\n\n"
    "flags of every command:\n"
    "  --data-dir DIR       the server's data dir (root credentials; default ./kura-data)\n"
    "  --metadata URL --secrets-key-file PATH\n"
    "                       instead of the data dir: the shared metadata store the nodes serve\n"
    "                       with (postgresql://...) and their secrets key (docs/scale-out.md)\n"
    "  --endpoint URL       the server (default http://127.0.0.1:9000)\n"
    "  --region REGION      signing region (default us-east-1)\n"
    "KURA_ROOT_ACCESS_KEY/KURA_ROOT_SECRET_KEY, when set, sign instead of DATA/root-credentials\n"
    "(or the shared store's root credentials).\n";

constexpr std::string_view kDefaultEmailDomain = "@accounts.kura.invalid";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura account: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

// NAME@accounts.kura.invalid, within Organizations' 64-character Email shape (.invalid is the
// TLD reserved never to resolve, RFC 2606).
std::string DefaultEmail(std::string_view name) {
  std::string local;
  for (char c : name) {
    char lower = AsciiLower(c);
    bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '.' ||
                lower == '_' || lower == '-';
    local += keep ? lower : '-';
  }
  local = local.substr(0, 64 - kDefaultEmailDomain.size());
  return local + std::string(kDefaultEmailDomain);
}

struct Session {
  std::map<std::string, std::string> flags;
  AdminEndpoint endpoint;
  api::RootCredentials root;
  std::unique_ptr<SharedNodeState> shared;  // with --metadata postgresql://…; else null
};

// A member account's root credentials and where they are kept: DATA/accounts/ID/… or, for
// nodes sharing a metadata store, its sealed document.
Result<std::pair<api::RootCredentials, std::string>> MemberCredentials(const Session& session,
                                                                       const std::string& id) {
  if (session.shared) {
    auto credentials = session.shared->accounts().Read(id);
    if (!credentials) return credentials.error();
    return std::pair{std::move(*credentials),
                     std::string("the shared metadata store, sealed with the secrets key")};
  }
  fs::path file = node::AccountCredentialsFile(session.flags.at("data-dir"), id);
  auto credentials = node::ReadAccountCredentials(file);
  if (!credentials) {
    return MakeError(credentials.error().code,
                     "the root credentials are in the server's data dir (" + file.string() +
                         "); pass its --data-dir to print them");
  }
  return std::pair{std::move(*credentials), file.string() + ", mode 0600"};
}

// Calls the operation; its JSON answer, or prints the server's error and returns nullopt.
std::optional<json::object> Call(const Session& session, std::string_view operation,
                                 const json::object& input) {
  AdminRequest request{
      "organizations",
      std::string(organizations::kJsonContentType),
      json::serialize(input),
      {{"x-amz-target", std::string(organizations::kTargetPrefix) + std::string(operation)}}};
  auto response = PostSigned(session.endpoint, session.flags.at("region"), session.root, request);
  if (!response) {
    std::fprintf(stderr, "kura account: %s\n", response.error().message.c_str());
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value answer = json::parse(response->body, ec);
  if (response->status != 200 || ec || !answer.is_object()) {
    std::fprintf(stderr, "kura account: %.*s failed (%d): %s\n", static_cast<int>(operation.size()),
                 operation.data(), response->status, response->body.c_str());
    return std::nullopt;
  }
  return answer.get_object();
}

std::string Text(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string Timestamp(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_number()) return "";
  return FormatIso8601Seconds(FromUnixSeconds(static_cast<int64_t>(v->to_number<double>())));
}

int Create(const Session& session) {
  const std::string& name = session.flags.at("name");
  if (name.empty()) return Usage("create needs --name");
  std::string email = session.flags.count("email") ? session.flags.at("email") : DefaultEmail(name);
  json::object input{{"AccountName", name}, {"Email", email}};
  if (session.flags.count("role-name")) input["RoleName"] = session.flags.at("role-name");
  auto answer = Call(session, "CreateAccount", input);
  if (!answer) return 1;
  const json::value* status_value = answer->if_contains("CreateAccountStatus");
  if (status_value == nullptr || !status_value->is_object()) return 1;
  const json::object& status = status_value->get_object();
  if (Text(status, "State") != "SUCCEEDED") {
    std::fprintf(stderr, "kura account: CreateAccount %s: %s (%s)\n", Text(status, "Id").c_str(),
                 Text(status, "State").c_str(), Text(status, "FailureReason").c_str());
    return 1;
  }
  std::string id = Text(status, "AccountId");
  std::printf("Created account %s (name %s, e-mail %s; request %s)\n", id.c_str(), name.c_str(),
              email.c_str(), Text(status, "Id").c_str());
  auto credentials = MemberCredentials(session, id);
  if (!credentials) {
    std::fprintf(stderr, "kura account: %s\n", credentials.error().message.c_str());
    return 1;
  }
  const auto& [root, place] = *credentials;
  std::printf(
      "Root credentials of account %s (shown once; kept in %s):\n"
      "  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n",
      id.c_str(), place.c_str(), root.access_key_id.c_str(),
      std::string(root.secret_key.Reveal()).c_str());
  return 0;
}

void PrintAccountLine(const json::object& account) {
  std::printf("%-12s  %-9s  %-20s  %s  %s\n", Text(account, "Id").c_str(),
              Text(account, "Status").c_str(), Timestamp(account, "JoinedTimestamp").c_str(),
              Text(account, "Name").c_str(), Text(account, "Email").c_str());
}

int List(const Session& session) {
  std::printf("%-12s  %-9s  %-20s  %s  %s\n", "ID", "STATUS", "JOINED", "NAME", "EMAIL");
  json::object input;
  for (;;) {
    auto answer = Call(session, "ListAccounts", input);
    if (!answer) return 1;
    if (const json::value* accounts = answer->if_contains("Accounts");
        accounts && accounts->is_array()) {
      for (const json::value& account : accounts->get_array()) {
        if (account.is_object()) PrintAccountLine(account.get_object());
      }
    }
    std::string next = Text(*answer, "NextToken");
    if (next.empty()) return 0;
    input["NextToken"] = next;
  }
}

int Show(const Session& session, const std::string& id) {
  auto answer = Call(session, "DescribeAccount", {{"AccountId", id}});
  if (!answer) return 1;
  const json::value* value = answer->if_contains("Account");
  if (value == nullptr || !value->is_object()) return 1;
  const json::object& account = value->get_object();
  for (std::string_view member : {"Id", "Arn", "Name", "Email", "Status", "JoinedMethod"}) {
    std::printf("%-16.*s%s\n", static_cast<int>(member.size()), member.data(),
                Text(account, member).c_str());
  }
  std::printf("%-16s%s\n", "JoinedTimestamp", Timestamp(account, "JoinedTimestamp").c_str());
  return 0;
}

int Close(const Session& session, const std::string& id) {
  if (!Call(session, "CloseAccount", {{"AccountId", id}})) return 1;
  std::printf(
      "Closed account %s (SUSPENDED): its root key, users' keys and sessions no longer "
      "work\n",
      id.c_str());
  return 0;
}

}  // namespace

int AccountCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::vector<std::string> positionals;
  auto flags = ParseAdminFlags({args.begin() + 1, args.end()},
                               {{"data-dir", "./kura-data"},
                                {"metadata", "sqlite"},
                                {"secrets-key-file", ""},
                                {"endpoint", "http://127.0.0.1:9000"},
                                {"region", "us-east-1"},
                                {"name", ""}},
                               &positionals);
  if (!flags) return Usage(flags.error().message);
  const std::string& command = args[0];
  bool takes_id = command == "show" || command == "close";
  if (command != "create" && command != "list" && !takes_id) {
    return Usage("unknown command '" + command + "'");
  }
  if (positionals.size() != (takes_id ? 1u : 0u)) {
    return Usage(takes_id ? command + " needs one account id" : "unexpected argument");
  }
  auto endpoint = ParseAdminEndpoint(flags->at("endpoint"));
  if (!endpoint) return Usage(endpoint.error().message);
  std::unique_ptr<SharedNodeState> shared;
  if (IsSharedMetadata(flags->at("metadata"))) {
    auto opened = SharedNodeState::Open(flags->at("data-dir"), flags->at("metadata"),
                                        flags->at("secrets-key-file"));
    if (!opened) return Usage(opened.error().message);
    shared = std::move(*opened);
  }
  // The management root signs: KURA_ROOT_* when set, else where the server keeps it.
  auto root = shared ? shared->state().LoadOrCreateRootCredentials()
                     : AdminCredentials(flags->at("data-dir"));
  if (!root) return Usage(root.error().message);
  Session session{std::move(*flags), std::move(*endpoint), std::move(*root), std::move(shared)};
  if (command == "create") return Create(session);
  if (command == "list") return List(session);
  if (command == "show") return Show(session, positionals[0]);
  return Close(session, positionals[0]);
}

}  // namespace kura::cmd
