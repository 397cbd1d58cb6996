#include "metrics/registry.h"

#include <utility>

namespace kura::metrics {

void Registry::AddCollector(Collector collect) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collect));
}

void Registry::AddGauge(std::string name, std::string help, Read read) {
  std::lock_guard lock(mu_);
  callbacks_.push_back({std::move(name), std::move(help), MetricType::kGauge, std::move(read)});
}

void Registry::AddCounter(std::string name, std::string help, Read read) {
  std::lock_guard lock(mu_);
  callbacks_.push_back({std::move(name), std::move(help), MetricType::kCounter, std::move(read)});
}

std::string Registry::Render() const {
  TextWriter out;
  std::lock_guard lock(mu_);
  for (const auto& collect : collectors_) collect(out);
  for (const auto& callback : callbacks_) {
    out.Family(callback.name, callback.help, callback.type);
    out.Sample(callback.name, {}, callback.read());
  }
  return out.Take();
}

}  // namespace kura::metrics
