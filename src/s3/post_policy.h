// Browser POST uploads: the signed policy document (base64 JSON with "expiration" and
// "conditions") and its checks — exact matches ({"field": "value"} and ["eq", "$field", "v"]),
// ["starts-with", "$field", "prefix"], ["content-length-range", min, max] — and the rule that
// every form field except x-amz-signature, file, policy and x-ignore-* is named by a condition.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace kura::s3 {

// Form fields by lower-cased name (values verbatim); "bucket" is added by the caller.
using FormFields = std::map<std::string, std::string>;

struct PostPolicy {
  TimePoint expiration{};
  struct Condition {
    std::string op;     // "eq", "starts-with", "content-length-range"
    std::string field;  // lower-cased, without '$'
    std::string value;
    uint64_t min = 0, max = 0;
    std::string text;   // as written, for error messages
  };
  std::vector<Condition> conditions;
};

// Decodes and parses the base64 policy. Errors: kInvalidPolicyDocument ("Invalid Policy: ...",
// as S3 words it), kAccessDenied when expired (against `now`).
Result<PostPolicy> ParsePostPolicy(std::string_view base64, TimePoint now);

// Checks every condition but content-length-range against `fields`, and that every field is
// covered. Errors: kAccessDenied ("Invalid according to Policy: ...").
Result<void> CheckPostPolicy(const PostPolicy& policy, const FormFields& fields);

// The [min, max] of content-length-range, if the policy has one.
std::optional<std::pair<uint64_t, uint64_t>> ContentLengthRange(const PostPolicy& policy);

}  // namespace kura::s3
