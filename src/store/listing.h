// The ListObjects page algorithm, shared by every MetadataStore implementation. It walks an
// ordered cursor over one bucket's keys; with a delimiter, the first key under a common prefix
// emits that prefix and the cursor then seeks past every key sharing it (one seek, not a scan),
// so a page costs O(max_keys) seeks/steps whatever the bucket size.
// Thread-safety: pure functions; the cursor is the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// An ordered (memcmp) cursor over the keys of one bucket.
class KeyCursor {
 public:
  virtual ~KeyCursor() = default;
  // Positions at the first key >= `from`; false when there is none.
  virtual Result<bool> Seek(std::string_view from) = 0;
  // Advances to the following key; false at the end.
  virtual Result<bool> Next() = 0;
  virtual std::string_view key() const = 0;
  // The record at the cursor, without inline bytes.
  virtual Result<ObjectRecord> Record() const = 0;
};

// A KeyCursor over the current versions of one bucket's keys, delete markers included, that
// also reads each key's noncurrent versions (for ListObjectVersions).
class VersionCursor : public KeyCursor {
 public:
  // The sequence of the current version at the cursor.
  virtual int64_t sequence() const = 0;
  // The noncurrent versions of `key` older than sequence `below`, newest first, at most
  // `limit`, without inline bytes and with is_latest false.
  virtual Result<std::vector<ObjectRecord>> Older(std::string_view key, int64_t below,
                                                  int limit) = 0;
  // The sequence of a version of `key`, current or not; nullopt when there is no such version.
  virtual Result<std::optional<int64_t>> SequenceOf(std::string_view key,
                                                    std::string_view version_id) = 0;
};

// The smallest string greater than every string starting with `prefix`, or nullopt if none
// (empty prefix or all bytes 0xFF).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// Fills one page per `query` (max_keys clamped to [0, 1000]; 0 gives an empty, untruncated page).
Result<ListPage> ListPageFromCursor(const ListQuery& query, KeyCursor& cursor);

// Fills one ListObjectVersions page per `query` (max_keys clamped likewise); a page costs
// O(max_keys) seeks/steps. kInvalidArgument for a version_id_marker not found under key_marker.
Result<VersionListPage> VersionPageFromCursor(const VersionListQuery& query,
                                              VersionCursor& cursor);

}  // namespace kura::store
