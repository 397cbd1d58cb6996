// How long the acceptor pauses after accept(2) failed for want of a resource (EMFILE, ENFILE,
// ENOBUFS, ENOMEM): the pending connection stays in the backlog, so retrying at once fails
// again and spins a core (issue #10). The pause doubles from kAcceptBackoffInitial up to
// kAcceptBackoffMax and starts over after an accept succeeds. Thread-safety: one acceptor's.
#pragma once

#include <boost/system/error_code.hpp>

#include <algorithm>
#include <chrono>

#include "common/limits.h"

namespace kura::http {

// Whether a failed accept means the process or system is out of a resource (retrying at once
// fails again) rather than one connection's trouble (ECONNABORTED: take the next one).
bool IsResourceExhaustion(const boost::system::error_code& ec);

class AcceptBackoff {
 public:
  // The pause before the next accept; each call doubles the next one up to the maximum.
  std::chrono::milliseconds Next() {
    auto pause = next_;
    next_ = std::min(next_ * 2, limits::kAcceptBackoffMax);
    return pause;
  }
  // After an accept succeeded.
  void Reset() { next_ = limits::kAcceptBackoffInitial; }
  // Whether the next pause is the first of a run of failures (worth a log line).
  bool AtStart() const { return next_ == limits::kAcceptBackoffInitial; }

 private:
  std::chrono::milliseconds next_ = limits::kAcceptBackoffInitial;
};

}  // namespace kura::http
