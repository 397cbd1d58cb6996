// GetObjectAttributes (GET /bucket/key?attributes): the attributes x-amz-object-attributes asks
// for (ETag, Checksum, ObjectParts, StorageClass, ObjectSize) of the latest version or of
// ?versionId=, without the bytes; Last-Modified and x-amz-version-id as headers. A delete marker
// answers 404 NoSuchKey (latest) or 405 MethodNotAllowed (by version id) with
// x-amz-delete-marker: true, as GetObject does.
// ObjectParts: kura keeps no per-part checksums of a completed upload, so (as S3 does for an
// object uploaded without additional checksums) it carries PartsCount and no <Part> elements.
// Spec: GetObjectAttributes in the S3 API Reference; shape: botocore's GetObjectAttributesOutput.
#pragma once

#include <string_view>

#include "s3/s3_call.h"

namespace kura::s3 {

// The attributes asked for, as a bit set.
enum ObjectAttribute : unsigned {
  kAttributeETag = 1u << 0,
  kAttributeChecksum = 1u << 1,
  kAttributeObjectParts = 1u << 2,
  kAttributeStorageClass = 1u << 3,
  kAttributeObjectSize = 1u << 4,
};

// Parses x-amz-object-attributes: a comma-separated list of attribute names (whitespace around
// names ignored). kInvalidArgument for an empty list or an unknown name.
Result<unsigned> ParseObjectAttributes(std::string_view header);

net::awaitable<Result<void>> GetObjectAttributes(S3Env& env, S3Call& call);

}  // namespace kura::s3
