#include "s3/public_access_block.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/text.h"
#include "common/xml_writer.h"
#include "s3/bucket_policy_cache.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// One optional boolean element; false when absent.
Result<bool> ReadFlag(const pugi::xml_node& root, const char* name) {
  pugi::xml_node node = root.child(name);
  if (!node) return false;
  std::string_view value = node.child_value();
  if (EqualsIgnoreAsciiCase(value, "true")) return true;
  if (EqualsIgnoreAsciiCase(value, "false")) return false;
  return MakeError(ErrorCode::kMalformedXML);
}

const char* FlagText(bool value) { return value ? "true" : "false"; }

// Stores `block` and refreshes the authorizer's copy of the bucket once the write is durable.
net::awaitable<Result<void>> StoreBlock(S3Env& env, S3Call& call, store::PublicAccessBlock block) {
  auto updated = co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [block](store::BucketRecord& b) -> Result<void> {
                                b.public_access_block = block;
                                return Ok();
                              },
                              std::move(done));
  });
  co_await ReadStep(env, [&] {  // re-reads the bucket
    env.policies.Refresh(call.request.bucket);
    return true;
  });
  co_return updated;
}

}  // namespace

Result<store::PublicAccessBlock> ParsePublicAccessBlockConfiguration(std::string_view body) {
  pugi::xml_document doc;
  auto parsed = ParseXmlBody(doc, body, "PublicAccessBlockConfiguration");
  if (!parsed) return parsed.error();
  pugi::xml_node root = *parsed;
  auto block_acls = ReadFlag(root, "BlockPublicAcls");
  auto ignore_acls = ReadFlag(root, "IgnorePublicAcls");
  auto block_policy = ReadFlag(root, "BlockPublicPolicy");
  auto restrict_buckets = ReadFlag(root, "RestrictPublicBuckets");
  for (const Result<bool>* flag : {&block_acls, &ignore_acls, &block_policy, &restrict_buckets}) {
    if (!*flag) return flag->error();
  }
  return store::PublicAccessBlock{.configured = true,
                                  .block_public_acls = *block_acls,
                                  .ignore_public_acls = *ignore_acls,
                                  .block_public_policy = *block_policy,
                                  .restrict_public_buckets = *restrict_buckets};
}

std::string RenderPublicAccessBlockConfiguration(const store::PublicAccessBlock& block) {
  xml::Writer w("PublicAccessBlockConfiguration", xml::kS3Namespace);
  w.Element("BlockPublicAcls", FlagText(block.block_public_acls));
  w.Element("IgnorePublicAcls", FlagText(block.ignore_public_acls));
  w.Element("BlockPublicPolicy", FlagText(block.block_public_policy));
  w.Element("RestrictPublicBuckets", FlagText(block.restrict_public_buckets));
  return w.Finish();
}

net::awaitable<Result<void>> PutPublicAccessBlock(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto block = ParsePublicAccessBlockConfiguration(*body);
  if (!block) co_return block.error();
  KURA_CO_TRY(co_await StoreBlock(env, call, *block));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> GetPublicAccessBlock(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (!bucket->public_access_block.configured) {
    co_return MakeError(ErrorCode::kNoSuchPublicAccessBlockConfiguration);
  }
  co_return co_await RespondXml(call, RenderPublicAccessBlockConfiguration(bucket->public_access_block));
}

net::awaitable<Result<void>> DeletePublicAccessBlock(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StoreBlock(env, call, store::PublicAccessBlock{}));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
