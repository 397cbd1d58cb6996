// The access keys' last uses (IAM GetAccessKeyLastUsed), kept with the metadata so that they
// outlive a restart and every node sharing one metadata store answers the same. Each key has one
// row, its latest use: a node flushes the uses it verified in batches (iam/key_usage_flusher.h),
// never a write per request, and a batch never replaces a stored use by an earlier one (nodes
// flush in any order). Writes of the log never move the configuration generation
// (MetadataStore::ConfigGeneration): a use is not configuration, and every node would otherwise
// reload all of it at every flush. Every MetadataStore implementation (memory, SQLite,
// PostgreSQL) is also a KeyUsageLog of its own data, as it is a NodeRegistry; one contract suite
// runs on each (tests/store/key_usage_log_contract_test.cc).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
// Thread-safety: all members may be called concurrently. All are blocking (call them off the
// I/O threads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::store {

// One verified use of an access key.
struct KeyUse {
  std::string access_key_id;
  int64_t used_at_ms = 0;  // milliseconds since the Unix epoch
  std::string service;     // the service the request was signed for: "s3", "iam", "sts" …
  std::string region;      // the region it was signed for

  bool operator==(const KeyUse&) const = default;
};

class KeyUsageLog {
 public:
  virtual ~KeyUsageLog() = default;

  // Keeps, per key, the latest of its stored use and those of `uses` (one transaction where
  // the engine has them); an earlier use never replaces a later one.
  virtual Result<void> RecordKeyUses(const std::vector<KeyUse>& uses) = 0;
  // The key's stored use; nullopt when none was recorded.
  virtual Result<std::optional<KeyUse>> LastKeyUse(std::string_view access_key_id) = 0;
};

// One use per key, its latest, in the order of the key ids: what an implementation writes, so
// that a statement never names a key twice and concurrent writers (nodes on one PostgreSQL) lock
// rows in one order, never deadlocking each other.
std::vector<KeyUse> LatestPerKey(std::vector<KeyUse> uses);

}  // namespace kura::store
