// The lock that orders the writes of one object key across every node: a transaction-scoped
// PostgreSQL advisory lock (pg_advisory_xact_lock, released at COMMIT or ROLLBACK) on a 64-bit
// id hashed from (store, bucket, key). Two keys may share an id: then their writes queue behind
// each other, which costs time, never correctness.
// The id is FNV-1a 64 (http://www.isthe.com/chongo/tech/comp/fnv/), a fixed function, so every
// kura build on every node computes the same id for the same key.
// Thread-safety: pure functions; LockKey as PgConnection.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/postgres/pg_connection.h"

namespace kura::store::postgres {

// `space` names the store (its schema), so that stores sharing a database do not contend.
int64_t KeyLockId(std::string_view space, std::string_view bucket, std::string_view key);
// Waits for the key's lock (statement_timeout bounds the wait) and holds it to the end of the
// transaction.
Result<void> LockKey(PgConnection& conn, std::string_view space, std::string_view bucket,
                     std::string_view key);

}  // namespace kura::store::postgres
