#include "s3/tagging.h"

#include <pugixml.hpp>

#include <set>

#include "common/encoding.h"
#include "common/limits.h"
#include "common/xml_writer.h"
#include "s3/names.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

// Characters, not bytes, as S3 counts them.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Sets the tags of the version ?versionId= names (else the latest) and answers with its id.
net::awaitable<Result<void>> UpdateObjectTags(S3Env& env, S3Call& call, store::Pairs tags,
                                              bhttp::status status) {
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) co_return version_id.error();
  store::ObjectRecord updated;
  KURA_CO_TRY(co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateObject(call.request.bucket, call.request.key, *version_id,
                              LockContextFor(env, call, call.request.key),
                              [&updated, tags = std::move(tags)](store::ObjectRecord& o) -> Result<void> {
                                o.tags = tags;
                                updated = o;
                                return Ok();
                              },
                              std::move(done));
  }));
  auto head = NewHead(call, status);
  SetReadVersionId(head, updated, version_id->has_value());
  co_return co_await RespondEmpty(call, std::move(head));
}

net::awaitable<Result<void>> UpdateBucketTags(S3Env& env, S3Call& call, store::Pairs tags) {
  co_return co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [tags = std::move(tags)](store::BucketRecord& b) -> Result<void> {
                                b.tags = tags;
                                return Ok();
                              },
                              std::move(done));
  });
}

}  // namespace

Result<store::Pairs> ParseTagging(std::string_view xml, size_t max_tags) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, xml, "Tagging");
  if (!root) return root.error();
  auto tag_set = root->child("TagSet");
  if (!tag_set) return MakeError(ErrorCode::kMalformedXML);
  store::Pairs tags;
  std::set<std::string> seen;
  for (auto tag : tag_set.children("Tag")) {
    if (!tag.child("Key")) return MakeError(ErrorCode::kMalformedXML);
    std::string key = tag.child_value("Key");
    std::string value = tag.child_value("Value");
    if (key.empty() || Utf8Length(key) > 128) return MakeError(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    if (Utf8Length(value) > 256) return MakeError(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
    if (!seen.insert(key).second) return MakeError(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
    tags.emplace_back(std::move(key), std::move(value));
  }
  if (tags.size() > max_tags) {
    return MakeError(ErrorCode::kBadRequest, max_tags == static_cast<size_t>(limits::kMaxObjectTags)
                                                 ? "Object tags cannot be greater than 10"
                                                 : "Bucket tag count cannot be greater than 50");
  }
  return tags;
}

std::string RenderTagging(const store::Pairs& tags) {
  xml::Writer w("Tagging", xml::kS3Namespace);
  w.Open("TagSet");
  for (const auto& [key, value] : tags) w.Open("Tag").Element("Key", key).Element("Value", value).Close("Tag");
  w.Close("TagSet");
  return w.Finish();
}

net::awaitable<Result<void>> GetObjectTagging(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto object = co_await ReadStep(env, [&] { return ReadAddressedVersion(env, call); });
  if (!object) co_return object.error();
  auto head = NewHead(call);
  head.fields.set(bhttp::field::content_type, "application/xml");
  SetReadVersionId(head, *object, call.request.HasQuery("versionId"));
  co_return co_await call.response.Respond(std::move(head), RenderTagging(object->tags));
}

net::awaitable<Result<void>> PutObjectTagging(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto tags = ParseTagging(*body, limits::kMaxObjectTags);
  if (!tags) co_return tags.error();
  co_return co_await UpdateObjectTags(env, call, std::move(*tags), bhttp::status::ok);
}

net::awaitable<Result<void>> DeleteObjectTagging(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  co_return co_await UpdateObjectTags(env, call, {}, bhttp::status::no_content);
}

net::awaitable<Result<void>> GetBucketTagging(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->tags.empty()) co_return MakeError(ErrorCode::kNoSuchTagSet);
  co_return co_await RespondXml(call, RenderTagging(bucket->tags));
}

net::awaitable<Result<void>> PutBucketTagging(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto tags = ParseTagging(*body, limits::kMaxBucketTags);
  if (!tags) co_return tags.error();
  KURA_CO_TRY(co_await UpdateBucketTags(env, call, std::move(*tags)));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

net::awaitable<Result<void>> DeleteBucketTagging(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await UpdateBucketTags(env, call, {}));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
