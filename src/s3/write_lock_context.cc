#include "s3/write_lock_context.h"

namespace kura::s3 {

store::LockContext WriteLockContext(S3Env& env, const S3Call& /*call*/) {
  return store::LockContext{.now = env.clock.Now(), .bypass_governance = false};
}

}  // namespace kura::s3
