// PutBucketVersioning and GetBucketVersioning: a bucket starts unversioned, can be Enabled, and
// once versioned can only be Suspended again, never unversioned (the store refuses that with
// InvalidBucketState). MFA delete needs MFA devices, which kura has none of: MfaDelete=Enabled
// is refused as AWS refuses a request without an MFA token (403 AccessDenied "Mfa
// Authentication must be used for this request"); MfaDelete=Disabled is accepted.
// Spec: PutBucketVersioning / GetBucketVersioning in the S3 API Reference and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html.
// Thread-safety: pure functions over thread-safe services.
#pragma once

#include <string_view>

#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

net::awaitable<Result<void>> PutBucketVersioning(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetBucketVersioning(S3Env& env, S3Call& call);

// The state a <VersioningConfiguration> body asks for. Errors: kMalformedXML (not the
// document, or a Status other than Enabled/Suspended, or an MfaDelete other than
// Enabled/Disabled), kAccessDenied (MfaDelete Enabled).
Result<store::VersioningState> ParseVersioningConfiguration(std::string_view body);

// The <VersioningConfiguration> GetBucketVersioning answers: no Status while never versioned.
std::string RenderVersioningConfiguration(store::VersioningState state);

}  // namespace kura::s3
