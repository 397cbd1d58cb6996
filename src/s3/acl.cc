#include "s3/acl.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/xml_writer.h"
#include "s3/names.h"
#include "s3/object_versions.h"
#include "s3/response.h"

namespace kura::s3 {

bool GrantsOnlyOwner(std::string_view body, const std::string& owner) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return false;
  auto list = doc.child("AccessControlPolicy").child("AccessControlList");
  int grants = 0;
  for (auto grant : list.children("Grant")) {
    ++grants;
    if (std::string_view(grant.child("Grantee").child_value("ID")) != owner ||
        std::string_view(grant.child_value("Permission")) != "FULL_CONTROL") {
      return false;
    }
  }
  return grants == 1;
}

net::awaitable<Result<void>> GetAcl(S3Env& env, S3Call& call) {
  auto head = NewHead(call);
  if (call.request.operation == S3Operation::kGetObjectAcl) {
    KURA_CO_TRY(ValidateObjectKey(call.request.key));
    auto object = ReadAddressedVersion(env, call);
    if (!object) co_return object.error();
    SetReadVersionId(head, *object, call.request.HasQuery("versionId"));
  } else {
    KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  }
  std::string owner = CanonicalUserId(env.account_id);
  xml::Writer w("AccessControlPolicy", xml::kS3Namespace);
  w.Open("Owner").Element("ID", owner).Element("DisplayName", "kura").Close("Owner");
  w.Open("AccessControlList").Open("Grant");
  w.Open("Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"")
      .Element("ID", owner)
      .Element("DisplayName", "kura")
      .Close("Grantee");
  w.Element("Permission", "FULL_CONTROL").Close("Grant").Close("AccessControlList");
  head.fields.set(bhttp::field::content_type, "application/xml");
  co_return co_await call.response.Respond(std::move(head), w.Finish());
}

net::awaitable<Result<void>> PutAcl(S3Env& env, S3Call& call) {
  bool for_bucket = call.request.operation == S3Operation::kPutBucketAcl;
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  if (!body->empty() && !GrantsOnlyOwner(*body, CanonicalUserId(env.account_id))) {
    co_return MakeError(ErrorCode::kAccessControlListNotSupported);
  }
  auto head = NewHead(call);
  if (for_bucket) {
    KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  } else {
    KURA_CO_TRY(ValidateObjectKey(call.request.key));
    auto object = ReadAddressedVersion(env, call);
    if (!object) co_return object.error();
    SetReadVersionId(head, *object, call.request.HasQuery("versionId"));
  }
  co_return co_await RespondEmpty(call, std::move(head));
}

}  // namespace kura::s3
