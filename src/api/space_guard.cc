#include "api/space_guard.h"

#include <string>

namespace kura::api {
namespace {

// The name of the inline role policy `kura sts revoke-sessions` puts (AWS's "Revoke active
// sessions"): it only denies.
constexpr std::string_view kRevokePolicyName = "AWSRevokeOlderSessions";

}  // namespace

bool TakesSpace(std::string_view operation, std::string_view policy_name) {
  // Not "Complete": CompleteMultipartUpload references the parts already stored without copying
  // them (one metadata row, which the ballast covers); refusing it would strand the parts' space
  // until the client aborts and loses its upload.
  static constexpr std::string_view kAddingVerbs[] = {"Create", "Put",    "Upload", "Copy",
                                                      "Post",   "Add",    "Attach", "Tag",
                                                      "Import", "Invite"};
  if (operation == "PutRolePolicy" && policy_name == kRevokePolicyName) return false;
  for (std::string_view verb : kAddingVerbs) {
    if (operation.starts_with(verb)) return true;
  }
  return false;
}

Result<void> CheckFreeSpace(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                            uint64_t incoming, std::string_view policy_name) {
  if (monitor == nullptr || !TakesSpace(operation, policy_name)) return Ok();
  if (monitor->Admit(incoming)) return Ok();
  monitor->Refresh();  // the next request sees space a delete has freed meanwhile
  return ErrorCode::kInsufficientStorage;
}

Error ExplainWriteFailure(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                          uint64_t incoming, Error error) {
  if (monitor == nullptr || !TakesSpace(operation)) return error;
  if (error.code == ErrorCode::kInsufficientStorage) {  // a blob write met ENOSPC/EDQUOT
    monitor->Refresh();
    return error;
  }
  if (error.code != ErrorCode::kInternalError) return error;
  monitor->Refresh();
  if (!monitor->BelowReserve(incoming)) return error;
  Error full = MakeError(ErrorCode::kInsufficientStorage);
  full.message = error.message;  // the detail, for the log (ForClient shows the default)
  return full;
}

}  // namespace kura::api
