// Where and how the RADOS blob store connects, and its flag form:
//
//   rados://POOL?conf=PATH&id=NAME&namespace=NS&grace=SECONDS&timeout=SECONDS
//
//   POOL       the pool holding the stripes (required; create it beforehand)
//   conf       ceph.conf to read (default: librados's search: $CEPH_CONF, /etc/ceph/ceph.conf, …)
//   id         the cephx user without "client." (default admin); its keyring comes from the conf
//   namespace  a RADOS namespace inside the pool (default none): kura lists and sweeps only it
//   grace      seconds a blob must be old before the orphan sweep may remove it (default 3600):
//              other nodes' sealed blobs whose metadata has not committed yet are younger
//   timeout    seconds any monitor or OSD operation may take before it fails (default 30), so an
//              unreachable cluster is an error, never a hang
//
// Thread-safety: plain values and a pure function.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.h"

namespace kura::store::rados {

struct RadosOptions {
  std::string pool{};
  std::string conf_path{};  // empty: librados's default search
  std::string user_id = "admin";
  std::string name_space{};
  std::chrono::seconds orphan_grace{3600};
  std::chrono::seconds op_timeout{30};
};

// Parses the flag form above; kInvalidArgument naming what is wrong.
Result<RadosOptions> ParseRadosUrl(std::string_view url);

}  // namespace kura::store::rados
