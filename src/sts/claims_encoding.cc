#include "sts/claims_encoding.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/ids.h"

namespace kura::sts {
namespace {

constexpr uint8_t kFlagChained = 0x01;
constexpr uint8_t kFlagMfa = 0x02;
constexpr uint8_t kKnownFlags = kFlagChained | kFlagMfa;
// Times are Unix seconds in [0, 2200-01-01): TimePoint counts nanoseconds in an int64, which
// ends in 2262, so larger values must not reach FromUnixSeconds.
constexpr int64_t kMaxUnixSeconds = 7258118400;

class Writer {
 public:
  // Reserving up front keeps the secret from being left behind in buffers a regrowth frees.
  explicit Writer(size_t capacity) { out_.reserve(capacity); }
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Time(TimePoint t) {
    Varint(static_cast<uint64_t>(std::clamp<int64_t>(UnixSeconds(t), 0, kMaxUnixSeconds - 1)));
  }
  void List(const std::vector<std::string>& items) {
    Varint(items.size());
    for (const auto& item : items) Str(item);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Each read fails (returns false) instead of reading past the end; once failed, stays failed.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Byte(uint8_t& b) {
    if (in_.empty()) return false;
    b = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!Byte(b)) return false;
      if (shift == 63 && b > 1) return false;  // would overflow 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool Str(std::string& s) {
    uint64_t n = 0;
    if (!Varint(n) || n > in_.size()) return false;
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  bool Time(TimePoint& t) {
    uint64_t v = 0;
    if (!Varint(v) || v >= static_cast<uint64_t>(kMaxUnixSeconds)) return false;
    t = FromUnixSeconds(static_cast<int64_t>(v));
    return true;
  }
  // A count of items that each take at least one byte, so it cannot exceed the bytes left.
  bool Count(uint64_t& n) { return Varint(n) && n <= in_.size(); }
  bool List(std::vector<std::string>& items) {
    uint64_t n = 0;
    if (!Count(n)) return false;
    items.resize(n);
    for (auto& item : items) {
      if (!Str(item)) return false;
    }
    return true;
  }
  bool AtEnd() const { return in_.empty(); }

 private:
  std::string_view in_;
};

bool IsKnownKind(uint8_t kind) {
  return kind >= static_cast<uint8_t>(SessionKind::kAssumedRole) &&
         kind <= static_cast<uint8_t>(SessionKind::kWebIdentity);
}

bool ReadSecret(Reader& r, Secret& secret) {
  std::string value;
  if (!r.Str(value)) return false;
  secret = Secret(std::move(value));
  return true;
}

bool ReadTags(Reader& r, std::vector<std::pair<std::string, std::string>>& tags) {
  uint64_t n = 0;
  if (!r.Count(n)) return false;
  tags.resize(n);
  for (auto& [key, value] : tags) {
    if (!r.Str(key) || !r.Str(value)) return false;
  }
  return true;
}

bool ReadFlags(Reader& r, SessionClaims& c) {
  uint8_t flags = 0;
  if (!r.Byte(flags) || (flags & ~kKnownFlags) != 0) return false;
  c.chained = (flags & kFlagChained) != 0;
  c.mfa_authenticated = (flags & kFlagMfa) != 0;
  return true;
}

bool ReadAll(Reader& r, SessionClaims& c) {
  uint8_t kind = 0;
  if (!r.Byte(kind) || !IsKnownKind(kind)) return false;
  c.kind = static_cast<SessionKind>(kind);
  return r.Str(c.access_key_id) && ReadSecret(r, c.secret_access_key) && r.Time(c.issued_at) &&
         r.Time(c.expires_at) && r.Str(c.account_id) && r.Str(c.role_id) && r.Str(c.role_arn) &&
         r.Str(c.role_name) && r.Str(c.session_name) && r.Str(c.caller_arn) &&
         r.Str(c.caller_user_id) && r.Str(c.caller_user_name) && r.Str(c.session_policy) &&
         r.List(c.policy_arns) && ReadTags(r, c.tags) && r.List(c.transitive_tag_keys) &&
         r.Str(c.source_identity) && ReadFlags(r, c) && r.Str(c.web_identity_provider_arn) &&
         r.Str(c.web_identity_subject) && r.Str(c.web_identity_audience);
}

bool ReadContext(Reader& r, std::vector<std::pair<std::string, std::vector<std::string>>>& keys) {
  uint64_t n = 0;
  if (!r.Count(n)) return false;
  keys.resize(n);
  for (auto& [key, values] : keys) {
    if (!r.Str(key) || !r.List(values)) return false;
  }
  return true;
}

size_t EstimateSize(const SessionClaims& c) {
  size_t size = 512 + c.session_policy.size();
  for (const auto& arn : c.policy_arns) size += arn.size() + 10;
  for (const auto& [key, value] : c.tags) size += key.size() + value.size() + 20;
  for (const auto& key : c.transitive_tag_keys) size += key.size() + 10;
  for (const auto& [key, values] : c.web_identity_context) {
    size += key.size() + 10;
    for (const auto& v : values) size += v.size() + 10;
  }
  return size;
}

}  // namespace

void AssignNewCredentials(Random& random, SessionClaims& claims) {
  claims.access_key_id = NewId(random, IdPrefix::kTemporaryAccessKey);
  claims.secret_access_key = Secret(NewSecretKey(random));
}

std::string EncodeClaims(const SessionClaims& c) {
  Writer w(EstimateSize(c));
  w.Byte(static_cast<uint8_t>(c.kind));
  w.Str(c.access_key_id);
  w.Str(c.secret_access_key.Reveal());
  w.Time(c.issued_at);
  w.Time(c.expires_at);
  for (const std::string* s :
       {&c.account_id, &c.role_id, &c.role_arn, &c.role_name, &c.session_name, &c.caller_arn,
        &c.caller_user_id, &c.caller_user_name, &c.session_policy}) {
    w.Str(*s);
  }
  w.List(c.policy_arns);
  w.Varint(c.tags.size());
  for (const auto& [key, value] : c.tags) {
    w.Str(key);
    w.Str(value);
  }
  w.List(c.transitive_tag_keys);
  w.Str(c.source_identity);
  w.Byte(
      static_cast<uint8_t>((c.chained ? kFlagChained : 0) | (c.mfa_authenticated ? kFlagMfa : 0)));
  w.Str(c.web_identity_provider_arn);
  w.Str(c.web_identity_subject);
  w.Str(c.web_identity_audience);
  w.Varint(c.web_identity_context.size());
  for (const auto& [key, values] : c.web_identity_context) {
    w.Str(key);
    w.List(values);
  }
  return w.Take();
}

std::optional<SessionClaims> DecodeClaims(std::string_view bytes, uint8_t format_version) {
  Reader reader(bytes);
  SessionClaims claims;
  if (format_version < 1 || format_version > 2 || !ReadAll(reader, claims)) return std::nullopt;
  if (format_version >= 2 && !ReadContext(reader, claims.web_identity_context)) {
    return std::nullopt;
  }
  if (!reader.AtEnd()) return std::nullopt;
  return claims;
}

}  // namespace kura::sts
