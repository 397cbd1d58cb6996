// STS sessions issued (kura_sts_sessions_issued_total). By default one series: role ARNs are
// names an account's users choose, and a label per role would let them grow the scrape without
// bound. An operator may opt in to a `role` label (--metrics-session-roles N): the first N
// distinct role ARNs seen get a series each, every later one counts in role="other"; sessions
// without a role (GetSessionToken) count as role="" then.
// Thread-safety: SessionIssued from any thread (lock-free; a role's series is claimed once with
// a compare-and-swap, its name copied then, so at most N strings are ever allocated).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "metrics/text_format.h"

namespace kura::metrics {

class SessionMetrics {
 public:
  static constexpr size_t kMaxRoleLabels = 256;
  // `role_labels`: 0 for no role label; otherwise how many roles get a series (at most
  // kMaxRoleLabels).
  explicit SessionMetrics(size_t role_labels = 0);
  ~SessionMetrics();
  SessionMetrics(const SessionMetrics&) = delete;
  SessionMetrics& operator=(const SessionMetrics&) = delete;

  // One session issued (AssumeRole, AssumeRoleWithWebIdentity: the role's ARN; GetSessionToken:
  // "").
  void SessionIssued(std::string_view role_arn);
  void Collect(TextWriter& out) const;

 private:
  struct Role;
  size_t role_labels_;
  std::unique_ptr<Role[]> roles_;  // role_labels_ slots
  std::atomic<uint64_t> total_{0};  // without the label
  std::atomic<uint64_t> other_{0};  // with it, beyond role_labels_ roles
};

}  // namespace kura::metrics
