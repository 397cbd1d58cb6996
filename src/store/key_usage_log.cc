#include "store/key_usage_log.h"

#include <map>
#include <utility>

namespace kura::store {

std::vector<KeyUse> LatestPerKey(std::vector<KeyUse> uses) {
  std::map<std::string_view, KeyUse*> latest;
  for (KeyUse& use : uses) {
    auto [it, inserted] = latest.try_emplace(use.access_key_id, &use);
    if (!inserted && use.used_at_ms > it->second->used_at_ms) it->second = &use;
  }
  std::vector<KeyUse> out;
  out.reserve(latest.size());
  for (auto& [id, use] : latest) out.push_back(std::move(*use));
  return out;
}

}  // namespace kura::store
