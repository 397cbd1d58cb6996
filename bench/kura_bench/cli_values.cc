// Parsing of flag values: sizes, durations, the --mix weights.
#include <charconv>

#include "kura_bench/cli.h"

namespace kura::bench {
namespace {

template <typename T>
std::optional<T> ParseNumber(std::string_view text) {
  T value{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

size_t DigitsEnd(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  return i;
}

}  // namespace

std::optional<uint64_t> ParseSize(std::string_view text) {
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"", 1},           {"B", 1},           {"KiB", 1ull << 10}, {"MiB", 1ull << 20},
      {"GiB", 1ull << 30}, {"TiB", 1ull << 40}, {"KB", 1000},      {"MB", 1000000},
      {"GB", 1000000000}, {"K", 1ull << 10},  {"M", 1ull << 20},  {"G", 1ull << 30}};
  size_t end = DigitsEnd(text);
  auto number = ParseNumber<uint64_t>(text.substr(0, end));
  if (!number) return std::nullopt;
  for (const auto& [unit, factor] : kUnits) {
    if (text.substr(end) == unit) return *number * factor;
  }
  return std::nullopt;
}

std::optional<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"", 1e9}, {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"m", 60e9}, {"h", 3600e9}};
  size_t end = DigitsEnd(text);
  auto number = ParseNumber<double>(text.substr(0, end));
  if (!number || *number < 0) return std::nullopt;
  for (const auto& [unit, factor] : kUnits) {
    if (text.substr(end) == unit) {
      return std::chrono::nanoseconds(static_cast<int64_t>(*number * factor));
    }
  }
  return std::nullopt;
}

Result<std::vector<std::pair<OpType, unsigned>>> ParseMix(std::string_view text) {
  static constexpr std::pair<std::string_view, OpType> kTypes[] = {
      {"get", OpType::kGet},       {"put", OpType::kPut},   {"head", OpType::kHead},
      {"delete", OpType::kDelete}, {"list", OpType::kList}, {"multipart", OpType::kMultipart},
      {"assume-role", OpType::kAssumeRole}};
  std::vector<std::pair<OpType, unsigned>> mix;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
    size_t eq = item.find('=');
    auto weight = ParseNumber<unsigned>(eq == std::string_view::npos ? "" : item.substr(eq + 1));
    const OpType* type = nullptr;
    for (const auto& [name, t] : kTypes) {
      if (name == item.substr(0, eq)) type = &t;
    }
    if (type == nullptr || !weight) {
      return MakeError(ErrorCode::kInvalidArgument, "bad --mix item '" + std::string(item) + "'");
    }
    mix.emplace_back(*type, *weight);
  }
  if (mix.empty()) return MakeError(ErrorCode::kInvalidArgument, "--mix is empty");
  return mix;
}

}  // namespace kura::bench
