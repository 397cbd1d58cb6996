// The plaintext inside a session token: SessionClaims as a compact binary record (fixed field
// order, LEB128 varint lengths and integers). The layout is documented in
// docs/formats/session-token.md and belongs to token format version 1. Decoding is strict:
// every length is bounded by the bytes left, unknown kinds and flags and trailing bytes are
// rejected. Times are whole Unix seconds, clamped on encoding to [1970, 2200).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sts/session_claims.h"

namespace kura::sts {

// The encoded claims. The buffer holds the secret key: callers cleanse it when done.
std::string EncodeClaims(const SessionClaims& claims);

// nullopt on any malformed input; never reads past `bytes`.
std::optional<SessionClaims> DecodeClaims(std::string_view bytes);

}  // namespace kura::sts
