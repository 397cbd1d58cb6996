// The ListObjects page algorithm, shared by every MetadataStore implementation. It walks an
// ordered cursor over one bucket's keys; with a delimiter, the first key under a common prefix
// emits that prefix and the cursor then seeks past every key sharing it (one seek, not a scan),
// so a page costs O(max_keys) seeks/steps whatever the bucket size.
// Thread-safety: pure functions; the cursor is the caller's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// The smallest string greater than every string starting with `prefix`, or nullopt if none
// (empty prefix or all bytes 0xFF).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// Fills one page per `query` (max_keys clamped to [0, 1000]; 0 gives an empty, untruncated page).
Result<ListPage> ListPageFromCursor(const ListQuery& query, KeyCursor& cursor);

}  // namespace kura::store
