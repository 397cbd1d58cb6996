#include "store/rados/rados_options.h"

#include <charconv>

#include "common/form_encoding.h"

namespace kura::store::rados {
namespace {

constexpr std::string_view kScheme = "rados://";

Error Invalid(std::string what) {
  return MakeError(ErrorCode::kInvalidArgument, "rados url: " + std::move(what));
}

Result<std::chrono::seconds> ParseSeconds(const std::string& name, const std::string& value) {
  int64_t seconds = -1;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) {
    return Invalid(name + " must be a number of seconds, not \"" + value + "\"");
  }
  return std::chrono::seconds(seconds);
}

Result<void> ApplyParameter(RadosOptions& options, const UrlEncodedPair& pair) {
  if (pair.name == "conf") {
    options.conf_path = pair.value;
  } else if (pair.name == "id") {
    options.user_id = pair.value;
  } else if (pair.name == "namespace") {
    options.name_space = pair.value;
  } else if (pair.name == "grace") {
    auto grace = ParseSeconds(pair.name, pair.value);
    if (!grace) return grace.error();
    options.orphan_grace = *grace;
  } else if (pair.name == "timeout") {
    auto timeout = ParseSeconds(pair.name, pair.value);
    if (!timeout) return timeout.error();
    if (timeout->count() == 0) return Invalid("timeout must be at least 1 second");
    options.op_timeout = *timeout;
  } else {
    return Invalid("unknown parameter \"" + pair.name + "\"");
  }
  return Ok();
}

}  // namespace

Result<RadosOptions> ParseRadosUrl(std::string_view url) {
  if (!url.starts_with(kScheme)) return Invalid("must start with rados://");
  url.remove_prefix(kScheme.size());
  size_t question = url.find('?');
  RadosOptions options;
  options.pool = std::string(url.substr(0, question));
  if (options.pool.empty() || options.pool.find('/') != std::string::npos) {
    return Invalid("names no pool (rados://POOL?…)");
  }
  if (question == std::string_view::npos) return options;
  UrlEncodedPairs pairs = ParseUrlEncodedPairs(url.substr(question + 1), false);
  if (pairs.malformed) return Invalid("malformed percent escape");
  for (const auto& pair : pairs.pairs) KURA_TRY(ApplyParameter(options, pair));
  if (options.user_id.empty()) return Invalid("id must not be empty");
  return options;
}

}  // namespace kura::store::rados
