// The node registry (issue #20): which nodes serving from one shared metadata store follow its
// configuration, and how far. Each node keeps one row: its id, the configuration generation it
// confirmed (every configuration write up to it, MetadataStore::ConfigGeneration, is in effect on
// that node) and its heartbeat, a time read from the STORE's clock when the row was written, so
// that every node's liveness is judged on one clock. Writes of the registry never move the
// configuration generation. node/config_follower.h writes it; node/write_acknowledgement.h reads
// it. Every MetadataStore implementation (memory, SQLite, PostgreSQL) is also a NodeRegistry of
// its own data; one contract test suite runs on each (tests/store/config_generation_contract_test).
// Thread-safety: all members may be called concurrently. All are blocking (call them off the
// I/O threads).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::store {

class NodeRegistry {
 public:
  virtual ~NodeRegistry() = default;

  // Creates or replaces `node_id`'s row with `generation` and a heartbeat of now.
  virtual Result<void> ConfirmFollowing(std::string_view node_id, uint64_t generation) = 0;
  // The nodes (by id) whose heartbeat is younger than `liveness` on the store's clock and whose
  // confirmed generation is below `generation`: those a configuration write committed at
  // `generation` still waits for.
  virtual Result<std::vector<std::string>> NodesBehind(uint64_t generation,
                                                       std::chrono::milliseconds liveness) = 0;
  // Removes `node_id`'s row (a clean stop); no row is not an error.
  virtual Result<void> LeaveFollowing(std::string_view node_id) = 0;
};

}  // namespace kura::store
