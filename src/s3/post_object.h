// POST Object: browser uploads with an HTML form (multipart/form-data). The fields before the
// "file" field are read (bounded), the file is streamed into a blob (bounded memory), and the
// form's policy signature (SigV4 over the base64 policy, with the credential resolver) is
// verified here, since such a request carries no Authorization header; the upload is then
// authorized as s3:PutObject on the form's key for the signer (or anonymously without a policy).
// Answers: success_action_redirect (303), success_action_status 200/201 (201 with <PostResponse>),
// else 204. Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> PostObject(S3Env& env, S3Call& call);

}  // namespace kura::s3
