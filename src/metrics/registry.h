// What /metrics shows: the collectors and callback metrics registered with the registry,
// rendered in the Prometheus text format (text_format.h) at each scrape. Collectors own their
// families (RequestMetrics, SessionMetrics, StoreMetrics, process metrics); a callback gauge or
// counter is one unlabelled sample read at scrape time from a function — for figures another
// part already keeps (open connections, the audit log's dropped records, the session registry's
// size), so it need not know about metrics at all.
// Names must be valid Prometheus metric names and unique; a callback must be cheap (it runs on an
// I/O thread) and thread-safe.
// Thread-safety: thread-safe (a mutex guards the list; scrapes are rare, requests never take it).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/text_format.h"

namespace kura::metrics {

class Registry {
 public:
  using Collector = std::function<void(TextWriter&)>;
  using Read = std::function<double()>;

  void AddCollector(Collector collect);
  void AddGauge(std::string name, std::string help, Read read);
  void AddCounter(std::string name, std::string help, Read read);

  // The whole /metrics page.
  std::string Render() const;

 private:
  struct Callback {
    std::string name;
    std::string help;
    MetricType type;
    Read read;
  };
  mutable std::mutex mu_;
  std::vector<Collector> collectors_;  // guarded by mu_
  std::vector<Callback> callbacks_;    // guarded by mu_
};

}  // namespace kura::metrics
