// Ownership of librados's C handles (completions, compound operations) and librados's negative
// errno returns as kura Errors. Every wait here ends: the store sets rados_osd_op_timeout, so an
// OSD that does not answer fails the operation with -ETIMEDOUT instead of blocking forever.
// Thread-safety: each object is used by one thread at a time.
#pragma once

#include <rados/librados.h>

#include <string_view>
#include <utility>

#include "common/error.h"

namespace kura::store::rados {

// "rados <what> <object>: <strerror>" for rc, a negative errno: kServiceUnavailable when the
// cluster is out of reach for now (timed out, not connected, busy: another try may succeed),
// else kInternalError.
Error RadosError(std::string_view what, std::string_view object, int rc);

// An asynchronous operation's completion. Destroying one whose operation is still in flight is
// safe (librados frees it when the operation ends), but the operation's buffers must outlive it:
// owners Wait() first.
class AioCompletion {
 public:
  AioCompletion() { rados_aio_create_completion2(nullptr, nullptr, &c_); }
  ~AioCompletion() { rados_aio_release(c_); }
  AioCompletion(const AioCompletion&) = delete;
  AioCompletion& operator=(const AioCompletion&) = delete;

  rados_completion_t get() const { return c_; }
  // Blocks until the operation is committed (or failed); its result (≥ 0, or a negative errno).
  int Wait() {
    rados_aio_wait_for_complete(c_);
    return rados_aio_get_return_value(c_);
  }

 private:
  rados_completion_t c_ = nullptr;
};

class WriteOp {
 public:
  WriteOp() : op_(rados_create_write_op()) {}
  ~WriteOp() { rados_release_write_op(op_); }
  WriteOp(const WriteOp&) = delete;
  WriteOp& operator=(const WriteOp&) = delete;
  rados_write_op_t get() const { return op_; }

 private:
  rados_write_op_t op_;
};

class ReadOp {
 public:
  ReadOp() : op_(rados_create_read_op()) {}
  ~ReadOp() { rados_release_read_op(op_); }
  ReadOp(const ReadOp&) = delete;
  ReadOp& operator=(const ReadOp&) = delete;
  rados_read_op_t get() const { return op_; }

 private:
  rados_read_op_t op_;
};

}  // namespace kura::store::rados
