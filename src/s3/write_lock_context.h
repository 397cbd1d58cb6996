// The Object Lock context of an object write or delete (store::LockContext): the time against
// which retention is judged and whether GOVERNANCE retention is bypassed. One function, so that
// every write handler builds it the same way and the bypass rule lives in one place.
// Thread-safety: pure over the thread-safe clock.
#pragma once

#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// now = the server's clock; bypass_governance = false (a write that honours
// x-amz-bypass-governance-retention sets it after authorizing s3:BypassGovernanceRetention).
store::LockContext WriteLockContext(S3Env& env, const S3Call& call);

}  // namespace kura::s3
