#include "kura_bench/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kura::bench {

Result<std::unique_ptr<EventLoop>> EventLoop::Create() {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kInternalError, std::string("epoll_create1: ") +
                                                             std::strerror(errno));
  return std::unique_ptr<EventLoop>(new EventLoop(fd));
}

EventLoop::~EventLoop() { ::close(epoll_fd_); }

Result<void> EventLoop::Add(int fd, EventHandler* handler) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.ptr = handler;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    return MakeError(ErrorCode::kInternalError, std::string("epoll_ctl: ") + std::strerror(errno));
  }
  return {};
}

void EventLoop::Remove(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::RunOnce(std::chrono::nanoseconds timeout) {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  int timeout_ms = -1;
  if (timeout.count() >= 0) {
    // Round up so a timer due in 0.3 ms does not spin with timeout 0.
    timeout_ms = static_cast<int>((timeout.count() + 999'999) / 1'000'000);
  }
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  for (int i = 0; i < n; ++i) {
    static_cast<EventHandler*>(events[i].data.ptr)->OnEvents(events[i].events);
  }
}

}  // namespace kura::bench
