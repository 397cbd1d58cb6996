#include "iam/key_usage_tracker.h"

#include <array>
#include <vector>

namespace kura::iam {
namespace {

// The services a key is used with, as small numbers a slot stores atomically: kura's APIs.
constexpr std::array<std::string_view, 5> kServices = {"s3", "iam", "sts", "kms", "organizations"};
// Regions: 0 is the server's own (every S3 request's), 1 AWS's global one, which SDKs sign IAM
// and STS requests for (those accept any region).
constexpr uint8_t kServerRegion = 0;
constexpr uint8_t kGlobalRegion = 1;
constexpr std::string_view kGlobalRegionName = "us-east-1";
// Any other name. A request may be signed for any service and region and still verify (the
// scope is the client's choice; the router refuses it afterwards), and AWS names what the key
// was used with, so the name itself is kept — in the slot, under a mutex of the slot's. That is
// rare (an IAM or STS call signed for a third region), bounded (one string per key and field)
// and keeps the common path free of locks and of a process-wide table clients could grow.
constexpr uint8_t kOther = 0xff;

int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

uint8_t ServiceIndex(std::string_view service) {
  for (size_t i = 0; i < kServices.size(); ++i) {
    if (kServices[i] == service) return static_cast<uint8_t>(i);
  }
  return kOther;
}

}  // namespace

class KeyUsageTracker::Slot final : public sigv4::CredentialUse {
 public:
  explicit Slot(std::string_view server_region) : server_region_(server_region) {}

  void Used(TimePoint when, std::string_view /*source_ip*/, std::string_view service,
            std::string_view region) const noexcept override {
    const int64_t ms = Millis(when);
    const uint16_t where = Where(service, region);
    const bool other = (where >> 8) == kOther || (where & 0xff) == kOther;
    int64_t seen = used_at_ms_.load(std::memory_order_relaxed);
    if (seen > ms) return;  // a later use (another thread's) is recorded already
    if (!other && seen / 1000 == ms / 1000 && where_.load(std::memory_order_relaxed) == where) {
      return;
    }
    // The later time wins between two threads recording at once; the loser keeps its hands off.
    while (seen < ms && !used_at_ms_.compare_exchange_weak(seen, ms)) {
    }
    if (seen > ms) return;
    if (other) KeepOtherNames(service, region);
    where_.store(where);
    // Sequentially consistent with Take's exchange: a flush that clears the flag after this
    // store reads the time above, and one before it leaves the flag set for the next.
    if (!changed_.load()) changed_.store(true);
  }

  // The use recorded (nullopt when none), under `access_key_id`.
  std::optional<store::KeyUse> Read(std::string_view access_key_id) const {
    const int64_t ms = used_at_ms_.load();
    if (ms == 0) return std::nullopt;
    const uint16_t where = where_.load();
    store::KeyUse use{std::string(access_key_id), ms, {}, {}};
    const uint8_t service = where >> 8;
    const uint8_t region = where & 0xff;
    if (service == kOther || region == kOther) {
      std::lock_guard lock(other_mu_);
      use.service = other_service_;
      use.region = other_region_;
    }
    if (service != kOther) use.service = kServices[service];
    if (region == kServerRegion) use.region = server_region_;
    if (region == kGlobalRegion) use.region = kGlobalRegionName;
    return use;
  }

  // Whether the slot changed since the last Take; clears the mark.
  bool Take() { return changed_.exchange(false); }
  // A write of what Take handed out failed: write it again next time.
  void Restore() { changed_.store(true); }

 private:
  uint16_t Where(std::string_view service, std::string_view region) const {
    uint8_t r = region == server_region_ ? kServerRegion
                : region == kGlobalRegionName ? kGlobalRegion
                                              : kOther;
    return static_cast<uint16_t>(ServiceIndex(service) << 8 | r);
  }
  void KeepOtherNames(std::string_view service, std::string_view region) const {
    std::lock_guard lock(other_mu_);
    other_service_.assign(service);
    other_region_.assign(region);
  }

  const std::string_view server_region_;  // the tracker's
  mutable std::atomic<int64_t> used_at_ms_{0};  // 0: never used
  mutable std::atomic<uint16_t> where_{0};       // service index << 8 | region index
  mutable std::atomic<bool> changed_{false};     // since the last Take
  mutable std::mutex other_mu_;
  mutable std::string other_service_;  // guarded by other_mu_: a name not in the tables
  mutable std::string other_region_;   // guarded by other_mu_
};

KeyUsageTracker::KeyUsageTracker(std::string region) : region_(std::move(region)) {}

std::shared_ptr<KeyUsageTracker::Slot> KeyUsageTracker::Find(std::string_view access_key_id) const {
  std::shared_lock lock(mutex_);
  auto it = slots_.find(access_key_id);
  return it == slots_.end() ? nullptr : it->second;
}

std::shared_ptr<const sigv4::CredentialUse> KeyUsageTracker::UseOf(std::string_view access_key_id) {
  if (auto slot = Find(access_key_id)) return slot;
  std::unique_lock lock(mutex_);
  auto& slot = slots_[std::string(access_key_id)];
  if (!slot) slot = std::make_shared<Slot>(region_);
  return slot;
}

std::optional<store::KeyUse> KeyUsageTracker::LastUse(std::string_view access_key_id) const {
  auto slot = Find(access_key_id);
  return slot ? slot->Read(access_key_id) : std::nullopt;
}

Result<void> KeyUsageTracker::Flush(store::KeyUsageLog& log) {
  std::vector<std::shared_ptr<Slot>> taken;
  std::vector<store::KeyUse> uses;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, slot] : slots_) {
      if (!slot->Take()) continue;
      if (auto use = slot->Read(id)) {
        taken.push_back(slot);
        uses.push_back(std::move(*use));
      }
    }
  }
  if (uses.empty()) return Ok();
  Result<void> written = log.RecordKeyUses(uses);
  if (!written) {
    for (const auto& slot : taken) slot->Restore();
  }
  return written;
}

}  // namespace kura::iam
