#include "s3/delete_objects.h"

#include <pugixml.hpp>

#include <functional>
#include <memory>
#include <mutex>

#include "common/async_bridge.h"
#include "common/limits.h"
#include "common/xml_writer.h"
#include "s3/blob_io.h"
#include "s3/honoured_headers.h"
#include "s3/names.h"
#include "s3/response.h"

namespace kura::s3 {

Result<DeleteRequest> ParseDelete(std::string_view body) {
  pugi::xml_document doc;
  if (body.empty() || !doc.load_buffer(body.data(), body.size())) return MakeError(ErrorCode::kMalformedXML);
  auto root = doc.child("Delete");
  if (!root) return MakeError(ErrorCode::kMalformedXML);
  DeleteRequest request;
  request.quiet = std::string_view(root.child_value("Quiet")) == "true";
  for (auto object : root.children("Object")) {
    if (!object.child("Key")) return MakeError(ErrorCode::kMalformedXML);
    DeleteTarget target{object.child_value("Key"), std::nullopt};
    if (object.child("VersionId")) target.version_id = object.child_value("VersionId");
    request.objects.push_back(std::move(target));
  }
  if (request.objects.empty() || request.objects.size() > static_cast<size_t>(limits::kMaxKeysPerPage)) {
    return MakeError(ErrorCode::kMalformedXML);
  }
  return request;
}

namespace {

// S3 requires an integrity header on multi-object deletes.
bool HasIntegrityHeader(const S3Call& call) {
  if (call.HasHeader("content-md5") || call.HasHeader("x-amz-sdk-checksum-algorithm") ||
      call.HasHeader("x-amz-trailer")) {
    return true;
  }
  for (const auto& header : call.headers) {
    if (sigv4::ChecksumFromHeaderName(header.name)) return true;
  }
  return false;
}

using Outcome = Result<std::optional<store::BlobRef>>;

// Queues every deletion at once and resumes when the last has committed.
net::awaitable<std::vector<Outcome>> DeleteAll(S3Env& env, const std::string& bucket,
                                               const std::vector<std::string>& keys) {
  co_return co_await AwaitCallback<std::vector<Outcome>>([&env, &bucket, &keys](auto done) {
    struct State {
      std::mutex mu;
      std::vector<Outcome> outcomes;
      size_t left = 0;
      std::function<void(std::vector<Outcome>)> finish;
    };
    auto state = std::make_shared<State>();
    state->outcomes.assign(keys.size(), Outcome(std::optional<store::BlobRef>()));
    state->left = keys.size();
    state->finish = std::move(done);
    for (size_t i = 0; i < keys.size(); ++i) {
      env.metadata.DeleteObject(bucket, keys[i], [state, i](Outcome outcome) {
        std::unique_lock lock(state->mu);
        state->outcomes[i] = std::move(outcome);
        if (--state->left > 0) return;
        auto outcomes = std::move(state->outcomes);
        lock.unlock();
        state->finish(std::move(outcomes));
      });
    }
  });
}

}  // namespace

net::awaitable<Result<void>> DeleteObjects(S3Env& env, S3Call& call) {
  if (!HasIntegrityHeader(call)) {
    co_return MakeError(ErrorCode::kInvalidRequest, "Missing required header for this request: Content-MD5");
  }
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto request = ParseDelete(*body);
  if (!request) co_return request.error();
  KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));

  // Keys refused up front (invalid or not allowed) get their error; the rest are deleted.
  std::vector<std::optional<Error>> refused(request->objects.size());
  std::vector<std::string> to_delete;
  std::vector<size_t> index_of;
  for (size_t i = 0; i < request->objects.size(); ++i) {
    const std::string& key = request->objects[i].key;
    Result<void> allowed = ValidateObjectKey(key);
    if (allowed) allowed = CheckVersionId(request->objects[i].version_id);
    if (allowed) allowed = call.authorize("s3:DeleteObject", "arn:aws:s3:::" + call.request.bucket + "/" + key);
    if (!allowed) {
      refused[i] = allowed.error();
      continue;
    }
    to_delete.push_back(key);
    index_of.push_back(i);
  }
  std::vector<Outcome> outcomes;
  if (!to_delete.empty()) outcomes = co_await DeleteAll(env, call.request.bucket, to_delete);
  for (size_t j = 0; j < outcomes.size(); ++j) {
    if (!outcomes[j]) {
      refused[index_of[j]] = outcomes[j].error();
    } else if (*outcomes[j]) {
      DeleteBlobLater(env, std::move(**outcomes[j]));
    }
  }

  xml::Writer w("DeleteResult", xml::kS3Namespace);
  for (size_t i = 0; i < request->objects.size(); ++i) {
    const DeleteTarget& target = request->objects[i];
    if (refused[i]) {
      const Error& e = *refused[i];
      w.Open("Error").Element("Key", target.key);
      if (target.version_id) w.Element("VersionId", *target.version_id);
      w.Element("Code", e.aws_code());
      w.Element("Message", e.message.empty() ? InfoFor(e.code).default_message : e.message).Close("Error");
    } else if (!request->quiet) {
      w.Open("Deleted").Element("Key", target.key);
      if (target.version_id) w.Element("VersionId", *target.version_id);
      w.Close("Deleted");
    }
  }
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
