// Pieces every S3 handler uses to answer: response heads with the common headers, XML bodies,
// the error for an oversized small body, and S3's <Error> document.
// Thread-safety: pure functions over the call.
#pragma once

#include <string>

#include "s3/s3_call.h"

namespace kura::s3 {

// A head with x-amz-request-id, x-amz-id-2, Date and Server set.
ResponseHead NewHead(const S3Call& call, bhttp::status status = bhttp::status::ok);

// 200 with an XML body.
net::awaitable<Result<void>> RespondXml(S3Call& call, std::string xml,
                                        bhttp::status status = bhttp::status::ok);
// A body-less answer (204, 200 with headers only).
net::awaitable<Result<void>> RespondEmpty(S3Call& call, ResponseHead head);

// What S3 answers for an XML or JSON request body over its limit (call.body.ReadAll's
// too_large): MalformedXML.
Error BodyTooLarge();

// S3's <Error> document for `error` about `resource` (the request path).
std::string RenderS3Error(const Error& error, std::string_view resource, std::string_view request_id);

// Answers `error` with `head` (from NewHead, its status the error's) for the errors a handler
// renders itself because they carry headers the pipeline's error answer cannot (a delete
// marker's x-amz-delete-marker, a 416's Content-Range): S3's <Error> document, or for HEAD no
// body and x-amz-error-code. Records the code and message in call.answered_error and
// answered_error_message. A server fault's message is replaced by the table's (ForClient,
// common/client_error.h).
net::awaitable<Result<void>> RespondWithError(S3Call& call, ResponseHead head, const Error& error);

// The S3 canonical user id of an account (64 hex characters, stable).
std::string CanonicalUserId(std::string_view account_id);

}  // namespace kura::s3
