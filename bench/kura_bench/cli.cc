// The flag table of kura-bench and its --help.
#include "kura_bench/cli.h"

#include <charconv>
#include <functional>

namespace kura::bench {
namespace {

using Setter = std::function<Result<void>(Options&, std::string_view)>;

struct Flag {
  std::string_view name;
  bool takes_value;
  Setter set;
};

Error Bad(std::string_view flag, std::string_view value) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "bad value '" + std::string(value) + "' for --" + std::string(flag));
}

template <typename T>
Setter Number(std::string_view flag, T Options::*field, T min) {
  return [flag, field, min](Options& o, std::string_view v) -> Result<void> {
    T value{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || p != v.data() + v.size() || value < min) return Bad(flag, v);
    o.*field = value;
    return {};
  };
}

Setter Text(std::string Options::*field) {
  return [field](Options& o, std::string_view v) -> Result<void> {
    o.*field = std::string(v);
    return {};
  };
}

Setter Size(std::string_view flag, uint64_t WorkloadConfig::*field) {
  return [flag, field](Options& o, std::string_view v) -> Result<void> {
    auto size = ParseSize(v);
    if (!size) return Bad(flag, v);
    o.config.*field = *size;
    return {};
  };
}

Setter Duration(std::string_view flag, std::chrono::nanoseconds Options::*field) {
  return [flag, field](Options& o, std::string_view v) -> Result<void> {
    auto d = ParseDuration(v);
    if (!d) return Bad(flag, v);
    o.*field = *d;
    if (flag == "duration") o.duration_given = true;
    return {};
  };
}

Result<void> SetPids(Options& o, std::string_view v) {
  o.server_pids.clear();
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view item = v.substr(0, comma);
    int pid = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), pid);
    if (ec != std::errc() || p != item.data() + item.size() || pid <= 0) {
      return Bad("server-pid", item);
    }
    o.server_pids.push_back(pid);
    v = comma == std::string_view::npos ? "" : v.substr(comma + 1);
  }
  return {};
}

Result<void> SetPayload(Options& o, std::string_view v) {
  if (v == "signed") o.payload_mode = PayloadMode::kSigned;
  else if (v == "unsigned") o.payload_mode = PayloadMode::kUnsigned;
  else if (v == "chunked" || v == "aws-chunked") o.payload_mode = PayloadMode::kChunked;
  else return Bad("payload", v);
  return {};
}

Result<void> SetSse(Options& o, std::string_view v) {
  auto sse = SseFor(v);
  if (!sse) return std::move(sse).error();
  o.config.sse = std::move(sse).value();
  o.sse_flags += 1;
  return {};
}

// "OFFSET:LENGTH" in sizes ("512MiB:1MiB").
Result<void> SetRange(Options& o, std::string_view v) {
  size_t colon = v.find(':');
  auto offset = ParseSize(v.substr(0, colon));
  auto length = colon == std::string_view::npos ? std::nullopt : ParseSize(v.substr(colon + 1));
  if (!offset || !length || *length == 0) return Bad("range", v);
  o.config.range_offset = *offset;
  o.config.range_length = *length;
  return {};
}

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> kFlags = {
      {"help", false, [](Options& o, std::string_view) -> Result<void> { o.help = true; return {}; }},
      {"workload", true, Text(&Options::workload_name)},
      {"endpoint", true, Text(&Options::endpoint)},
      {"access-key", true, [](Options& o, std::string_view v) -> Result<void> { o.credentials.access_key_id = v; return {}; }},
      {"secret-key", true, [](Options& o, std::string_view v) -> Result<void> { o.credentials.secret_access_key = v; return {}; }},
      {"anonymous", false, [](Options& o, std::string_view) -> Result<void> { o.anonymous = true; return {}; }},
      {"session-token", true, [](Options& o, std::string_view v) -> Result<void> { o.credentials.session_token = v; return {}; }},
      {"assume-role", true, Text(&Options::assume_role_arn)},
      {"role-arn", true, [](Options& o, std::string_view v) -> Result<void> { o.config.role_arn = v; return {}; }},
      {"role-session-name", true, [](Options& o, std::string_view v) -> Result<void> { o.config.role_session_name = v; return {}; }},
      {"duration-seconds", true, [](Options& o, std::string_view v) -> Result<void> {
         int s = 0;
         auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
         if (ec != std::errc() || p != v.data() + v.size() || s <= 0) return Bad("duration-seconds", v);
         o.config.duration_seconds = s;
         return {};
       }},
      {"region", true, Text(&Options::region)},
      {"bucket", true, [](Options& o, std::string_view v) -> Result<void> { o.config.bucket = v; return {}; }},
      {"key-prefix", true, [](Options& o, std::string_view v) -> Result<void> { o.config.key_prefix = v; return {}; }},
      {"objects", true, [](Options& o, std::string_view v) -> Result<void> {
         auto n = ParseSize(v);
         if (!n || *n == 0) return Bad("objects", v);
         o.config.objects = *n;
         return {};
       }},
      {"size", true, Size("size", &WorkloadConfig::size)},
      {"part-size", true, Size("part-size", &WorkloadConfig::part_size)},
      {"max-keys", true, [](Options& o, std::string_view v) -> Result<void> {
         int n = 0;
         auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
         if (ec != std::errc() || p != v.data() + v.size() || n <= 0) return Bad("max-keys", v);
         o.config.max_keys = n;
         return {};
       }},
      {"mix", true, [](Options& o, std::string_view v) -> Result<void> {
         auto mix = ParseMix(v);
         if (!mix) return std::move(mix).error();
         o.config.mix = std::move(mix).value();
         return {};
       }},
      {"payload", true, SetPayload},
      {"sse", true, SetSse},
      {"sse-c", false, [](Options& o, std::string_view) -> Result<void> {
         o.config.sse = SseCustomerKey();
         o.sse_flags += 1;
         return {};
       }},
      {"range", true, SetRange},
      {"chunk-size", true, [](Options& o, std::string_view v) -> Result<void> {
         auto n = ParseSize(v);
         if (!n || *n == 0) return Bad("chunk-size", v);
         o.chunk_size = *n;
         return {};
       }},
      {"concurrency", true, Number("concurrency", &Options::concurrency, 1)},
      {"threads", true, Number("threads", &Options::threads, 1)},
      {"rate", true, Number("rate", &Options::rate, 0.0)},
      {"duration", true, Duration("duration", &Options::duration)},
      {"warmup", true, Duration("warmup", &Options::warmup)},
      {"requests", true, Number<uint64_t>("requests", &Options::requests, 0)},
      {"json", false, [](Options& o, std::string_view) -> Result<void> { o.json = true; return {}; }},
      {"no-progress", false, [](Options& o, std::string_view) -> Result<void> { o.progress = false; return {}; }},
      {"server-pid", true, SetPids},
      {"path-style", false, [](Options&, std::string_view) -> Result<void> { return {}; }},
      {"ca-file", true, Text(&Options::ca_file)},
      {"insecure", false, [](Options& o, std::string_view) -> Result<void> { o.insecure = true; return {}; }},
  };
  return kFlags;
}

Result<void> Finish(Options& o) {
  if (o.help) return {};
  if (o.workload_name == "pattern") {
    o.write_pattern = true;
    return {};
  }
  auto workload = ParseWorkload(o.workload_name);
  if (!workload) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown or missing workload '" + o.workload_name + "' (see --help)");
  }
  o.workload = *workload;
  if (o.workload == Workload::kMixed && o.config.mix.empty()) {
    o.config.mix = {{OpType::kGet, 70}, {OpType::kPut, 20}, {OpType::kDelete, 10}};
  }
  if (o.workload == Workload::kAssumeRole && o.config.role_arn.empty()) {
    o.config.role_arn = o.assume_role_arn;
  }
  if (o.workload == Workload::kAssumeRole && o.config.role_arn.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "assume-role needs --role-arn ARN");
  }
  if (o.config.part_size < 1) return MakeError(ErrorCode::kInvalidArgument, "--part-size is 0");
  if (o.sse_flags > 1) {
    return MakeError(ErrorCode::kInvalidArgument, "give one of --sse and --sse-c, once");
  }
  if (o.config.range_length > 0 &&
      (o.workload != Workload::kGet ||
       o.config.range_offset + o.config.range_length > o.config.size)) {
    return MakeError(ErrorCode::kInvalidArgument, "--range is for get, within --size");
  }
  if (o.requests > 0 && !o.duration_given) o.duration = std::chrono::nanoseconds(0);
  if (o.duration.count() == 0 && o.requests == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "need --duration or --requests");
  }
  return {};
}

}  // namespace

Result<Options> ParseOptions(const std::vector<std::string_view>& args, const Environment& env) {
  Options o;
  o.credentials = {env.access_key_id, env.secret_access_key, env.session_token};
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--")) {
      if (!o.workload_name.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "unexpected argument " + std::string(arg));
      }
      o.workload_name = std::string(arg);
      continue;
    }
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    std::string_view name = arg.substr(0, eq);
    const Flag* flag = nullptr;
    for (const Flag& f : Flags()) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, "unknown flag --" + std::string(name));
    }
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
    } else if (flag->takes_value) {
      if (i + 1 >= args.size()) {
        return MakeError(ErrorCode::kInvalidArgument, "--" + std::string(name) + " needs a value");
      }
      value = args[++i];
    }
    if (auto set = flag->set(o, value); !set) return set.error();
  }
  if (o.anonymous) o.credentials = {};
  if (auto done = Finish(o); !done) return done.error();
  return o;
}

}  // namespace kura::bench
