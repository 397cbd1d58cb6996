// A live STS session as an operator sees it (IAM ListSessions, the console's "live sessions"):
// who was given temporary credentials, when, until when, and where they were last used. Never
// a secret: no secret access key, no session token. The STS session registry
// (sts/session_registry.h) keeps these; IAM's ListSessions (iam/sessions.cc) reads them through
// LiveSessionSource, so that iam/ and sts/ stay independent of each other.
// Thread-safety: LiveSession is a plain value; LiveSessionSource implementations are
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace kura {

struct LiveSession {
  std::string access_key_id;    // ASIA…
  std::string account_id;       // the session's account (a role session's: the role's)
  std::string role_arn;         // empty for GetSessionToken sessions
  std::string role_id;          // AROA… (tells a re-created role of the same name apart)
  std::string session_name;     // RoleSessionName; empty for GetSessionToken sessions
  std::string source_identity;  // empty when none was set
  std::string issuer_arn;       // who asked: caller ARN, the user (GetSessionToken), the provider
  TimePoint issued_at;
  TimePoint expires_at;
  std::optional<TimePoint> last_used_at;  // when its credentials last authenticated a request
  std::string last_used_from;             // that request's source IP
};

class LiveSessionSource {
 public:
  virtual ~LiveSessionSource() = default;
  // The account's sessions that have not expired at `now`, in no particular order.
  virtual std::vector<LiveSession> List(std::string_view account_id, TimePoint now) const = 0;
};

}  // namespace kura
