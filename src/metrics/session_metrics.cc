#include "metrics/session_metrics.h"

#include <algorithm>
#include <thread>

namespace kura::metrics {
namespace {
enum SlotState : uint8_t { kEmpty, kWriting, kReady };
constexpr std::string_view kFamily = "kura_sts_sessions_issued_total";
}  // namespace

struct SessionMetrics::Role {
  std::atomic<uint8_t> state{kEmpty};
  std::string arn;  // written once, before state becomes kReady
  std::atomic<uint64_t> count{0};
};

SessionMetrics::SessionMetrics(size_t role_labels)
    : role_labels_(std::min(role_labels, kMaxRoleLabels)),
      roles_(std::make_unique<Role[]>(role_labels_)) {}

SessionMetrics::~SessionMetrics() = default;

void SessionMetrics::SessionIssued(std::string_view role_arn) {
  if (role_labels_ == 0) {
    total_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Slots fill in order, so the first empty one ends the search.
  for (size_t i = 0; i < role_labels_; ++i) {
    Role& slot = roles_[i];
    uint8_t state = slot.state.load(std::memory_order_acquire);
    if (state == kEmpty) {
      uint8_t expected = kEmpty;
      if (slot.state.compare_exchange_strong(expected, kWriting, std::memory_order_acq_rel)) {
        slot.arn.assign(role_arn);
        slot.count.fetch_add(1, std::memory_order_relaxed);
        slot.state.store(kReady, std::memory_order_release);
        return;
      }
      state = expected;
    }
    while (state == kWriting) {
      std::this_thread::yield();
      state = slot.state.load(std::memory_order_acquire);
    }
    if (slot.arn == role_arn) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  other_.fetch_add(1, std::memory_order_relaxed);
}

void SessionMetrics::Collect(TextWriter& out) const {
  out.Family(kFamily, "STS sessions issued (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken).",
             MetricType::kCounter);
  if (role_labels_ == 0) {
    out.Sample(kFamily, {}, static_cast<double>(total_.load(std::memory_order_relaxed)));
    return;
  }
  for (size_t i = 0; i < role_labels_; ++i) {
    const Role& slot = roles_[i];
    if (slot.state.load(std::memory_order_acquire) != kReady) break;
    out.Sample(kFamily, {{"role", slot.arn}}, static_cast<double>(slot.count.load(std::memory_order_relaxed)));
  }
  out.Sample(kFamily, {{"role", "other"}}, static_cast<double>(other_.load(std::memory_order_relaxed)));
}

}  // namespace kura::metrics
