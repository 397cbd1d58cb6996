// Which x-amz-* request headers kura honours, per S3 operation: one table (honoured_headers.cc)
// that the dispatcher consults before any handler runs or any body byte is read. A header kura
// does not act on must never be accepted and ignored (SSE-C stored in plaintext, an Object Lock
// retention that a DeleteObject then ignores), so every x-amz-* header is either in the table for
// the request's operation — honoured, possibly after a check of its value — or refused:
//   - a header the table does not list for the operation: 501 NotImplemented naming it, so a
//     header AWS adds later is refused until someone implements it and lists it;
//   - a listed header whose value kura cannot honour: the error AWS gives (400 InvalidArgument for
//     an invalid value, 501 NotImplemented for a valid one kura does not implement, 403
//     AccessDenied for x-amz-expected-bucket-owner naming another account, …).
// Spec: the "header" members of each operation's input in botocore's s3 service-2.json and the
// S3 API Reference. Thread-safety: pure.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "s3/operation.h"
#include "common/http_head.h"

namespace kura::s3 {

// Checks every x-amz-* header of a request for `operation`. x-amz-expected-bucket-owner is
// compared with `bucket_owner`, x-amz-source-expected-bucket-owner with `source_bucket_owner`
// (the copy source's owner; "" = the same as `bucket_owner`); an empty owner (no such bucket)
// matches any. Errors as described above.
Result<void> CheckRequestHeaders(S3Operation operation, std::span<const HeaderField> headers,
                                 std::string_view bucket_owner,
                                 std::string_view source_bucket_owner = {});

// ?versionId= names a version. The operations that address one version of an object (GET, HEAD,
// DELETE, tagging, ACL, attributes, retention, legal hold) take it and answer NoSuchVersion
// for an id they do not find. Any other operation is given no version to act on, so an id
// other than "null" is refused as S3 refuses an id it could not have issued: 400
// InvalidArgument "Invalid version id specified" — never answered from the current object as if
// it were that version.
Result<void> CheckVersionId(const S3Request& request);
// The "null"-only check for a version id given elsewhere; nullopt: none given.
Result<void> CheckVersionId(const std::optional<std::string>& version_id);

// x-amz-* query parameters other than SigV4's own (X-Amz-Algorithm, -Credential, -Date, -Expires,
// -SignedHeaders, -Signature, -Security-Token, -Content-Sha256): SDKs that presign may hoist
// headers into the query (x-amz-acl, x-amz-server-side-encryption, x-amz-checksum-crc32, …), and
// S3 acts on them there. kura's handlers read such values from headers only, so a hoisted one
// would be signed, accepted and ignored: 501 NotImplemented naming it instead. Exception:
// x-amz-checksum-mode on GetObject/HeadObject, which GetObject reads from the query too.
Result<void> CheckAmzQueryParameters(const S3Request& request);

}  // namespace kura::s3
