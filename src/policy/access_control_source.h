// Where the authorizer finds access control lists (today: S3 bucket and object ACLs), asked by
// interface so that the policy layer names no storage: cmd wires in s3::AclGrantSource, tests a
// fake. An ACL grant counts as a resource-based policy Allow for its grantees, so the authorizer
// asks only when the policies allowed nothing and denied nothing explicitly (AWS:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html);
// requests the policies allow never reach it.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <string_view>

#include "common/principal.h"
#include "policy/authorizer.h"

namespace kura::policy {

class AccessControlSource {
 public:
  virtual ~AccessControlSource() = default;
  // Whether an ACL of `resource` (or of its bucket, for the bucket's actions on objects such as
  // s3:PutObject) grants `principal` the permission `action` needs. May read storage: it is off
  // the fast path. `facts.version_id` names the object version whose ACL counts.
  virtual bool AclGrants(const Principal& principal, std::string_view action,
                         std::string_view resource, const RequestAttributes& facts) const = 0;
};

}  // namespace kura::policy
