// The browser POST upload body: input is "<Content-Type header value>\n<body>". The body is
// served to FormReader in pieces of varying sizes (tests/support/memory_exchange.h, so delimiters
// straddle reads), the file is streamed to a sink that refuses more than 1 MiB, and the form's
// policy and tagging fields go through their parsers as PostObject would take them. Refusals
// must be the documented errors.
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/time_format.h"
#include "s3/post_form.h"
#include "s3/post_policy.h"
#include "s3/tagging.h"
#include "tests/support/memory_exchange.h"

namespace {

namespace net = boost::asio;
using kura::ErrorCode;

void ExpectOneOf(const kura::Error& error, std::initializer_list<ErrorCode> allowed) {
  for (ErrorCode code : allowed) {
    if (error.code == code) return;
  }
  std::abort();
}

void CheckFields(const kura::s3::FormFields& fields) {
  static const kura::TimePoint now = *kura::ParseIso8601("2030-01-01T00:00:00.000Z");
  if (auto it = fields.find("policy"); it != fields.end()) {
    auto policy = kura::s3::ParsePostPolicy(it->second, now);
    if (!policy) {
      ExpectOneOf(policy.error(), {ErrorCode::kInvalidPolicyDocument, ErrorCode::kAccessDenied});
    } else if (auto checked = kura::s3::CheckPostPolicy(*policy, fields); !checked) {
      ExpectOneOf(checked.error(), {ErrorCode::kAccessDenied});
    }
  }
  if (auto it = fields.find("tagging"); it != fields.end()) {
    auto tags = kura::s3::ParseTagging(it->second, 10);
    if (!tags) {
      ExpectOneOf(tags.error(), {ErrorCode::kMalformedXML, ErrorCode::kInvalidTag, ErrorCode::kBadRequest});
    }
  }
}

net::awaitable<bool> ReadForm(std::string_view content_type, std::string_view body) {
  auto boundary = kura::s3::BoundaryOf(content_type);
  if (!boundary) {
    ExpectOneOf(boundary.error(), {ErrorCode::kMalformedPOSTRequest});
    co_return false;
  }
  kura::testing::UnverifiedBody unverified(body);
  kura::s3::FormReader form(unverified.verified, *boundary);
  kura::s3::FormFields fields;
  auto file = co_await form.ReadFields(fields);
  if (!file) {
    ExpectOneOf(file.error(), {ErrorCode::kMalformedPOSTRequest, ErrorCode::kInvalidArgument,
                               ErrorCode::kMaxPostPreDataLengthExceededError});
    co_return false;
  }
  for (const auto& [name, value] : fields) {
    if (name.empty() || value.find("\r\n--" + *boundary) != std::string::npos) std::abort();
  }
  CheckFields(fields);
  size_t received = 0;
  auto read = co_await form.ReadFile([&](std::string_view bytes) -> kura::Result<void> {
    received += bytes.size();
    if (received > body.size()) std::abort();
    if (received > (1 << 20)) return kura::MakeError(ErrorCode::kEntityTooLarge);
    return kura::Ok();
  });
  if (!read) ExpectOneOf(read.error(), {ErrorCode::kMalformedPOSTRequest, ErrorCode::kEntityTooLarge});
  co_return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view content_type = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  (void)kura::testing::RunToEnd(ReadForm(content_type, body));
  return 0;
}
