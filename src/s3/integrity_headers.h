// Whether a request carries what S3 accepts as its integrity header: Content-MD5, an
// x-amz-checksum-* value, a checksum trailer, or x-amz-sdk-checksum-algorithm. S3 requires one
// on DeleteObjects, on the lifecycle and Object Lock configuration writes, and on PutObject with
// Object Lock parameters.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

bool HasIntegrityHeader(const S3Call& call);

}  // namespace kura::s3
