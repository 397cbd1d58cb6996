#include "policy/request_context.h"

#include <algorithm>

#include "common/text.h"
#include "policy/wildcard.h"

namespace kura::policy {
namespace {
struct KeyLess {
  bool operator()(const std::pair<std::string, std::vector<std::string>>& e,
                  std::string_view k) const {
    return std::string_view(e.first) < k;
  }
};
}  // namespace

void RequestContext::Set(std::string key, std::string value) {
  std::vector<std::string> values;
  values.push_back(std::move(value));
  SetMulti(std::move(key), std::move(values));
}

void RequestContext::SetMulti(std::string key, std::vector<std::string> values) {
  for (char& c : key) c = AsciiLower(c);
  if (values.empty()) {
    Erase(key);
    return;
  }
  // A request's context holds a few dozen keys: one allocation for them all, not a doubling
  // series of moves.
  if (entries_.capacity() == 0) entries_.reserve(kTypicalKeys);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), std::string_view(key), KeyLess{});
  if (it != entries_.end() && it->first == key) {
    it->second = std::move(values);
    return;
  }
  entries_.insert(it, Entry(std::move(key), std::move(values)));
}

void RequestContext::Erase(std::string_view key) {
  std::string lower = AsciiLower(key);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), std::string_view(lower), KeyLess{});
  if (it != entries_.end() && it->first == lower) entries_.erase(it);
}

const std::vector<std::string>* RequestContext::Get(std::string_view key) const {
  return GetLowered(AsciiLower(key));
}

const std::vector<std::string>* RequestContext::GetLowered(std::string_view lower_key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), lower_key, KeyLess{});
  if (it == entries_.end() || it->first != lower_key) return nullptr;
  return &it->second;
}

}  // namespace kura::policy
