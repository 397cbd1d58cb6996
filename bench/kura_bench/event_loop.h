// One epoll instance per worker thread. Sockets are registered once, edge-triggered for both
// directions, so a request costs no epoll_ctl calls: handlers read and write until kWouldBlock
// and the next edge wakes them. Thread-safety: one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "common/error.h"

namespace kura::bench {

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void OnEvents(uint32_t epoll_events) = 0;
};

class EventLoop {
 public:
  static Result<std::unique_ptr<EventLoop>> Create();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Watches fd (in, out, hang-up; edge-triggered) and calls handler on its events.
  Result<void> Add(int fd, EventHandler* handler);
  void Remove(int fd);
  // Waits at most `timeout` (negative: forever) and dispatches what arrived.
  void RunOnce(std::chrono::nanoseconds timeout);

 private:
  explicit EventLoop(int epoll_fd) : epoll_fd_(epoll_fd) {}
  int epoll_fd_;
};

}  // namespace kura::bench
