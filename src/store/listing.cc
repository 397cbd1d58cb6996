#include "store/listing.h"

#include <algorithm>

#include "common/limits.h"

namespace kura::store {
namespace {

// The smallest string strictly greater than s.
std::string Successor(std::string_view s) {
  std::string next(s);
  next.push_back('\0');
  return next;
}

// The common prefix `key` rolls up into, or "" when it is listed as itself.
std::string_view RollUp(std::string_view key, std::string_view prefix,
                        std::string_view delimiter) {
  if (delimiter.empty()) return {};
  size_t at = key.find(delimiter, prefix.size());
  if (at == std::string_view::npos) return {};
  return key.substr(0, at + delimiter.size());
}

std::string_view RollUp(std::string_view key, const ListQuery& query) {
  return RollUp(key, query.prefix, query.delimiter);
}

class PageBuilder {
 public:
  PageBuilder(const ListQuery& query, KeyCursor& cursor) : query_(query), cursor_(cursor) {}

  Result<ListPage> Build() {
    int max_keys = std::clamp(query_.max_keys, 0, limits::kMaxKeysPerPage);
    if (max_keys == 0) return std::move(page_);
    std::string from = query_.prefix;
    if (!query_.start_after.empty() && query_.start_after >= from) {
      from = Successor(query_.start_after);
    }
    auto found = cursor_.Seek(from);
    while (true) {
      if (!found) return found.error();
      if (!*found || !cursor_.key().starts_with(query_.prefix)) break;
      if (emitted_ == max_keys) {
        page_.is_truncated = true;
        break;
      }
      found = Visit();
    }
    if (!page_.is_truncated) page_.next_marker.clear();
    return std::move(page_);
  }

 private:
  // Emits the key (or its common prefix) at the cursor and moves past it.
  Result<bool> Visit() {
    std::string_view key = cursor_.key();
    std::string_view rolled = RollUp(key, query_);
    if (rolled.empty()) {
      auto record = cursor_.Record();
      if (!record) return record.error();
      page_.next_marker = record->key;
      page_.objects.push_back(std::move(record).value());
      ++emitted_;
      return cursor_.Next();
    }
    std::string prefix(rolled);
    // A common prefix at or before start_after was returned by an earlier page.
    if (query_.start_after.empty() || prefix > query_.start_after) {
      page_.common_prefixes.push_back(prefix);
      page_.next_marker = prefix;
      ++emitted_;
    }
    std::optional<std::string> past = PrefixSuccessor(prefix);
    if (!past) return false;
    return cursor_.Seek(*past);
  }

  const ListQuery& query_;
  KeyCursor& cursor_;
  ListPage page_;
  int emitted_ = 0;
};

// ListObjectVersions: keys as PageBuilder walks them; each listed key gives its current version
// and then its noncurrent ones, newest first, and a page may end inside a key.
class VersionPageBuilder {
 public:
  VersionPageBuilder(const VersionListQuery& query, VersionCursor& cursor)
      : query_(query), cursor_(cursor) {}

  Result<VersionListPage> Build() {
    max_ = std::clamp(query_.max_keys, 0, limits::kMaxKeysPerPage);
    if (max_ == 0) return std::move(page_);
    std::string from = query_.prefix;
    if (!query_.key_marker.empty() && query_.key_marker >= from) {
      from = Successor(query_.key_marker);
      if (!query_.version_id_marker.empty()) {
        auto resumed = ResumeInsideMarkerKey();
        if (!resumed) return resumed.error();
        if (page_.is_truncated) return std::move(page_);
      }
    }
    auto found = cursor_.Seek(from);
    while (true) {
      if (!found) return found.error();
      if (!*found || !cursor_.key().starts_with(query_.prefix)) break;
      if (emitted_ == max_) {
        page_.is_truncated = true;
        break;
      }
      found = Visit();
    }
    if (!page_.is_truncated) {
      page_.next_key_marker.clear();
      page_.next_version_id_marker.clear();
    }
    return std::move(page_);
  }

 private:
  // The rest of key_marker's versions, after version_id_marker.
  Result<void> ResumeInsideMarkerKey() {
    auto sequence = cursor_.SequenceOf(query_.key_marker, query_.version_id_marker);
    if (!sequence) return sequence.error();
    if (!*sequence) {
      return MakeError(ErrorCode::kInvalidArgument, "Invalid version id specified");
    }
    if (!query_.key_marker.starts_with(query_.prefix) ||
        !RollUp(query_.key_marker, query_.prefix, query_.delimiter).empty()) {
      return Ok();
    }
    return EmitOlder(query_.key_marker, **sequence);
  }

  Result<bool> Visit() {
    std::string_view key = cursor_.key();
    std::string_view rolled = RollUp(key, query_.prefix, query_.delimiter);
    if (rolled.empty()) {
      auto record = cursor_.Record();
      if (!record) return record.error();
      record->is_latest = true;
      Emit(std::move(record).value());
      KURA_TRY(EmitOlder(key, cursor_.sequence()));
      if (page_.is_truncated) return false;
      return cursor_.Next();
    }
    std::string prefix(rolled);
    if (query_.key_marker.empty() || prefix > query_.key_marker) {
      page_.common_prefixes.push_back(prefix);
      page_.next_key_marker = prefix;
      page_.next_version_id_marker.clear();
      ++emitted_;
    }
    std::optional<std::string> past = PrefixSuccessor(prefix);
    if (!past) return false;
    return cursor_.Seek(*past);
  }

  // Emits the noncurrent versions of `key` below `sequence` that fit; truncates when more remain.
  Result<void> EmitOlder(std::string_view key, int64_t sequence) {
    int room = max_ - emitted_;
    auto older = cursor_.Older(key, sequence, room + 1);
    if (!older) return older.error();
    int n = 0;
    for (auto& version : *older) {
      if (n++ == room) {
        page_.is_truncated = true;
        break;
      }
      Emit(std::move(version));
    }
    return Ok();
  }

  void Emit(ObjectRecord version) {
    page_.next_key_marker = version.key;
    page_.next_version_id_marker = version.version_id;
    page_.versions.push_back(std::move(version));
    ++emitted_;
  }

  const VersionListQuery& query_;
  VersionCursor& cursor_;
  VersionListPage page_;
  int max_ = 0;
  int emitted_ = 0;
};

}  // namespace

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string next(prefix);
  while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xFF) next.pop_back();
  if (next.empty()) return std::nullopt;
  next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
  return next;
}

Result<ListPage> ListPageFromCursor(const ListQuery& query, KeyCursor& cursor) {
  return PageBuilder(query, cursor).Build();
}

}  // namespace kura::store

namespace kura::store {

Result<VersionListPage> VersionPageFromCursor(const VersionListQuery& query,
                                              VersionCursor& cursor) {
  return VersionPageBuilder(query, cursor).Build();
}

}  // namespace kura::store
