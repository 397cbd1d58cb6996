// ListObjects (v1: marker/NextMarker) and ListObjectsV2 (continuation-token, start-after,
// fetch-owner, KeyCount), both with prefix, delimiter/CommonPrefixes, max-keys and
// encoding-type=url. Pages come from the store in UTF-8 byte order, each costing one index seek.
// ListObjectVersions as S3 answers it for a bucket whose versioning was never enabled (kura's
// buckets are unversioned): each object is its one version, "null", the latest; no delete markers.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> ListObjects(S3Env& env, S3Call& call);  // v1 and v2
net::awaitable<Result<void>> ListObjectVersions(S3Env& env, S3Call& call);

}  // namespace kura::s3
