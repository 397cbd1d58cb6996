// The registry of live STS sessions: a bounded, in-memory record of every session issued
// (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken) that has not expired, without
// secrets, for IAM's ListSessions and the console. Tokens stay stateless: authentication never
// reads the registry. Issue #18; docs/operations.md, "Live STS sessions".
//  - Add runs on AssumeRole's request path: one short lock, no I/O, no clock read, no
//    formatting. The journal (sts/session_journal.h) is written by a background thread in
//    batches (every flush interval), never a write per issuance.
//  - Bounded: at most max_sessions; a full registry first drops expired records, then evicts
//    the record that expires soonest (counted in stats().evicted).
//  - "Where last used": each record owns a SessionUsage that the session credential resolver
//    hands to the verifier (sigv4::CredentialUse); a verified request updates it with relaxed
//    atomics (a seqlock), no lock and nothing allocated on the request path.
//  - Persisted: Open replays the journal (records not yet expired), rewrites it compacted, and
//    starts the writer; the writer compacts again when the file holds twice as many lines as
//    live records, and at destruction (which writes what is pending, then joins the thread).
//    Last-used times reach the file at compactions (and so at a clean shutdown), not per use.
// Thread-safety: every member may be called concurrently.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/live_session.h"
#include "sigv4/credential_resolver.h"
#include "sts/session_journal.h"

namespace kura::sts {

inline constexpr size_t kDefaultMaxLiveSessions = 100000;

// When a session's credentials last authenticated a request, and from where. Written by any
// thread that verifies such a request; a writer that finds another one writing skips (they
// record the same moment), and one that finds the same second and address writes nothing.
class SessionUsage final : public sigv4::CredentialUse {
 public:
  // Sessions record when and from where; the service and region are not kept.
  void Used(TimePoint when, std::string_view source_ip, std::string_view service,
            std::string_view region) const noexcept override;
  void Used(TimePoint when, std::string_view source_ip) const noexcept {
    Used(when, source_ip, {}, {});
  }
  // The last use (unset when never used) and its source IP.
  std::optional<TimePoint> LastUsedAt() const { return Read().first; }
  std::pair<std::optional<TimePoint>, std::string> Read() const;

 private:
  // 48 bytes: the longest textual IPv6 address (45 characters) and its NUL; longer is cut.
  static constexpr size_t kIpWords = 6;
  using PackedIp = std::array<uint64_t, kIpWords>;
  static PackedIp Pack(std::string_view ip);

  mutable std::atomic<uint32_t> sequence_{0};  // odd while a writer writes
  mutable std::atomic<int64_t> last_used_{0};  // Unix seconds; 0 = never
  mutable std::array<std::atomic<uint64_t>, kIpWords> ip_{};
};

struct SessionRegistryOptions {
  size_t max_sessions = kDefaultMaxLiveSessions;  // at least 1
  std::filesystem::path journal;                  // "" = in memory only
  std::chrono::milliseconds flush_interval{1000};
};

struct SessionRegistryStats {
  size_t live = 0;              // records held (some may have expired since the last purge)
  uint64_t evicted = 0;         // records dropped to make room before they expired
  uint64_t journal_lines = 0;   // lines in the journal file
  uint64_t journal_errors = 0;  // failed appends or compactions
};

class SessionRegistry final : public LiveSessionSource {
 public:
  // Replays and compacts the journal (if any), then starts its writer. Errors: the journal
  // cannot be read or rewritten, or is not a session journal.
  static Result<std::unique_ptr<SessionRegistry>> Open(SessionRegistryOptions options,
                                                       const Clock& clock);
  ~SessionRegistry() override;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Records an issued session (its last use is ignored). Replaces a record with the same
  // access key id. The fields are copied: they may be views into the caller's strings.
  void Add(const JournalFields& session);
  void Add(const LiveSession& session) { Add(FieldsOf(session)); }
  // The usage of a recorded session, for its cached credential; null when not recorded.
  std::shared_ptr<const SessionUsage> UsageOf(std::string_view access_key_id) const;
  std::vector<LiveSession> List(std::string_view account_id, TimePoint now) const override;
  SessionRegistryStats stats() const;
  // Writes what is pending to the journal and returns once it is written (tests, shutdown).
  void Flush();

 private:
  // One record. Its text fields are packed into one string: an issuance costs one allocation
  // for them, not one per field (and AssumeRole's own strings go back to the allocator's
  // per-thread cache for the next request instead of living on here).
  // The records, their index nodes and their text come from a pool of their own rather than the
  // general heap: long-lived records interleaved with every request's short-lived buffers left
  // glibc's free lists long, and each request's allocations slower (measured: AssumeRole +10 µs
  // of _int_malloc with 40 000 records held). Every allocation holds the pool (a shared_ptr), so
  // a record that outlives the registry (a "last used" cell still held by the session cache)
  // still returns its memory to a live pool.
  using Pool = std::pmr::synchronized_pool_resource;
  template <class T>
  struct PoolAllocator {
    using value_type = T;
    std::shared_ptr<Pool> pool;
    PoolAllocator(std::shared_ptr<Pool> p) : pool(std::move(p)) {}  // NOLINT: implicit, as allocators are
    template <class U>
    PoolAllocator(const PoolAllocator<U>& other) : pool(other.pool) {}  // NOLINT
    T* allocate(size_t n) { return static_cast<T*>(pool->allocate(n * sizeof(T), alignof(T))); }
    void deallocate(T* p, size_t n) noexcept { pool->deallocate(p, n * sizeof(T), alignof(T)); }
    template <class U>
    bool operator==(const PoolAllocator<U>& other) const { return pool == other.pool; }
  };
  using PoolString = std::basic_string<char, std::char_traits<char>, PoolAllocator<char>>;

  struct Entry {
    explicit Entry(const PoolAllocator<char>& alloc) : text(alloc) {}
    PoolString text;                   // the JournalFields::text fields, in order
    std::array<uint32_t, 8> starts{};  // field i is text[starts[i], starts[i + 1])
    int64_t issued = 0;                // Unix seconds
    int64_t expires = 0;               // Unix seconds
    SessionUsage usage;

    std::string_view Field(size_t i) const {
      return std::string_view(text).substr(starts[i], starts[i + 1] - starts[i]);
    }
    std::string_view access_key_id() const { return Field(0); }
    std::string_view account_id() const { return Field(1); }
    JournalFields Fields() const;   // without the last use
    LiveSession ToSession() const;  // with the last use
  };
  std::shared_ptr<Entry> Pack(const JournalFields& fields) const;
  using ExpiryKey = std::pair<int64_t, const Entry*>;  // (expires, entry)
  using ExpiryIndex = std::set<ExpiryKey, std::less<ExpiryKey>, PoolAllocator<ExpiryKey>>;
  using KeyIndex = std::unordered_map<std::string_view, std::shared_ptr<Entry>, std::hash<std::string_view>,
                                      std::equal_to<std::string_view>,
                                      PoolAllocator<std::pair<const std::string_view, std::shared_ptr<Entry>>>>;

  SessionRegistry(SessionRegistryOptions options, const Clock& clock);
  // Inserts under mu_; drops expired records (as of `now`) and evicts when full.
  void InsertLocked(std::shared_ptr<Entry> entry, int64_t now);
  void EraseLocked(const Entry& entry);
  void PurgeExpired(int64_t now);
  std::string SnapshotText() const;
  void Run();  // the writer thread
  void WriteBatch(const std::vector<std::shared_ptr<const Entry>>& batch);
  Result<void> Compact();
  void NoteError(const Error& error);

  const SessionRegistryOptions options_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::shared_ptr<Pool> pool_ = std::make_shared<Pool>();  // before the indexes: they use it
  KeyIndex by_key_{0, std::hash<std::string_view>(), std::equal_to<std::string_view>(),
                   PoolAllocator<KeyIndex::value_type>(pool_)};  // views into entries
  ExpiryIndex by_expiry_{PoolAllocator<ExpiryKey>(pool_)};
  std::vector<std::shared_ptr<const Entry>> pending_;  // issued, not yet in the journal
  uint64_t evicted_ = 0;
  uint64_t flush_requested_ = 0;
  uint64_t flush_done_ = 0;
  bool stopping_ = false;
  std::condition_variable wake_;     // the writer: work or stop
  std::condition_variable flushed_;  // Flush callers

  // The writer thread's own (journal_lines_ and journal_errors_ also read by stats()).
  JournalFile file_;
  std::atomic<uint64_t> journal_lines_{0};
  std::atomic<uint64_t> journal_errors_{0};
  bool failing_ = false;  // the last write failed: log once per streak
  std::thread writer_;
};

}  // namespace kura::sts
