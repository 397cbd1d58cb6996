// Server-side encryption as kura-bench asks for it (--sse AES256, --sse kms[:KEYID], --sse-c):
// the headers each kind of request carries, so a run measures the server's encrypted paths.
// SSE-C uses one fixed key (32 bytes derived from a constant, with its MD5), the same in every
// run, so objects written by `prepare` can be read by a later `get`; S3 only accepts SSE-C over
// https (kura: or with --sse-c-over-http). Thread-safety: plain values, built once before the run.
#pragma once

#include <string_view>

#include "common/error.h"
#include "kura_bench/signer.h"

namespace kura::bench {

struct SseHeaders {
  Headers on_write;  // PutObject, CreateMultipartUpload
  Headers on_part;   // UploadPart (SSE-C repeats its key on every part)
  Headers on_read;   // GetObject, HeadObject (SSE-C only)
  // SSE-S3 and plaintext ETags are the content's MD5; SSE-KMS and SSE-C ETags are not.
  bool etag_is_md5 = true;
};

// --sse VALUE: "AES256" (SSE-S3), "kms" or "kms:KEYID" (SSE-KMS, the default aws/s3 key or KEYID:
// an id, ARN or alias). kInvalidArgument on anything else.
Result<SseHeaders> SseFor(std::string_view value);
// --sse-c: the fixed customer key on writes, parts and reads.
SseHeaders SseCustomerKey();

}  // namespace kura::bench
