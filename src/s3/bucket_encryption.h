// S3 bucket default encryption: PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html; document shape:
// botocore's s3 ServerSideEncryptionConfiguration). The configuration is one rule naming SSE-S3
// (AES256) or SSE-KMS (aws:kms, a KMS key id as given, BucketKeyEnabled); it is kept in
// BucketRecord::encryption as an EncodeObjectEncryption string, and RequestedEncryption applies it
// to every write that names no encryption of its own.
//
// Unlike AWS, which encrypts every new bucket with SSE-S3 since January 2023, a kura bucket is
// unencrypted until configured (plaintext blobs are served by sendfile): GetBucketEncryption then
// answers ServerSideEncryptionConfigurationNotFoundError, as S3 did before 2023, and
// DeleteBucketEncryption returns the bucket to that state.
// Thread-safety: pure functions and handlers, one per call.
#pragma once

#include <string>
#include <string_view>

#include "s3/object_encryption.h"
#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetBucketEncryption(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketEncryption(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketEncryption(S3Env& env, S3Call& call);

// <ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>…
// as the bucket default it names (mode kS3 or kKms, kms_key_id as given, bucket_key_enabled).
// Errors as S3: kMalformedXML unless exactly one rule with a known algorithm; kInvalidArgument
// for a KMSMasterKeyID without aws:kms; kNotImplemented for aws:kms:dsse and for blocking SSE-C
// (BlockedEncryptionTypes SSE-C), which kura does not do.
Result<ObjectEncryption> ParseServerSideEncryptionConfiguration(std::string_view body);
std::string RenderServerSideEncryptionConfiguration(const ObjectEncryption& bucket_default);

}  // namespace kura::s3
