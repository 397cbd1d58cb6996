#include "common/time_format.h"

#include <cstdio>
#include <ctime>
#include <cstring>

namespace kura {
namespace {
std::tm ToTm(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string Format(TimePoint t, const char* fmt) {
  std::tm tm = ToTm(t);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

std::optional<TimePoint> FromTm(std::tm tm) {
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  // TimePoint counts nanoseconds in 64 bits: about 1678..2262. Stay well inside.
  if (tm.tm_year + 1900 < 1700 || tm.tm_year + 1900 > 2200) return std::nullopt;
  std::time_t secs = timegm(&tm);
  if (secs == -1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(secs);
}

// strptime that must consume the whole input.
std::optional<TimePoint> ParseExact(std::string_view s, const char* fmt) {
  std::string copy(s);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), fmt, &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return FromTm(tm);
}
}  // namespace

std::string FormatAmzDate(TimePoint t) { return Format(t, "%Y%m%dT%H%M%SZ"); }

std::string FormatIso8601(TimePoint t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms < 0 ? ms + 1000 : ms));
  return Format(t, "%Y-%m-%dT%H:%M:%S") + frac + "Z";
}

std::string FormatIso8601Seconds(TimePoint t) { return Format(t, "%Y-%m-%dT%H:%M:%SZ"); }

std::string FormatHttpDate(TimePoint t) { return Format(t, "%a, %d %b %Y %H:%M:%S GMT"); }

std::optional<TimePoint> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  return ParseExact(s, "%Y%m%dT%H%M%SZ");
}

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  if (s.size() == 10) return ParseExact(s, "%Y-%m-%d");
  if (s.size() < 20 || s.back() != 'Z') return std::nullopt;
  std::string_view whole = s.substr(0, 19);
  std::string_view rest = s.substr(19, s.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  auto t = ParseExact(whole, "%Y-%m-%dT%H:%M:%S");
  if (!t || rest.size() < 2) return t;
  std::string digits(rest.substr(1, 3));
  while (digits.size() < 3) digits.push_back('0');
  return *t + std::chrono::milliseconds(std::stoi(digits));
}

std::optional<TimePoint> ParseHttpDate(std::string_view s) {
  if (auto t = ParseExact(s, "%a, %d %b %Y %H:%M:%S GMT")) return t;
  if (auto t = ParseExact(s, "%A, %d-%b-%y %H:%M:%S GMT")) return t;
  return ParseExact(s, "%a %b %e %H:%M:%S %Y");
}

}  // namespace kura
