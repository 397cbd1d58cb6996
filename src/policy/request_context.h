// The condition context of one request: the keys a policy's Condition element and policy
// variables read (aws:SourceIp, aws:username, s3:prefix, aws:PrincipalTag/team, …). Keys are
// case-insensitive as AWS specifies ("Condition key names are not case-sensitive"); values are
// kept as given. Every key may carry several values (aws:TagKeys, s3:… multi-valued keys); a key
// set with no values behaves as absent. Built by the caller per request (see context_keys.h for
// the aws:* principal and environment keys). Thread-safety: none while being built; read-only use
// from several threads is safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kura::policy {

class RequestContext {
 public:
  // Sets (replacing) a single-valued key.
  void Set(std::string key, std::string value);
  // Sets (replacing) a multi-valued key; an empty vector makes the key absent.
  void SetMulti(std::string key, std::vector<std::string> values);
  // Removes a key if present.
  void Erase(std::string_view key);

  // The key's values, or nullptr when the key is absent (or was set with no values).
  const std::vector<std::string>* Get(std::string_view key) const;
  // As Get, for a key already lower-cased (the compiled policy's fast path).
  const std::vector<std::string>* GetLowered(std::string_view lower_key) const;

  size_t size() const { return entries_.size(); }

 private:
  static constexpr size_t kTypicalKeys = 32;
  using Entry = std::pair<std::string, std::vector<std::string>>;  // lower-cased key, values
  std::vector<Entry> entries_;                                     // sorted by key
};

}  // namespace kura::policy
