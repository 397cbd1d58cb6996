#include "s3/acl_handlers.h"

#include "common/limits.h"
#include "s3/bucket_policy_cache.h"
#include "s3/names.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/owners.h"
#include "s3/response.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

AclTarget TargetFor(AclWrite write, const S3Env& env, std::string_view writer_account,
                    const store::BucketRecord& bucket) {
  return AclTarget{.write = write,
                   .writer_id = CanonicalUserId(writer_account),
                   .bucket_owner_id = BucketOwnerOf(env, bucket),
                   .object_owner_id = {},
                   .ownership = bucket.object_ownership,
                   .block_public_acls = bucket.public_access_block.block_public_acls};
}

Result<AccessControlList> StoredAcl(std::string_view encoded, const std::string& default_owner) {
  auto acl = DecodeAcl(encoded, default_owner);
  if (!acl) return MakeError(ErrorCode::kInternalError, "A stored ACL is corrupt");
  return std::move(*acl);
}

// The ACL GetObjectAcl reports: the stored one, unless ownership is enforced.
Result<AccessControlList> EffectiveObjectAcl(const S3Env& env, const store::BucketRecord& bucket,
                                             const store::ObjectRecord& object) {
  std::string bucket_owner = BucketOwnerOf(env, bucket);
  if (bucket.object_ownership == store::ObjectOwnership::kBucketOwnerEnforced) {
    return OwnerFullControl(std::move(bucket_owner));
  }
  return StoredAcl(object.acl, bucket_owner);
}

net::awaitable<Result<void>> RespondAcl(const S3Env& env, S3Call& call, ResponseHead head,
                                        Result<AccessControlList> acl) {
  if (!acl) co_return acl.error();
  head.fields.set(bhttp::field::content_type, "application/xml");
  co_return co_await call.response.Respond(std::move(head),
                                           RenderAccessControlPolicy(*acl, AccountsOf(env)));
}

// The bucket's ACL is checked against the bucket as it is in the transaction that replaces it,
// so a concurrent change of ownership or Block Public Access cannot slip a refused ACL in.
net::awaitable<Result<void>> PutBucketAcl(S3Env& env, S3Call& call, const AclRequest& request) {
  AclAccounts accounts = AccountsOf(env);
  KURA_CO_TRY(co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(
        call.request.bucket,
        [&](store::BucketRecord& bucket) -> Result<void> {
          AclTarget target = TargetFor(AclWrite::kBucketAcl, env, CallerAccount(env, call), bucket);
          auto acl = ResolveAcl(request, target, accounts);
          if (!acl) return acl.error();
          bucket.acl = EncodeAcl(*acl, target.bucket_owner_id);
          return Ok();
        },
        std::move(done));
  }));
  co_await ReadStep(env, [&] {  // re-reads the bucket
    env.policies.Refresh(call.request.bucket);
    return true;
  });
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> PutObjectAcl(S3Env& env, S3Call& call, const AclRequest& request) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) co_return version_id.error();
  AclTarget target = TargetFor(AclWrite::kObjectAcl, env, CallerAccount(env, call), *bucket);
  AclAccounts accounts = AccountsOf(env);
  bool enforced = bucket->object_ownership == store::ObjectOwnership::kBucketOwnerEnforced;
  store::ObjectRecord updated;
  KURA_CO_TRY(co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateObject(
        call.request.bucket, call.request.key, *version_id,
        LockContextFor(env, call, call.request.key),
        [&](store::ObjectRecord& object) -> Result<void> {
          auto current = StoredAcl(object.acl, target.bucket_owner_id);
          if (!current) return current.error();
          target.object_owner_id = current->owner_id;
          auto acl = ResolveAcl(request, target, accounts);
          if (!acl) return acl.error();
          // Enforced: the accepted ACL is the one the object has anyway; the stored one stays.
          if (!enforced) object.acl = EncodeAcl(*acl, target.bucket_owner_id);
          updated = object;
          return Ok();
        },
        std::move(done));
  }));
  auto head = NewHead(call);
  SetReadVersionId(head, updated, version_id->has_value());
  co_return co_await RespondEmpty(call, std::move(head));
}

}  // namespace

AclAccounts AccountsOf(const S3Env& env) {
  return AclAccounts{.canonical_id = CanonicalUserId(env.account_id),
                     .display_name = env.account_name,
                     .email = env.account_email,
                     .directory = env.accounts};
}

AclRequest AclRequestOf(const S3Call& call) {
  AclRequest request;
  for (const HeaderField& field : call.headers) {
    if (EqualsIgnoreAsciiCase(field.name, "x-amz-acl")) {
      request.canned = field.value;
    } else if (auto permission = GrantHeaderPermission(field.name)) {
      request.grant_headers.emplace_back(*permission, field.value);
    }
  }
  return request;
}

std::string BucketOwnerOf(const S3Env& env, const store::BucketRecord& bucket) {
  return bucket.owner_id.empty() ? CanonicalUserId(OwnerAccountOf(env, bucket)) : bucket.owner_id;
}

Result<std::string> NewBucketAcl(const S3Env& env, const S3Call& call,
                                 store::ObjectOwnership ownership) {
  std::string arn = "arn:aws:s3:::" + call.request.bucket;
  AclRequest request = AclRequestOf(call);
  if (!request.Empty()) KURA_TRY(call.authorize("s3:PutBucketAcl", arn));
  if (call.HasHeader("x-amz-object-ownership")) {
    KURA_TRY(call.authorize("s3:PutBucketOwnershipControls", arn));
  }
  std::string owner = CanonicalUserId(CallerAccount(env, call));
  AclTarget target{.write = AclWrite::kCreateBucket,
                   .writer_id = owner,
                   .bucket_owner_id = owner,
                   .object_owner_id = {},
                   .ownership = ownership,
                   .block_public_acls = false};
  auto acl = ResolveAcl(request, target, AccountsOf(env));
  if (!acl) return acl.error();
  return EncodeAcl(*acl, owner);
}

Result<std::string> RequestedObjectAcl(const S3Env& env, const S3Call& call,
                                       const store::BucketRecord& bucket) {
  AclRequest request = AclRequestOf(call);
  if (!request.Empty()) {
    KURA_TRY(call.authorize("s3:PutObjectAcl",
                            "arn:aws:s3:::" + call.request.bucket + "/" + call.request.key));
  }
  return NewObjectAcl(env, CallerAccount(env, call), request, bucket);
}

Result<std::string> NewObjectAcl(const S3Env& env, std::string_view writer_account,
                                 const AclRequest& request, const store::BucketRecord& bucket) {
  AclTarget target = TargetFor(AclWrite::kNewObject, env, writer_account, bucket);
  auto acl = ResolveAcl(request, target, AccountsOf(env));
  if (!acl) return acl.error();
  return EncodeAcl(*acl, target.bucket_owner_id);
}

net::awaitable<Result<void>> GetAcl(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  auto head = NewHead(call);
  if (call.request.operation == S3Operation::kGetBucketAcl) {
    co_return co_await RespondAcl(env, call, std::move(head),
                                  StoredAcl(bucket->acl, BucketOwnerOf(env, *bucket)));
  }
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto object = co_await ReadStep(env, [&] { return ReadAddressedVersion(env, call); });
  if (!object) co_return object.error();
  SetReadVersionId(head, *object, call.request.HasQuery("versionId"));
  co_return co_await RespondAcl(env, call, std::move(head),
                                EffectiveObjectAcl(env, *bucket, *object));
}

net::awaitable<Result<void>> PutAcl(S3Env& env, S3Call& call) {
  bool for_bucket = call.request.operation == S3Operation::kPutBucketAcl;
  if (!for_bucket) {
    KURA_CO_TRY(ValidateObjectKey(call.request.key));
  }
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  AclRequest request = AclRequestOf(call);
  request.body = *body;
  if (request.Empty()) {
    Error error = MakeError(ErrorCode::kMissingSecurityHeader);
    error.details = {{"MissingHeaderName", "x-amz-acl"}};
    co_return error;
  }
  if (for_bucket) co_return co_await PutBucketAcl(env, call, request);
  co_return co_await PutObjectAcl(env, call, request);
}

}  // namespace kura::s3
