// The policies one request's principal acts under, resolved once, when its credentials were:
// the session resolver validates a role session against the identity snapshot and takes the
// role's policies, boundary and tags from that same snapshot, with the session's compiled
// policies; the authorizer evaluates these instead of looking the role up again. It travels
// beside the Principal (sigv4 carries it opaquely as a ResolvedGrants; the pipeline hands it
// to the authorizer in RequestAttributes), so common/principal.h names no policy type.
// Thread-safety: an immutable value once built; `owners` keeps every pointer valid.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/principal.h"
#include "policy/compiled_policy.h"

namespace kura::policy {

struct ResolvedIdentity final : ResolvedGrants {
  const Principal* principal = nullptr;  // whom this was resolved for (the credential's)
  std::span<const CompiledPolicy* const> identity;  // the role's inline + attached
  const CompiledPolicy* boundary = nullptr;         // null = no permissions boundary
  // The session policy (inline) first, then its managed policy ARNs as of the snapshot; an ARN
  // that no longer resolves stands in as AllowsNothing().
  std::vector<const CompiledPolicy*> session_policies;
  std::vector<std::pair<std::string, std::string>> tags;  // the role's (aws:PrincipalTag/…)
  std::shared_ptr<const void> snapshot;  // owns `identity`, `boundary` and managed policies
  std::shared_ptr<const void> session;   // owns the compiled inline session policy
};

// The resolved identity `grants` carries for `principal`, or null (none, or another's).
inline const ResolvedIdentity* ResolvedFor(const ResolvedGrants* grants,
                                           const Principal& principal) {
  const auto* resolved = dynamic_cast<const ResolvedIdentity*>(grants);
  return resolved != nullptr && resolved->principal == &principal ? resolved : nullptr;
}

// A session policy ARN that no longer resolves: a session policy that allows nothing, so the
// session does not silently lose its restriction.
const CompiledPolicy& AllowsNothing();

}  // namespace kura::policy
