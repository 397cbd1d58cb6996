// A built-in KMS over the in-memory metadata store, with a fake clock and randomness.
#pragma once

#include <memory>

#include "common/clock.h"
#include "common/random.h"
#include "kms/key_registry.h"
#include "kms/master_key_ring.h"
#include "store/memory/memory_metadata_store.h"
#include "store/wait.h"

namespace kura::kms::testing {

inline const TimePoint kEpoch = FromUnixSeconds(1'700'000'000);
inline constexpr char kAccount[] = "123456789012";
inline constexpr char kRegion[] = "us-east-1";

struct KmsFixture {
  KmsFixture() {
    KeySet keys;
    keys.keys.push_back(NewRingKey(random, 1, kEpoch));
    master = KeyRing::InMemory(kMasterKeys, std::move(keys), random);
    registry = std::move(KeyRegistry::Open(metadata, *master, random, clock, kRegion)).value();
  }

  // A new enabled key of kAccount, saved.
  KmsKey SavedKey() {
    KmsKey key = registry->NewKey(kAccount, "test", "{}");
    Save(key);
    return key;
  }
  void Save(KmsKey key) {
    auto saved = store::WaitFor<void>(
        [&](store::Callback<void> done) { registry->Save(std::move(key), std::move(done)); });
    ASSERT_TRUE(saved.has_value());
  }

  FakeClock clock{kEpoch};
  FakeRandom random{9};
  store::MemoryMetadataStore metadata;
  std::unique_ptr<KeyRing> master;
  std::unique_ptr<KeyRegistry> registry;
};

}  // namespace kura::kms::testing
