#include "kura_bench/report.h"

#include <boost/json.hpp>
#include <cstdio>

namespace kura::bench {
namespace {

double Micros(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::string Line(const char* format, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, args...);
  return buffer;
}

std::string TypeRow(std::string_view name, const OpStats& s, double seconds) {
  double ops = seconds > 0 ? static_cast<double>(s.ok) / seconds : 0;
  double mbs = seconds > 0 ? static_cast<double>(s.bytes) / seconds / 1e6 : 0;
  const Histogram& h = s.latency;
  return Line("%-13.*s %10llu %11.1f %9.2f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %8llu\n",
              static_cast<int>(name.size()), name.data(), static_cast<unsigned long long>(s.ok),
              ops, mbs, Micros(h.ValueAtPercentile(50)), Micros(h.ValueAtPercentile(90)),
              Micros(h.ValueAtPercentile(99)), Micros(h.ValueAtPercentile(99.9)),
              Micros(h.max()), Micros(s.ttfb.ValueAtPercentile(50)),
              static_cast<unsigned long long>(s.failed));
}

boost::json::object LatencyJson(const Histogram& h) {
  return {{"p50", Micros(h.ValueAtPercentile(50))},    {"p90", Micros(h.ValueAtPercentile(90))},
          {"p99", Micros(h.ValueAtPercentile(99))},    {"p99_9", Micros(h.ValueAtPercentile(99.9))},
          {"max", Micros(h.max())},                    {"mean", h.mean() / 1000.0},
          {"min", Micros(h.min())}};
}

boost::json::object StatsJson(const OpStats& s, double seconds) {
  boost::json::object errors;
  for (const auto& [kind, count] : s.errors) errors[kind] = count;
  return {{"ops", s.ok},
          {"errors", s.failed},
          {"errors_by_kind", std::move(errors)},
          {"ops_per_sec", seconds > 0 ? static_cast<double>(s.ok) / seconds : 0.0},
          {"mb_per_sec", seconds > 0 ? static_cast<double>(s.bytes) / seconds / 1e6 : 0.0},
          {"bytes", s.bytes},
          {"latency_us", LatencyJson(s.latency)},
          {"ttfb_us", LatencyJson(s.ttfb)}};
}

double CpuPerOp(const RunResult& r, uint64_t ops) {
  return ops == 0 ? 0.0 : static_cast<double>(r.server_cpu_us) / static_cast<double>(ops);
}

}  // namespace

std::string FormatText(const ReportContext& c, const RunResult& r) {
  OpStats total = r.stats.Total();
  std::string out = Line(
      "workload %s  endpoint %s  size %llu B  connections %d  threads %d  %s  measured %.2f s\n",
      c.workload.c_str(), c.endpoint.c_str(), static_cast<unsigned long long>(c.size),
      c.connections, c.threads, c.rate > 0 ? Line("open loop %.0f/s", c.rate).c_str() : "closed loop",
      r.seconds);
  out += Line("%-13s %10s %11s %9s %9s %9s %9s %9s %9s %9s %8s\n", "operation", "ok", "ops/s",
              "MB/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "ttfb p50", "errors");
  int types = 0;
  for (int i = 0; i < kOpTypeCount; ++i) {
    const OpStats& s = r.stats.by_type[i];
    if (s.ok + s.failed == 0) continue;
    ++types;
    out += TypeRow(OpTypeName(static_cast<OpType>(i)), s, r.seconds);
  }
  if (types > 1) out += TypeRow("total", total, r.seconds);
  if (!total.errors.empty()) {
    out += "errors:";
    for (const auto& [kind, count] : total.errors) {
      out += Line(" %s=%llu", kind.c_str(), static_cast<unsigned long long>(count));
    }
    out += "\n";
  }
  out += Line("requests %llu\n", static_cast<unsigned long long>(r.stats.requests));
  if (r.server_cpu_known) {
    out += Line("server CPU %.1f us/op (%.2f cores)\n", CpuPerOp(r, total.ok),
                r.seconds > 0 ? static_cast<double>(r.server_cpu_us) / 1e6 / r.seconds : 0.0);
  } else if (!r.server_cpu_error.empty()) {
    out += "server CPU unknown: " + r.server_cpu_error + "\n";
  }
  return out;
}

std::string FormatJson(const ReportContext& c, const RunResult& r) {
  OpStats total = r.stats.Total();
  boost::json::object by_type;
  for (int i = 0; i < kOpTypeCount; ++i) {
    const OpStats& s = r.stats.by_type[i];
    if (s.ok + s.failed > 0) {
      by_type[OpTypeName(static_cast<OpType>(i))] = StatsJson(s, r.seconds);
    }
  }
  boost::json::object out = StatsJson(total, r.seconds);
  out["workload"] = c.workload;
  out["endpoint"] = c.endpoint;
  out["size"] = c.size;
  out["connections"] = c.connections;
  out["threads"] = c.threads;
  out["rate"] = c.rate;
  out["seconds"] = r.seconds;
  out["requests"] = r.stats.requests;
  out["by_type"] = std::move(by_type);
  if (r.server_cpu_known) {
    out["server_cpu_us"] = r.server_cpu_us;
    out["server_cpu_us_per_op"] = CpuPerOp(r, total.ok);
  }
  return boost::json::serialize(out) + "\n";
}

}  // namespace kura::bench
