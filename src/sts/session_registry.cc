#include "sts/session_registry.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "common/logging.h"

namespace kura::sts {
namespace {

// Compaction waits until the file holds this many lines more than twice the live records, so
// that a small registry is not rewritten at every batch.
constexpr uint64_t kCompactSlack = 1024;

}  // namespace

// --- SessionUsage: a seqlock over relaxed atomics (race-free under the C++ memory model) ---

SessionUsage::PackedIp SessionUsage::Pack(std::string_view ip) {
  char bytes[kIpWords * sizeof(uint64_t)] = {};
  // An empty view may have a null data(): memcpy from null is undefined even for 0 bytes.
  if (!ip.empty()) std::memcpy(bytes, ip.data(), std::min(ip.size(), sizeof bytes - 1));
  PackedIp packed;
  std::memcpy(packed.data(), bytes, sizeof bytes);
  return packed;
}

void SessionUsage::Used(TimePoint when, std::string_view source_ip, std::string_view,
                        std::string_view) const noexcept {
  const int64_t now = UnixSeconds(when);
  const PackedIp packed = Pack(source_ip);
  // The common case — another request of the same second from the same address — writes
  // nothing, so a busy session's cache line stays shared between cores.
  if (last_used_.load(std::memory_order_relaxed) >= now) {
    bool same = true;
    for (size_t i = 0; i < kIpWords && same; ++i) {
      same = ip_[i].load(std::memory_order_relaxed) == packed[i];
    }
    if (same) return;
  }
  uint32_t sequence = sequence_.load(std::memory_order_relaxed);
  if ((sequence & 1) != 0) return;  // another writer records the same moment
  if (!sequence_.compare_exchange_strong(sequence, sequence + 1, std::memory_order_relaxed)) {
    return;
  }
  std::atomic_thread_fence(std::memory_order_release);  // the odd sequence before the data
  last_used_.store(now, std::memory_order_relaxed);
  for (size_t i = 0; i < kIpWords; ++i) ip_[i].store(packed[i], std::memory_order_relaxed);
  sequence_.store(sequence + 2, std::memory_order_release);
}

std::pair<std::optional<TimePoint>, std::string> SessionUsage::Read() const {
  for (;;) {
    uint32_t before = sequence_.load(std::memory_order_acquire);
    if ((before & 1) != 0) {
      std::this_thread::yield();
      continue;
    }
    int64_t used = last_used_.load(std::memory_order_relaxed);
    PackedIp packed;
    for (size_t i = 0; i < kIpWords; ++i) packed[i] = ip_[i].load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);  // the data before the re-check
    if (sequence_.load(std::memory_order_relaxed) != before) continue;
    if (used == 0) return {std::nullopt, std::string()};
    char bytes[kIpWords * sizeof(uint64_t)];
    std::memcpy(bytes, packed.data(), sizeof bytes);
    return {FromUnixSeconds(used), std::string(bytes, ::strnlen(bytes, sizeof bytes))};
  }
}

// --- SessionRegistry ---

SessionRegistry::SessionRegistry(SessionRegistryOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  // Buckets for the usual bound up front: a rehash of a large table would stall AssumeRole.
  by_key_.reserve(std::min<size_t>(options_.max_sessions, 131072));
}

Result<std::unique_ptr<SessionRegistry>> SessionRegistry::Open(SessionRegistryOptions options,
                                                               const Clock& clock) {
  if (options.max_sessions == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "a session registry holds at least 1 session");
  }
  std::unique_ptr<SessionRegistry> registry(new SessionRegistry(std::move(options), clock));
  const std::filesystem::path& path = registry->options_.journal;
  if (path.empty()) return registry;
  auto text = JournalFile::ReadAll(path);
  if (!text) return text.error();
  auto contents = ParseJournal(*text);
  if (!contents)
    return MakeError(ErrorCode::kInternalError, path.string() + ": " + contents.error().message);
  int64_t now = UnixSeconds(clock.Now());
  {
    std::lock_guard lock(registry->mu_);
    for (LiveSession& session : contents->sessions) {
      if (UnixSeconds(session.expires_at) <= now) continue;
      std::shared_ptr<Entry> entry = registry->Pack(FieldsOf(session));
      if (session.last_used_at) entry->usage.Used(*session.last_used_at, session.last_used_from);
      registry->InsertLocked(std::move(entry), now);
    }
  }
  if (contents->torn || contents->malformed > 0) {
    LogLine(LogLevel::kWarning, "sts: session journal " + path.string() + ": skipped " +
                                    std::to_string(contents->malformed) + " malformed lines" +
                                    (contents->torn ? " and a torn last line" : ""));
  }
  KURA_TRY(registry->Compact());
  registry->writer_ = std::thread([r = registry.get()] { r->Run(); });
  return registry;
}

SessionRegistry::~SessionRegistry() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
}

std::shared_ptr<SessionRegistry::Entry> SessionRegistry::Pack(const JournalFields& fields) const {
  PoolAllocator<char> alloc(pool_);
  auto entry = std::allocate_shared<Entry>(PoolAllocator<Entry>(alloc), alloc);
  size_t size = 0;
  for (std::string_view field : fields.text) size += field.size();
  entry->text.reserve(size);
  for (size_t i = 0; i < fields.text.size(); ++i) {
    entry->starts[i] = static_cast<uint32_t>(entry->text.size());
    entry->text.append(fields.text[i]);
  }
  entry->starts[fields.text.size()] = static_cast<uint32_t>(entry->text.size());
  entry->issued = fields.issued;
  entry->expires = fields.expires;
  return entry;
}

JournalFields SessionRegistry::Entry::Fields() const {
  JournalFields f;
  for (size_t i = 0; i < f.text.size(); ++i) f.text[i] = Field(i);
  f.issued = issued;
  f.expires = expires;
  return f;
}

LiveSession SessionRegistry::Entry::ToSession() const {
  LiveSession s;
  s.access_key_id = Field(0);
  s.account_id = Field(1);
  s.role_arn = Field(2);
  s.role_id = Field(3);
  s.session_name = Field(4);
  s.source_identity = Field(5);
  s.issuer_arn = Field(6);
  s.issued_at = FromUnixSeconds(issued);
  s.expires_at = FromUnixSeconds(expires);
  std::tie(s.last_used_at, s.last_used_from) = usage.Read();
  return s;
}

void SessionRegistry::Add(const JournalFields& session) {
  std::shared_ptr<Entry> entry = Pack(session);
  // Issue times are "now" (whole seconds): no clock read on the request path.
  const int64_t now = entry->issued;
  std::lock_guard lock(mu_);
  // A writer that cannot keep up (a stalled disk) leaves the rest to the next compaction,
  // which writes every live record: pending_ stays bounded like the registry.
  if (writer_.joinable() && pending_.size() < options_.max_sessions) pending_.push_back(entry);
  InsertLocked(std::move(entry), now);
}

void SessionRegistry::EraseLocked(const Entry& entry) {
  by_expiry_.erase({entry.expires, &entry});
  auto it = by_key_.find(entry.access_key_id());
  if (it != by_key_.end() && it->second.get() == &entry) by_key_.erase(it);  // frees `entry`
}

void SessionRegistry::InsertLocked(std::shared_ptr<Entry> entry, int64_t now) {
  if (auto it = by_key_.find(entry->access_key_id()); it != by_key_.end()) {
    EraseLocked(*it->second);
  }
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    EraseLocked(*by_expiry_.begin()->second);
  }
  if (by_key_.size() >= options_.max_sessions && !by_expiry_.empty()) {
    EraseLocked(*by_expiry_.begin()->second);  // the one that expires soonest
    ++evicted_;
  }
  by_expiry_.emplace(entry->expires, entry.get());
  std::string_view key = entry->access_key_id();
  by_key_.emplace(key, std::move(entry));
}

void SessionRegistry::PurgeExpired(int64_t now) {
  std::lock_guard lock(mu_);
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    EraseLocked(*by_expiry_.begin()->second);
  }
}

std::shared_ptr<const SessionUsage> SessionRegistry::UsageOf(std::string_view access_key_id) const {
  std::lock_guard lock(mu_);
  auto it = by_key_.find(access_key_id);
  if (it == by_key_.end()) return nullptr;
  return std::shared_ptr<const SessionUsage>(it->second, &it->second->usage);  // shares the entry
}

std::vector<LiveSession> SessionRegistry::List(std::string_view account_id, TimePoint now) const {
  const int64_t now_seconds = UnixSeconds(now);
  std::vector<std::shared_ptr<const Entry>> matching;
  {
    // Only pointers are copied under the lock: AssumeRole does not wait for the strings.
    std::lock_guard lock(mu_);
    for (const auto& [key, entry] : by_key_) {
      if (entry->account_id() == account_id && entry->expires > now_seconds) {
        matching.push_back(entry);
      }
    }
  }
  std::vector<LiveSession> out;
  out.reserve(matching.size());
  for (const auto& entry : matching) out.push_back(entry->ToSession());
  return out;
}

SessionRegistryStats SessionRegistry::stats() const {
  std::lock_guard lock(mu_);
  return {by_key_.size(), evicted_, journal_lines_.load(), journal_errors_.load()};
}

void SessionRegistry::Flush() {
  std::unique_lock lock(mu_);
  if (!writer_.joinable()) return;
  uint64_t ticket = ++flush_requested_;
  wake_.notify_all();
  flushed_.wait(lock, [&] { return flush_done_ >= ticket; });
}

// --- the writer thread ---

void SessionRegistry::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval,
                   [&] { return stopping_ || flush_requested_ > flush_done_; });
    std::vector<std::shared_ptr<const Entry>> batch;
    batch.swap(pending_);
    const uint64_t ticket = flush_requested_;
    const bool stop = stopping_;
    const uint64_t live = by_key_.size();
    lock.unlock();

    if (!batch.empty()) WriteBatch(batch);
    batch.clear();  // the entries may be the last owners: free them outside the lock
    PurgeExpired(UnixSeconds(clock_.Now()));
    // A failed write is retried by rewriting the whole file, which holds every live record.
    if (stop || failing_ || journal_lines_.load() > 2 * live + kCompactSlack) {
      if (auto compacted = Compact(); !compacted) NoteError(compacted.error());
    }

    lock.lock();
    flush_done_ = ticket;
    flushed_.notify_all();
    if (stop) return;
  }
}

void SessionRegistry::WriteBatch(const std::vector<std::shared_ptr<const Entry>>& batch) {
  std::string lines;
  for (const auto& entry : batch) AppendJournalLine(lines, entry->Fields());
  if (auto appended = file_.Append(lines); !appended) {
    NoteError(appended.error());
    return;
  }
  journal_lines_ += batch.size();
  failing_ = false;
}

std::string SessionRegistry::SnapshotText() const {
  std::vector<std::shared_ptr<const Entry>> entries;
  {
    std::lock_guard lock(mu_);
    entries.reserve(by_key_.size());
    for (const auto& [key, entry] : by_key_) entries.push_back(entry);
  }
  std::string text(kJournalHeader);
  for (const auto& entry : entries) {
    JournalFields fields = entry->Fields();
    auto [used, from] = entry->usage.Read();
    if (used) {
      fields.last_used = UnixSeconds(*used);
      fields.last_used_from = from;
    }
    AppendJournalLine(text, fields);
  }
  return text;
}

Result<void> SessionRegistry::Compact() {
  std::string text = SnapshotText();
  uint64_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  KURA_TRY(file_.Rewrite(options_.journal, text));
  journal_lines_ = lines - 1;  // not the header
  failing_ = false;
  return Ok();
}

void SessionRegistry::NoteError(const Error& error) {
  ++journal_errors_;
  if (failing_) return;
  failing_ = true;
  LogLine(LogLevel::kWarning, "sts: session journal: " + error.message +
                                  " (the registry in memory is intact; retried at the next "
                                  "compaction)");
}

}  // namespace kura::sts
