// The free-space reserve on the request path: which operations take space, and the refusal
// (507 InsufficientStorage) of those that do while the data dir's file system is below its
// reserve (store/space/free_space.h). The refusal comes before the body is read, so a client
// sending a large body is answered at once (and, with Expect: 100-continue, never sends it).
// Operations that free space or restrict access — deletes, aborts, DeleteAccessKey,
// UpdateAccessKey, DetachRolePolicy, CloseAccount, and PutRolePolicy of
// AWSRevokeOlderSessions (`kura sts revoke-sessions`) — are never refused here: they must work
// on a full disk (the metadata ballast gives their commit room).
// Thread-safety: stateless; the monitor is thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "store/space/free_space.h"

namespace kura::api {

// Whether `operation` (as AWS names it: PutObject, CreateUser, CreateKey, CreateAccount…) stores
// something new: its name begins with a verb that adds (Create, Put, Upload, Copy,
// Post, Add, Attach, Tag, Import, Invite). `policy_name` is a Query call's
// PolicyName: AWSRevokeOlderSessions is a revocation, not an addition.
bool TakesSpace(std::string_view operation, std::string_view policy_name = {});

// kInsufficientStorage when `operation` takes space and the file system cannot take
// `incoming` more bytes above its reserve; re-reads the file system after such a refusal so
// that freed space is seen by the next request.
Result<void> CheckFreeSpace(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                            uint64_t incoming, std::string_view policy_name = {});

// After `operation` failed with a server fault: InsufficientStorage when it took space and it
// failed on ENOSPC (a body that filled the disk half-way) or the file system is now too full for
// `incoming` bytes; otherwise `error` unchanged.
Error ExplainWriteFailure(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                          uint64_t incoming, Error error);

}  // namespace kura::api
