// What a client may see of an Error. Server faults (5xx: InternalError, a failed write, a full
// disk) often carry messages made for the operator — a file path, errno text, an SQL statement —
// which must never reach a client: they reveal the server's layout and help nobody retry. Every
// error document (S3 <Error>, IAM/STS <ErrorResponse>, KMS and Organizations JSON) is rendered
// from ForClient's result; the detail goes to the server log once, with the request id, so an
// operator can find it from the id the client reports.
// Client faults (4xx) keep their messages: they explain the client's own input; so does 501
// NotImplemented, which names what the client asked for.
// Thread-safety: stateless (logging is line-atomic).
#pragma once

#include <string_view>

#include "common/error.h"

namespace kura {

// `error` as a client may see it: for a 5xx status (but 501), the table's default message and no extra
// elements (after logging the original with `request_id`); otherwise `error` unchanged.
Error ForClient(const Error& error, std::string_view request_id);

}  // namespace kura
