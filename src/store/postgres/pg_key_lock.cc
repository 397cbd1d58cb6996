#include "store/postgres/pg_key_lock.h"

#include <string>

namespace kura::store::postgres {
namespace {

constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

int64_t KeyLockId(std::string_view space, std::string_view bucket, std::string_view key) {
  // Neither a schema nor a bucket name holds a NUL, so the separators make the input unique.
  uint64_t hash = Fnv1a(kFnvOffsetBasis, space);
  hash = Fnv1a(hash, std::string_view("\0", 1));
  hash = Fnv1a(hash, bucket);
  hash = Fnv1a(hash, std::string_view("\0", 1));
  return static_cast<int64_t>(Fnv1a(hash, key));
}

Result<void> LockKey(PgConnection& conn, std::string_view space, std::string_view bucket,
                     std::string_view key) {
  static const std::string kLock = "SELECT pg_advisory_xact_lock($1)";
  KURA_TRY(conn.Exec(kLock, PgParams().Int(KeyLockId(space, bucket, key))));
  return Ok();
}

}  // namespace kura::store::postgres
