#include "kura_bench/worker.h"

#include <sys/prctl.h>

#include <algorithm>
#include <thread>

namespace kura::bench {

using std::chrono::nanoseconds;

// One connection and the operation it is running.
class Worker::Slot final : public ConnectionListener {
 public:
  explicit Slot(Worker& worker)
      : worker_(worker),
        connection_(*worker.loop_, *worker.setup_.endpoint, worker.setup_.tls,
                    worker.setup_.verify_tls, *this) {}

  void Start(std::unique_ptr<Operation> op, SteadyTime intended) {
    op_ = std::move(op);
    intended_ = intended;
    first_request_ = true;
    SendNext();
  }

  void OnResponse(const ResponseHead& head, SteadyTime first_byte) override {
    ++worker_.stats_.requests;
    if (first_request_) ttfb_ = first_byte - intended_;
    first_request_ = false;
    StepResult step = op_->OnReply(head, body_);
    if (step.kind == StepResult::Kind::kContinue) return SendNext();
    Finish(step.kind == StepResult::Kind::kDone ? std::string() : step.error);
  }

  void OnFailure(const std::string&) override {
    ready_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    Finish("net");
  }

  const Operation& op() const { return *op_; }
  SteadyTime intended() const { return intended_; }
  nanoseconds ttfb() const { return ttfb_; }
  SteadyTime ready_at() const { return ready_at_; }

 private:
  void SendNext() {
    RequestSpec spec = op_->NextRequest();
    body_.Reset(op_->KeepsBody());
    connection_.Send(worker_.builder_.Build(spec, std::chrono::system_clock::now()), body_);
  }

  void Finish(const std::string& error) {
    worker_.OnFinished(*this, error, std::chrono::steady_clock::now());
  }

  Worker& worker_;
  Connection connection_;
  ReplyBody body_;
  std::unique_ptr<Operation> op_;
  SteadyTime intended_;
  SteadyTime ready_at_{};
  nanoseconds ttfb_{0};
  bool first_request_ = true;
};

Result<std::unique_ptr<Worker>> Worker::Create(const WorkerSetup& setup, const RunPlan& plan,
                                               RunControl& control,
                                               std::unique_ptr<OpFactory> factory) {
  auto loop = EventLoop::Create();
  if (!loop) return std::move(loop).error();
  return std::unique_ptr<Worker>(
      new Worker(setup, plan, control, std::move(loop).value(), std::move(factory)));
}

Worker::Worker(const WorkerSetup& setup, const RunPlan& plan, RunControl& control,
               std::unique_ptr<EventLoop> loop, std::unique_ptr<OpFactory> factory)
    : setup_(setup),
      plan_(plan),
      control_(control),
      loop_(std::move(loop)),
      factory_(std::move(factory)),
      builder_(setup.credentials, setup.region, setup.endpoint->host_header, setup.payload_mode,
               setup.chunk_size, *setup.catalog),
      next_due_(plan.start) {
  for (int i = 0; i < plan.connections; ++i) {
    slots_.push_back(std::make_unique<Slot>(*this));
    idle_.push_back(slots_.back().get());
  }
}

Worker::~Worker() = default;

void Worker::Run() {
  prctl(PR_SET_TIMERSLACK, 1UL);  // wake on time for open-loop sends (default slack: 50 µs)
  std::this_thread::sleep_until(plan_.start);  // all workers begin together
  SteadyTime drain_deadline = SteadyTime::max();
  while (true) {
    SteadyTime now = std::chrono::steady_clock::now();
    bool stopping = exhausted_ || now >= plan_.end || control_.stop.load(std::memory_order_relaxed);
    if (!stopping) DispatchIdle(now);
    stopping = stopping || exhausted_;
    if (stopping && in_flight_ == 0) break;
    if (stopping && drain_deadline == SteadyTime::max()) drain_deadline = now + plan_.drain_timeout;
    if (now >= drain_deadline) break;  // abandon what the server never answered
    loop_->RunOnce(WaitTime(now, stopping));
  }
  CountUnsent();
  finished_.store(true, std::memory_order_release);
}

// Open loop: operations that fell due but never found a connection are errors, not omissions.
void Worker::CountUnsent() {
  for (SteadyTime due : backlog_) {
    if (due < plan_.measure_start) continue;
    OpStats& stats = stats_.For(OpType::kGet);
    ++stats.failed;
    ++stats.errors["unsent"];
  }
  backlog_.clear();
}

nanoseconds Worker::WaitTime(SteadyTime now, bool stopping) const {
  nanoseconds wait = std::chrono::milliseconds(stopping ? 10 : 100);
  if (!stopping && plan_.end != SteadyTime::max()) {
    wait = std::min<nanoseconds>(wait, plan_.end - now);
  }
  if (!stopping && plan_.rate > 0) wait = std::min<nanoseconds>(wait, next_due_ - now);
  bool cooling = std::any_of(idle_.begin(), idle_.end(),
                             [now](const Slot* s) { return s->ready_at() > now; });
  if (cooling) wait = std::min<nanoseconds>(wait, std::chrono::milliseconds(1));
  return std::max<nanoseconds>(wait, nanoseconds(0));
}

void Worker::DispatchIdle(SteadyTime now) {
  if (plan_.rate > 0) {
    auto interval =
        std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(1.0 / plan_.rate));
    while (next_due_ <= now) {
      backlog_.push_back(next_due_);
      next_due_ += interval;
    }
  }
  // Take the slots that may start now; a slot that finishes at once re-queues itself.
  std::vector<Slot*> ready;
  std::erase_if(idle_, [&](Slot* s) {
    if (s->ready_at() > now) return false;
    ready.push_back(s);
    return true;
  });
  bool open_loop = plan_.rate > 0;
  for (Slot* slot : ready) {
    bool can_start = !exhausted_ && !(open_loop && backlog_.empty());
    SteadyTime intended = open_loop && can_start ? backlog_.front() : now;
    if (!can_start || !StartNext(*slot, intended)) {
      idle_.push_back(slot);
      continue;
    }
    if (open_loop) backlog_.pop_front();
  }
}

// Starts the next operation on an idle slot; false when the run has no more to issue.
bool Worker::StartNext(Slot& slot, SteadyTime intended) {
  bool measured = intended >= plan_.measure_start;
  if (measured && plan_.requests > 0) {
    uint64_t claim = control_.measured_issued.fetch_add(1, std::memory_order_relaxed);
    if (claim >= plan_.requests) {
      control_.stop.store(true, std::memory_order_relaxed);
      exhausted_ = true;
      return false;
    }
  }
  std::unique_ptr<Operation> op = factory_->Next();
  if (op == nullptr) {
    exhausted_ = true;
    return false;
  }
  ++in_flight_;
  slot.Start(std::move(op), intended);
  return true;
}

void Worker::OnFinished(Slot& slot, const std::string& error, SteadyTime now) {
  --in_flight_;
  idle_.push_back(&slot);
  last_completion_ = now;
  completed_.fetch_add(1, std::memory_order_relaxed);
  if (!error.empty()) errors_.fetch_add(1, std::memory_order_relaxed);
  if (slot.intended() < plan_.measure_start) return;  // warm-up
  OpStats& stats = stats_.For(slot.op().type());
  if (!error.empty()) {
    ++stats.failed;
    ++stats.errors[error];
    return;
  }
  ++stats.ok;
  stats.bytes += slot.op().payload_bytes();
  stats.latency.Record(static_cast<uint64_t>((now - slot.intended()).count()));
  stats.ttfb.Record(static_cast<uint64_t>(std::max<int64_t>(slot.ttfb().count(), 0)));
}

}  // namespace kura::bench
