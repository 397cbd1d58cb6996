#include "scrub/pacer.h"

namespace kura::scrub {

bool Pacer::Take(uint64_t bytes) {
  if (rate_ == 0 || bytes == 0) return true;
  TimePoint now = clock_.Now();
  // At most one second of unused budget carries over.
  if (free_at_ < now - std::chrono::seconds(1)) free_at_ = now - std::chrono::seconds(1);
  auto cost = std::chrono::nanoseconds(static_cast<int64_t>(static_cast<long double>(bytes) * 1e9L /
                                                            static_cast<long double>(rate_)));
  free_at_ += std::chrono::duration_cast<TimePoint::duration>(cost);
  if (free_at_ <= now) return true;
  return sleep_(std::chrono::duration_cast<std::chrono::nanoseconds>(free_at_ - now));
}

}  // namespace kura::scrub
