#include "metrics/request_metrics.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <thread>

namespace kura::metrics {
namespace {

constexpr std::string_view kApiLabels[kApiCount] = {"s3",  "iam",     "sts",    "kms",
                                                     "organizations", "console", "unknown"};
constexpr std::string_view kAuthFailureLabels[kAuthFailureCount] = {
    "bad_signature", "expired_token", "invalid_token", "unknown_key",
    "clock_skew",    "malformed",     "missing_auth",  "denied"};
constexpr std::string_view kStatusClasses[5] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
constexpr std::string_view kOther = "other";

enum SlotState : uint8_t { kEmpty, kWriting, kReady };

// FNV-1a over the API and the name: cheap, and the names are a fixed, known set.
uint64_t HashOf(Api api, std::string_view name) {
  uint64_t h = 14695981039346656037ULL ^ static_cast<uint8_t>(api);
  for (char c : name) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

size_t StatusClass(int status) {
  if (status < 100 || status > 599) return 4;  // no answer: a server fault
  return static_cast<size_t>(status / 100 - 1);
}
}  // namespace

// One (api, operation) series. `name` is written once, by the thread that claims the slot,
// before it publishes kReady (release); readers see it after an acquire load of kReady.
struct RequestMetrics::Series {
  Series() : latency(kLatencyBuckets) {}
  std::atomic<uint8_t> state{kEmpty};
  Api api = Api::kUnknown;
  uint8_t name_length = 0;
  char name[kMaxOperationChars + 1] = {};
  std::array<std::atomic<uint64_t>, 5> by_class{};
  Histogram latency;

  std::string_view operation() const { return {name, name_length}; }
  bool Is(Api a, std::string_view n) const { return api == a && operation() == n; }
  bool Counted() const { return latency.count() > 0; }
};

std::string_view ApiLabel(Api api) { return kApiLabels[static_cast<size_t>(api)]; }

Api ApiFromName(std::string_view name) {
  for (size_t i = 0; i + 1 < kApiCount; ++i) {
    if (kApiLabels[i] == name) return static_cast<Api>(i);
  }
  return Api::kUnknown;
}

std::string_view AuthFailureLabel(AuthFailure reason) {
  return kAuthFailureLabels[static_cast<size_t>(reason)];
}

RequestMetrics::RequestMetrics(size_t capacity)
    : capacity_(std::bit_ceil(std::max<size_t>(capacity, 16))),
      table_(std::make_unique<Series[]>(capacity_)),
      other_(std::make_unique<Series[]>(kApiCount)) {
  for (size_t i = 0; i < kApiCount; ++i) {
    other_[i].api = static_cast<Api>(i);
    other_[i].name_length = static_cast<uint8_t>(kOther.size());
    std::memcpy(other_[i].name, kOther.data(), kOther.size());
    other_[i].state.store(kReady, std::memory_order_relaxed);
  }
}

RequestMetrics::~RequestMetrics() = default;

RequestMetrics::Series& RequestMetrics::Find(Api api, std::string_view operation) {
  Series& other = other_[static_cast<size_t>(api)];
  if (operation.empty() || operation.size() > kMaxOperationChars || operation == kOther) return other;
  // Half full at most: beyond, a new name is "other" (the tables are far smaller than that).
  size_t mask = capacity_ - 1;
  for (size_t probe = 0, i = HashOf(api, operation) & mask; probe < capacity_; ++probe, i = (i + 1) & mask) {
    Series& slot = table_[i];
    uint8_t state = slot.state.load(std::memory_order_acquire);
    if (state == kEmpty) {
      if (claimed_.load(std::memory_order_relaxed) >= capacity_ / 2) return other;
      uint8_t expected = kEmpty;
      if (slot.state.compare_exchange_strong(expected, kWriting, std::memory_order_acq_rel)) {
        claimed_.fetch_add(1, std::memory_order_relaxed);
        slot.api = api;
        slot.name_length = static_cast<uint8_t>(operation.size());
        std::memcpy(slot.name, operation.data(), operation.size());
        slot.state.store(kReady, std::memory_order_release);
        return slot;
      }
      state = expected;
    }
    // Another thread is writing this slot's name: a few instructions, once per series ever.
    while (state == kWriting) {
      std::this_thread::yield();
      state = slot.state.load(std::memory_order_acquire);
    }
    if (slot.Is(api, operation)) return slot;
  }
  return other;
}

void RequestMetrics::Record(Api api, std::string_view operation, int status,
                            std::chrono::nanoseconds took, uint64_t bytes_in, uint64_t bytes_out) {
  Series& series = Find(api, operation);
  series.by_class[StatusClass(status)].fetch_add(1, std::memory_order_relaxed);
  series.latency.Observe(std::chrono::duration<double>(took).count());
  auto& bytes = bytes_[static_cast<size_t>(api)];
  if (bytes_in > 0) bytes[0].fetch_add(bytes_in, std::memory_order_relaxed);
  if (bytes_out > 0) bytes[1].fetch_add(bytes_out, std::memory_order_relaxed);
}

void RequestMetrics::RecordAuthFailure(Api api, AuthFailure reason) {
  auth_failures_[static_cast<size_t>(api)][static_cast<size_t>(reason)].fetch_add(
      1, std::memory_order_relaxed);
}

size_t RequestMetrics::series() const { return claimed_.load(std::memory_order_relaxed); }

void RequestMetrics::Collect(TextWriter& out) const {
  // Every series that counted something: the table's, then each API's "other".
  auto for_each = [&](auto&& write) {
    for (size_t i = 0; i < capacity_; ++i) {
      const Series& s = table_[i];
      if (s.state.load(std::memory_order_acquire) == kReady && s.Counted()) write(s);
    }
    for (size_t i = 0; i < kApiCount; ++i) {
      if (other_[i].Counted()) write(other_[i]);
    }
  };
  out.Family("kura_requests_total", "Requests answered, by API, operation and HTTP status class.",
             MetricType::kCounter);
  for_each([&](const Series& s) {
    for (size_t c = 0; c < s.by_class.size(); ++c) {
      uint64_t n = s.by_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.Sample("kura_requests_total",
                 {{"api", ApiLabel(s.api)}, {"operation", s.operation()}, {"status_class", kStatusClasses[c]}},
                 static_cast<double>(n));
    }
  });
  out.Family("kura_request_duration_seconds",
             "Time from the request head read to the response written, by API and operation.",
             MetricType::kHistogram);
  for_each([&](const Series& s) {
    Label labels[] = {{"api", ApiLabel(s.api)}, {"operation", s.operation()}};
    s.latency.Write(out, "kura_request_duration_seconds", labels);
  });
  out.Family("kura_request_body_bytes_total",
             "Body bytes received (direction=\"in\") and sent (\"out\"), by API.", MetricType::kCounter);
  for (size_t a = 0; a < kApiCount; ++a) {
    for (size_t d = 0; d < 2; ++d) {
      uint64_t n = bytes_[a][d].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.Sample("kura_request_body_bytes_total",
                 {{"api", kApiLabels[a]}, {"direction", d == 0 ? "in" : "out"}}, static_cast<double>(n));
    }
  }
  out.Family("kura_auth_failures_total",
             "Requests refused by authentication or authorization, by API and reason.",
             MetricType::kCounter);
  for (size_t a = 0; a < kApiCount; ++a) {
    for (size_t r = 0; r < kAuthFailureCount; ++r) {
      uint64_t n = auth_failures_[a][r].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.Sample("kura_auth_failures_total", {{"api", kApiLabels[a]}, {"reason", kAuthFailureLabels[r]}},
                 static_cast<double>(n));
    }
  }
}

}  // namespace kura::metrics
