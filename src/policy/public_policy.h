// Whether a resource-based policy is "public" in S3 Block Public Access's sense, the definition
// behind GetBucketPolicyStatus, BlockPublicPolicy and RestrictPublicBuckets:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// A policy is public when one of its Allow statements can apply to anyone: its Principal is "*"
// (or it uses NotPrincipal) and no condition pins it to fixed values of a key that identifies
// the caller or its network — aws:SourceIp with a CIDR no broader than /8 (IPv4) or /32 (IPv6),
// aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
// aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:userid, s3:DataAccessPointArn,
// s3:DataAccessPointAccount, s3:x-amz-server-side-encryption-aws-kms-key-id. A value is fixed
// when it holds neither a wildcard nor a policy variable; a negated, …IfExists, Null or
// ForAllValues: operator pins nothing (each is true for a caller the key does not describe).
// Deny statements never make a policy public.
// Thread-safety: pure functions.
#pragma once

#include "policy/compiled_policy.h"

namespace kura::policy {

// Whether this one Allow statement grants access to anyone (false for Deny statements).
bool IsPublicStatement(const CompiledStatement& statement);

// Whether any statement of `policy` is public.
bool IsPublicPolicy(const CompiledPolicy& policy);

}  // namespace kura::policy
