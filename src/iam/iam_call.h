// What one IAM operation handler gets: the decoded call (already authorized by the pipeline),
// the identity state, and small helpers for the steps every handler takes — read and validate
// parameters, answer AWS's XML. Handlers live one file per operation family
// (users.cc, access_keys.cc, …) and are registered in iam_service.cc's table.
// Thread-safety: one IamCall per request.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/live_session.h"
#include "common/random.h"
#include "common/xml_writer.h"
#include "iam/iam_credential_resolver.h"
#include "iam/key_last_use.h"
#include "iam/identity_store.h"
#include "query/query_api.h"

namespace kura::iam {

namespace net = boost::asio;

inline constexpr std::string_view kIamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

// The long-lived objects the handlers use.
struct IamEnv {
  IdentityStore& store;
  KeyUsageSources usage;  // GetAccessKeyLastUsed
  const Clock& clock;
  Random& random;
  // The STS session registry, for ListSessions (sessions.cc); null when it is off.
  const LiveSessionSource* sessions = nullptr;
};

class IamCall {
 public:
  // The caller's account's state: every IAM call acts within the caller's own account.
  IamCall(const query::QueryCall& call, const IamEnv& env)
      : call_(call), env_(env), snapshot_(env.store.Current(call.principal->account_id)) {}

  // Whether the caller's account exists and is open (it may have closed since the credential
  // resolved); IamService answers AccessDenied otherwise.
  bool has_account() const { return snapshot_ != nullptr && snapshot_->state().account->active(); }

  const query::QueryCall& query() const { return call_; }
  const IamEnv& env() const { return env_; }
  const IdentitySnapshot& snapshot() const { return *snapshot_; }
  const std::string& account() const { return snapshot_->account_id(); }
  const Principal& principal() const { return *call_.principal; }
  TimePoint now() const { return env_.clock.Now(); }
  // Edits the caller's account (IdentityStore::Apply).
  boost::asio::awaitable<Result<void>> Apply(IdentityStore::Mutation mutate) const {
    return env_.store.Apply(account(), std::move(mutate));
  }

  // Parameters. Required ones answer ValidationError as AWS words it when absent.
  std::string Param(std::string_view name) const { return call_.Param(name); }
  bool Has(std::string_view name) const { return call_.Has(name); }
  Result<std::string> Required(std::string_view name, std::string_view member) const;
  // A user/group/role/policy name: required, 1–max characters of [\w+=,.@-].
  Result<std::string> Name(std::string_view param, std::string_view member,
                           size_t max_length = 64) const;
  // Path (default "/"): "/" or "/…/" with characters U+0021–U+007E, at most 512.
  Result<std::string> Path(std::string_view param = "Path") const;
  // A list parameter Name.member.1, Name.member.2, … in order.
  std::vector<std::string> List(std::string_view name) const;
  // Tags.member.N.Key / .Value, validated as AWS does.
  Result<std::vector<Tag>> Tags() const;

  // Opens <ActionResponse xmlns><ActionResult>; Finish closes them and adds ResponseMetadata.
  xml::Writer& Start();
  std::string Finish();
  // A response with no result element (DeleteUser …).
  std::string Empty();

 private:
  const query::QueryCall& call_;
  const IamEnv& env_;
  std::shared_ptr<const IdentitySnapshot> snapshot_;
  std::optional<xml::Writer> writer_;
};

// Pagination (Marker, MaxItems, IsTruncated). `keys` sorted; returns the [begin, end) range of
// the page and writes IsTruncated/Marker after the caller's list with WriteTail.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  bool truncated = false;
  std::string next_marker;
};
Result<Page> Paginate(const IamCall& call, const std::vector<std::string>& keys);
void WritePageTail(xml::Writer& w, const Page& page);

using Handler = net::awaitable<Result<std::string>> (*)(IamCall& call);

}  // namespace kura::iam
