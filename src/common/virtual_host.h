// Virtual-hosted-style S3 addressing: which bucket a Host header names under the endpoint's
// domain ("bucket.domain[:port]"). Used by S3 routing and by Signature Version 2, whose
// canonical resource starts with the bucket however it was addressed.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
// Thread-safety: pure.
#pragma once

#include <string_view>

namespace kura {

// "bucket.domain[:port]" → "bucket"; "" when domain is empty or the host is not under it.
std::string_view BucketFromHost(std::string_view host, std::string_view domain);

}  // namespace kura
