// The time formats of the wire: SigV4's ISO 8601 basic form (20150830T123600Z), S3/IAM XML's
// ISO 8601 extended form with milliseconds (2015-08-30T12:36:00.000Z), and HTTP dates
// (RFC 7231 IMF-fixdate: Sun, 30 Aug 2015 12:36:00 GMT). All in UTC. Thread-safety: pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace kura {

std::string FormatAmzDate(TimePoint t);       // 20150830T123600Z
std::string FormatIso8601(TimePoint t);       // 2015-08-30T12:36:00.000Z
std::string FormatIso8601Seconds(TimePoint t);  // 2015-08-30T12:36:00Z (STS Expiration)
std::string FormatHttpDate(TimePoint t);      // Sun, 30 Aug 2015 12:36:00 GMT

std::optional<TimePoint> ParseAmzDate(std::string_view s);
// Accepts 2015-08-30T12:36:00Z, with optional fractional seconds, and the date alone.
std::optional<TimePoint> ParseIso8601(std::string_view s);
// IMF-fixdate, plus the obsolete RFC 850 and asctime forms HTTP/1.1 says to accept.
std::optional<TimePoint> ParseHttpDate(std::string_view s);

}  // namespace kura
