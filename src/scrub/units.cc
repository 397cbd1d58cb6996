#include "scrub/units.h"

#include <charconv>
#include <limits>
#include <string>

namespace kura::scrub {
namespace {

// The leading decimal number of `text`; the rest goes to *suffix.
bool SplitNumber(std::string_view text, uint64_t& number, std::string_view& suffix) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) return false;
  suffix = text.substr(static_cast<size_t>(end - text.data()));
  return true;
}

bool Scale(uint64_t& value, uint64_t by) {
  if (by != 0 && value > std::numeric_limits<uint64_t>::max() / by) return false;
  value *= by;
  return true;
}

}  // namespace

Result<uint64_t> ParseByteRate(std::string_view text) {
  uint64_t value = 0;
  std::string_view suffix;
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bad byte rate '" + std::string(text) + "' (e.g. 16MiB, 512K, 1048576)");
  };
  if (!SplitNumber(text, value, suffix)) return bad();
  if (suffix.ends_with("iB"))
    suffix.remove_suffix(2);
  else if (suffix.ends_with("B") && suffix.size() == 2)
    suffix.remove_suffix(1);
  int shift = suffix == ""    ? 0
              : suffix == "K" ? 10
              : suffix == "M" ? 20
              : suffix == "G" ? 30
              : suffix == "T" ? 40
                              : -1;
  if (shift < 0 || !Scale(value, uint64_t{1} << shift)) return bad();
  return value;
}

Result<std::chrono::seconds> ParseInterval(std::string_view text) {
  uint64_t value = 0;
  std::string_view suffix;
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bad interval '" + std::string(text) + "' (e.g. 30d, 12h, 15m, 90s, 0)");
  };
  if (!SplitNumber(text, value, suffix)) return bad();
  uint64_t unit = suffix == "" || suffix == "s" ? 1
                  : suffix == "m"               ? 60
                  : suffix == "h"               ? 3600
                  : suffix == "d"               ? 86400
                                                : 0;
  if (unit == 0 || !Scale(value, unit) ||
      value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / 1'000'000'000)) {
    return bad();
  }
  return std::chrono::seconds(static_cast<int64_t>(value));
}

}  // namespace kura::scrub
