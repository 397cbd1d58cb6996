// The plaintext inside a session token: SessionClaims as a compact binary record (fixed field
// order, LEB128 varint lengths and integers). The layout is documented in
// docs/formats/session-token.md and belongs to token format version 1. Decoding is strict:
// every length is bounded by the bytes left, unknown kinds and flags and trailing bytes are
// rejected. Times are whole Unix seconds, clamped on encoding to [1970, 2200).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sts/session_claims.h"

namespace kura::sts {

// The encoded claims. The buffer holds the secret key: callers cleanse it when done.
std::string EncodeClaims(const SessionClaims& claims);

// nullopt on any malformed input; never reads past `bytes`.
// `format_version` is the token's (sts/session_token.h): version 1 records end at field 22
// (web_identity_audience); version 2 adds field 23 (web_identity_context).
std::optional<SessionClaims> DecodeClaims(std::string_view bytes, uint8_t format_version = 2);

}  // namespace kura::sts
