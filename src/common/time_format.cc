#include "common/time_format.h"

#include <algorithm>
#include <span>
#include <ctime>
#include <cstring>

namespace kura {
namespace {
// Calendar fields of a time point, UTC, from <chrono> (no locale, no tm round trip).
struct Civil {
  int year, month, day, hour, minute, second, weekday;  // weekday 0 = Sunday
};

Civil ToCivil(TimePoint t) {
  namespace chr = std::chrono;
  auto secs = chr::floor<chr::seconds>(t);
  auto days = chr::floor<chr::days>(secs);
  chr::year_month_day ymd{days};
  chr::hh_mm_ss hms{secs - days};
  return Civil{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
               static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
               static_cast<int>(chr::weekday{days}.c_encoding())};
}

constexpr std::string_view kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void AppendDigits(std::string& out, int value, int width) {
  char digits[8];
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
  out.append(digits, static_cast<size_t>(width));
}

// YYYY SEP MM SEP DD T HH SEP MM SEP SS (separators may be empty): the ISO 8601 forms.
std::string FormatIso(TimePoint t, std::string_view date_sep, std::string_view time_sep) {
  Civil c = ToCivil(t);
  std::string out;
  out.reserve(24);
  AppendDigits(out, c.year, 4);
  out.append(date_sep);
  AppendDigits(out, c.month, 2);
  out.append(date_sep);
  AppendDigits(out, c.day, 2);
  out.push_back('T');
  AppendDigits(out, c.hour, 2);
  out.append(time_sep);
  AppendDigits(out, c.minute, 2);
  out.append(time_sep);
  AppendDigits(out, c.second, 2);
  return out;
}

// The digits s[at, at + width) as a number, or -1 unless they are all ASCII digits.
int ReadDigits(std::string_view s, size_t at, size_t width) {
  int value = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
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

// FromTm's checks and timegm's day overflow (Feb 31 is Mar 3), without a struct tm.
std::optional<TimePoint> FromFields(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      year < 1700 || year > 2200) {
    return std::nullopt;
  }
  namespace chr = std::chrono;
  chr::sys_days date = chr::year{year} / chr::month{static_cast<unsigned>(month)} / chr::day{1};
  date += chr::days{day - 1};
  return TimePoint{date} + chr::hours{hour} + chr::minutes{minute} + chr::seconds{second};
}

int IndexOf(std::span<const std::string_view> names, std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// "Sun, 30 Aug 2015 12:36:00 GMT" exactly as written (names in their canonical case), else
// nullopt: the general parser below takes the other spellings HTTP allows.
std::optional<TimePoint> ParseImfFixdate(std::string_view s) {
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT" || IndexOf(kDayNames, s.substr(0, 3)) < 0) {
    return std::nullopt;
  }
  int month = IndexOf(kMonthNames, s.substr(8, 3)) + 1;
  int day = ReadDigits(s, 5, 2), year = ReadDigits(s, 12, 4);
  int hour = ReadDigits(s, 17, 2), minute = ReadDigits(s, 20, 2), second = ReadDigits(s, 23, 2);
  if (month < 1 || std::min({day, year, hour, minute, second}) < 0) return std::nullopt;
  return FromFields(year, month, day, hour, minute, second);
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

std::string FormatAmzDate(TimePoint t) { return FormatIso(t, "", "") + "Z"; }

std::string FormatIso8601(TimePoint t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::string out = FormatIso(t, "-", ":");
  out.push_back('.');
  AppendDigits(out, static_cast<int>(ms < 0 ? ms + 1000 : ms), 3);
  out.push_back('Z');
  return out;
}

std::string FormatIso8601Seconds(TimePoint t) { return FormatIso(t, "-", ":") + "Z"; }

std::string FormatHttpDate(TimePoint t) {
  Civil c = ToCivil(t);
  std::string out;
  out.reserve(29);
  out.append(kDayNames[c.weekday]).append(", ");
  AppendDigits(out, c.day, 2);
  out.append(" ").append(kMonthNames[c.month - 1]).append(" ");
  AppendDigits(out, c.year, 4);
  out.push_back(' ');
  AppendDigits(out, c.hour, 2);
  out.push_back(':');
  AppendDigits(out, c.minute, 2);
  out.push_back(':');
  AppendDigits(out, c.second, 2);
  out.append(" GMT");
  return out;
}

std::optional<TimePoint> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  // Every request carries one: read the fixed-width digits directly; strptime (which also
  // takes odd spacing) decides whatever is not plain digits.
  int year = ReadDigits(s, 0, 4), month = ReadDigits(s, 4, 2), day = ReadDigits(s, 6, 2);
  int hour = ReadDigits(s, 9, 2), minute = ReadDigits(s, 11, 2), second = ReadDigits(s, 13, 2);
  if (std::min({year, month, day, hour, minute, second}) < 0) return ParseExact(s, "%Y%m%dT%H%M%SZ");
  return FromFields(year, month, day, hour, minute, second);
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
  if (s.empty()) return std::nullopt;  // the common case: an optional header that is absent
  if (auto t = ParseImfFixdate(s)) return t;
  if (auto t = ParseExact(s, "%a, %d %b %Y %H:%M:%S GMT")) return t;
  if (auto t = ParseExact(s, "%A, %d-%b-%y %H:%M:%S GMT")) return t;
  return ParseExact(s, "%a %b %e %H:%M:%S %Y");
}

}  // namespace kura
