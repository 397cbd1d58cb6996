// The Ceph cluster the RADOS tests use: CTest starts a private one (the `rados` fixture,
// tests/support/ceph_instance.sh) and passes it in the environment:
//   KURA_TEST_RADOS_CONF      its ceph.conf (which names the admin keyring)
//   KURA_TEST_RADOS_POOL      a pool the tests may fill
//   KURA_TEST_RADOS_REQUIRED  "1": a missing cluster fails the tests instead of skipping them
// Run by hand without them, the RADOS tests skip. Each store a test opens gets a random RADOS
// namespace, so tests never see each other's objects.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>
#include <string>
#include <vector>

#include "common/encoding.h"
#include "common/random.h"
#include "store/rados/rados_options.h"

namespace kura::store::testing {

inline std::optional<rados::RadosOptions> TestRadosOptions() {
  const char* conf = ::getenv("KURA_TEST_RADOS_CONF");
  const char* pool = ::getenv("KURA_TEST_RADOS_POOL");
  if (conf == nullptr || pool == nullptr || *conf == '\0' || *pool == '\0') return std::nullopt;
  rados::RadosOptions options;
  options.conf_path = conf;
  options.pool = pool;
  options.op_timeout = std::chrono::seconds(20);
  std::vector<uint8_t> raw(8);
  SecureRandom().Fill(raw);
  options.name_space = "test-" + HexLower(raw);
  return options;
}

inline bool RadosRequired() {
  const char* required = ::getenv("KURA_TEST_RADOS_REQUIRED");
  return required != nullptr && std::string(required) == "1";
}

}  // namespace kura::store::testing

// In a test body or SetUp: skips without a cluster, or fails if CTest promised one.
#define KURA_SKIP_WITHOUT_RADOS()                                                           \
  do {                                                                                      \
    if (!::kura::store::testing::TestRadosOptions()) {                                      \
      if (::kura::store::testing::RadosRequired()) {                                        \
        FAIL() << "KURA_TEST_RADOS_REQUIRED=1 but KURA_TEST_RADOS_CONF/POOL are not set";   \
      }                                                                                     \
      GTEST_SKIP() << "no Ceph cluster: set KURA_TEST_RADOS_CONF and KURA_TEST_RADOS_POOL " \
                      "(ctest starts one: tests/support/ceph_instance.sh)";                 \
    }                                                                                       \
  } while (0)
