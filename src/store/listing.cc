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
std::string_view RollUp(std::string_view key, const ListQuery& query) {
  if (query.delimiter.empty()) return {};
  size_t at = key.find(query.delimiter, query.prefix.size());
  if (at == std::string_view::npos) return {};
  return key.substr(0, at + query.delimiter.size());
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
