// ListObjects (v1: marker/NextMarker) and ListObjectsV2 (continuation-token, start-after,
// fetch-owner, KeyCount), both with prefix, delimiter/CommonPrefixes, max-keys and
// encoding-type=url. Pages come from the store in UTF-8 byte order, each costing one index seek.
// ListObjectVersions (list_object_versions.cc): versions and delete markers by key, newest first,
// with key-marker/version-id-marker paging; a never-versioned bucket's objects are each their one
// version, "null". The query parameters and elements they share are in list_params.h.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> ListObjects(S3Env& env, S3Call& call);  // v1 and v2
net::awaitable<Result<void>> ListObjectVersions(S3Env& env, S3Call& call);

}  // namespace kura::s3
