// Object tagging (Get/Put/DeleteObjectTagging) and bucket tagging (Get/Put/DeleteBucketTagging):
// the <Tagging><TagSet><Tag> document both ways, with S3's tag rules (keys 1–128 characters,
// values 0–256, unique keys, at most 10 tags per object and 50 per bucket).
// Spec: PutObjectTagging and PutBucketTagging in the S3 API Reference.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetObjectTagging(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutObjectTagging(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteObjectTagging(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetBucketTagging(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketTagging(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketTagging(S3Env& env, S3Call& call);

// Parses a <Tagging> document. Errors: kMalformedXML, kInvalidTag, kBadRequest (too many).
Result<store::Pairs> ParseTagging(std::string_view xml, size_t max_tags);
std::string RenderTagging(const store::Pairs& tags);

}  // namespace kura::s3
