// Which authentication or authorization failure an error answer reports, for the metric
// kura_auth_failures_total: the codes the verifier (sigv4/verifier.h) and the authorizer return,
// in every API's spelling (S3's, IAM/STS's, the JSON services'). An error answered before
// routing reached a decision (a malformed body, a missing bucket) is none.
// Thread-safety: a pure function.
#pragma once

#include <optional>

#include "common/error.h"
#include "metrics/request_metrics.h"

namespace kura::api {

std::optional<metrics::AuthFailure> AuthFailureOf(ErrorCode code);

}  // namespace kura::api
