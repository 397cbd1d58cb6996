#include "s3/integrity_headers.h"

#include "sigv4/checksums.h"

namespace kura::s3 {

bool HasIntegrityHeader(const S3Call& call) {
  if (call.HasHeader("content-md5") || call.HasHeader("x-amz-sdk-checksum-algorithm") ||
      call.HasHeader("x-amz-trailer")) {
    return true;
  }
  for (const auto& header : call.headers) {
    if (sigv4::ChecksumFromHeaderName(header.name)) return true;
  }
  return false;
}

}  // namespace kura::s3
