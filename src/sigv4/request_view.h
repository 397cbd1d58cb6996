// A borrowed, HTTP-library-neutral view of one request as received, which is all SigV4
// verification needs: method, raw request-target, header fields in wire order (any case, may
// repeat) and, optionally, the whole body when the caller already holds it (IAM/STS form posts,
// whose payload hash is not sent in a header). Nothing is copied; the caller keeps the
// underlying bytes alive while the view is used. Thread-safety: a plain value.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "common/http_head.h"

namespace kura::sigv4 {

// As received: name in any case, value untrimmed (the verifier trims for canonicalization).
using HeaderField = kura::HeaderField;

struct RequestView {
  std::string_view method;                 // "GET", "PUT", ...
  std::string_view target;                 // raw request-target: "/a%20b?x=1&y"
  std::span<const HeaderField> headers;
  // The full body, if the caller has read it before authentication. Used only when no
  // x-amz-content-sha256 header states the payload hash (non-S3 services hash the body).
  std::optional<std::string_view> body;
  // The client's address as the transport saw it ("" if unknown): told to the credential when
  // the signature verifies (CredentialUse), never part of what is signed.
  std::string_view source_ip;

  // The value of the first header named `lower_name` (compared case-insensitively; pass the
  // name in lower case), or "" if there is none.
  std::string_view Header(std::string_view lower_name) const;
  bool HasHeader(std::string_view lower_name) const;

  std::string_view Path() const;   // target up to '?'
  std::string_view Query() const;  // target after the first '?', "" if none
};

}  // namespace kura::sigv4
