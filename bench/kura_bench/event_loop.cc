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
  // Nanosecond timeouts (epoll_pwait2), so an open-loop send due in 0.3 ms is neither late by a
  // rounded-up millisecond nor spun for.
  timespec wait{};
  timespec* wait_ptr = nullptr;
  if (timeout.count() >= 0) {
    wait.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
    wait.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
    wait_ptr = &wait;
  }
  int n = epoll_pwait2(epoll_fd_, events, kMaxEvents, wait_ptr, nullptr);
  for (int i = 0; i < n; ++i) {
    static_cast<EventHandler*>(events[i].data.ptr)->OnEvents(events[i].events);
  }
}

}  // namespace kura::bench
