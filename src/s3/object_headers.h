// The mapping between an object's stored metadata and HTTP headers, both ways: what PutObject
// (and CreateMultipartUpload, CopyObject with REPLACE) keeps from the request, and what
// GetObject/HeadObject send back. Spec: PutObject and GetObject in the S3 API Reference.
// Thread-safety: pure.
#pragma once

#include "common/error.h"
#include "common/http_head.h"
#include "store/records.h"

namespace kura::s3 {

// Fills content type, standard headers, x-amz-meta-*, storage class and tags of `record` from
// the request. Errors: kInvalidStorageClass, kInvalidTag, kInvalidArgument (metadata too large).
Result<void> ReadObjectHeaders(const RequestHead& request, store::ObjectRecord& record);

// Sets ETag, Last-Modified, Content-Type, stored headers, x-amz-meta-*, storage class, tag count
// and (when include_checksum) x-amz-checksum-*.
void WriteObjectHeaders(const store::ObjectRecord& record, bool include_checksum,
                        ResponseHead& head);

// "\"etag\"" as S3 quotes it in headers and XML.
std::string QuotedEtag(std::string_view etag);

// Parses x-amz-tagging / the Tagging query form ("k1=v1&k2=v2"), checking S3's tag rules.
Result<store::Pairs> ParseTaggingQuery(std::string_view text);

}  // namespace kura::s3
