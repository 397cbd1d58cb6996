// Each IAM user's access key's last use as this node saw it, for GetAccessKeyLastUsed
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html): when, and
// the service and region the request was signed for. IamCredentialResolver hands the key's slot
// to the verifier (ResolvedCredential::use), which tells it of a request only once its signature
// matched: a forged request naming the key moves nothing.
//  - Cheap on the request path: a key's slot is made once (the first time the key resolves) and
//    found again under a shared lock without building a string; a use is a few relaxed atomics,
//    and another use in the same second for the same service and region writes nothing, so a
//    busy key's cache line stays shared between cores.
//  - The uses reach the store (store::KeyUsageLog) in batches, by Flush (iam/key_usage_flusher.h):
//    each slot knows whether it changed since it was last written, and stays changed when a
//    write fails. The store keeps the latest use of every node's; GetAccessKeyLastUsed answers
//    the later of it and this node's (iam/key_last_use.h).
//  - A use read while another is being recorded may pair one use's time with the other's
//    service: both are of the same moment, within a second.
// Thread-safety: every member may be called concurrently; slots must not outlive the tracker.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/error.h"
#include "sigv4/credential_resolver.h"
#include "store/key_usage_log.h"

namespace kura::iam {

class KeyUsageTracker {
 public:
  // `region`: the server's (--region), which S3 requests are signed for.
  explicit KeyUsageTracker(std::string region);
  KeyUsageTracker(const KeyUsageTracker&) = delete;
  KeyUsageTracker& operator=(const KeyUsageTracker&) = delete;

  // The key's slot, made on the first call and the same ever after.
  std::shared_ptr<const sigv4::CredentialUse> UseOf(std::string_view access_key_id);
  // The key's last use on this node since it started; nullopt when none.
  std::optional<store::KeyUse> LastUse(std::string_view access_key_id) const;
  // Writes the uses recorded since they were last written, in one RecordKeyUses call (none when
  // nothing changed). On failure they stay to be written by the next Flush.
  Result<void> Flush(store::KeyUsageLog& log);

  const std::string& region() const { return region_; }

 private:
  class Slot;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  std::shared_ptr<Slot> Find(std::string_view access_key_id) const;

  const std::string region_;
  mutable std::shared_mutex mutex_;  // exclusive only to add the slot of a key seen the first time
  std::unordered_map<std::string, std::shared_ptr<Slot>, Hash, std::equal_to<>> slots_;
};

}  // namespace kura::iam
