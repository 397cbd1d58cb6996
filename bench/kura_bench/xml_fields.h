// The few things kura-bench reads from response XML: temporary credentials from an STS
// AssumeRoleResponse (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html),
// the UploadId of CreateMultipartUpload, and IsTruncated / NextContinuationToken of
// ListObjectsV2. Parsed with pugixml; elements are matched by local name (namespaces ignored).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "kura_bench/signer.h"

namespace kura::bench {

// The text of the first element (document order) with that local name; nullopt if the document is
// not XML or has no such element.
std::optional<std::string> FirstElementText(std::string_view xml, std::string_view name);

// AccessKeyId, SecretAccessKey and SessionToken of <AssumeRoleResult><Credentials>; an error
// (with the STS error code and message when the body is an <ErrorResponse>) otherwise.
Result<Credentials> ParseAssumeRoleCredentials(std::string_view xml);

}  // namespace kura::bench
