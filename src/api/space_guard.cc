#include "api/space_guard.h"

#include <string>

namespace kura::api {
namespace {

// The name of the inline role policy `kura sts revoke-sessions` puts (AWS's "Revoke active
// sessions"): it only denies.
constexpr std::string_view kRevokePolicyName = "AWSRevokeOlderSessions";

}  // namespace

bool TakesSpace(std::string_view operation, std::string_view policy_name) {
  static constexpr std::string_view kAddingVerbs[] = {
      "Create", "Put",    "Upload", "Copy",   "Complete", "Post",   "Add",
      "Attach", "Tag",    "Import", "Invite"};
  if (operation == "PutRolePolicy" && policy_name == kRevokePolicyName) return false;
  for (std::string_view verb : kAddingVerbs) {
    if (operation.starts_with(verb)) return true;
  }
  return false;
}

Result<void> CheckFreeSpace(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                            uint64_t incoming, std::string_view policy_name) {
  if (monitor == nullptr || !TakesSpace(operation, policy_name)) return Ok();
  if (!monitor->BelowReserve(incoming)) return Ok();
  monitor->Refresh();  // the next request sees space a delete has freed meanwhile
  return ErrorCode::kInsufficientStorage;
}

Error ExplainWriteFailure(store::space::FreeSpaceMonitor* monitor, std::string_view operation,
                          uint64_t incoming, Error error) {
  if (monitor == nullptr || error.code != ErrorCode::kInternalError || !TakesSpace(operation)) {
    return error;
  }
  monitor->Refresh();
  // A blob write that hit ENOSPC names strerror's text in its (log-only) message. TODO(#16): the
  // blob store's ErrnoError should make ENOSPC/EDQUOT kInsufficientStorage itself.
  bool out_of_space = error.message.find("No space left on device") != std::string::npos ||
                      error.message.find("Disk quota exceeded") != std::string::npos;
  if (!out_of_space && !monitor->BelowReserve(incoming)) return error;
  Error full = MakeError(ErrorCode::kInsufficientStorage);
  full.message = error.message;  // the detail, for the log (ForClient shows the default)
  return full;
}

}  // namespace kura::api
