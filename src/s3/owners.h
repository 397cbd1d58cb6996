// Whose is what across accounts (#15): the account a request acts for, the account that owns a
// bucket, and how an <Owner> (ListBuckets, ACLs, listings) shows an account. A bucket belongs to
// the account of the principal that created it; buckets made before accounts (no stored owner
// account) belong to the management account (S3Env::account_id).
// Thread-safety: pure functions over the env's thread-safe services.
#pragma once

#include <string>
#include <string_view>

#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// The account of the call's signer; the management account when there is none (anonymous, or
// a call built without a principal).
std::string_view CallerAccount(const S3Env& env, const S3Call& call);

// The account id that owns `bucket`.
std::string_view OwnerAccountOf(const S3Env& env, const store::BucketRecord& bucket);

// The account as <Owner> and ACLs name it; an account the directory does not know shows as
// the management account's names if it is that one, else with an empty DisplayName.
S3Account AccountView(const S3Env& env, std::string_view account_id);

// The account that owns the bucket named `bucket`, as AccountView shows it (from the bucket
// cache: no store read). Listings show it as the <Owner> of the bucket's objects and uploads.
S3Account BucketOwnerView(S3Env& env, std::string_view bucket);

}  // namespace kura::s3
