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
#include "s3/integrity_headers.h"
#include "s3/names.h"
#include "s3/object_lock_headers.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"

namespace kura::s3 {

Result<DeleteRequest> ParseDelete(std::string_view body) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, body, "Delete");
  if (!root) return root.error();
  DeleteRequest request;
  request.quiet = std::string_view(root->child_value("Quiet")) == "true";
  for (auto object : root->children("Object")) {
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

using Outcome = Result<store::DeleteOutcome>;

// Queues every deletion at once and resumes when the last has committed.
net::awaitable<std::vector<Outcome>> DeleteAll(S3Env& env, std::vector<store::DeleteRequest> deletions) {
  co_return co_await AwaitCallback<std::vector<Outcome>>([&env, &deletions](auto done) {
    struct State {
      std::mutex mu;
      std::vector<Outcome> outcomes;
      size_t left = 0;
      std::function<void(std::vector<Outcome>)> finish;
    };
    auto state = std::make_shared<State>();
    state->outcomes.assign(deletions.size(), Outcome(store::DeleteOutcome()));
    state->left = deletions.size();
    state->finish = std::move(done);
    for (size_t i = 0; i < deletions.size(); ++i) {
      env.metadata.DeleteObject(std::move(deletions[i]), [state, i](Outcome outcome) {
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

// A key with a <VersionId> deletes that version (s3:DeleteObjectVersion); without one, the key
// (s3:DeleteObject): a delete marker on an Enabled bucket.
Result<store::DeleteRequest> Admit(S3Env& env, S3Call& call, const DeleteTarget& target) {
  KURA_TRY(ValidateObjectKey(target.key));
  std::string_view action = target.version_id ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
  KURA_TRY(call.authorize(action, "arn:aws:s3:::" + call.request.bucket + "/" + target.key));
  // Per key: the bypass permission is authorized against each key's ARN.
  store::DeleteRequest deletion{call.request.bucket, target.key, target.version_id, "",
                                LockContextFor(env, call, target.key)};
  if (!target.version_id) deletion.marker_version_id = NewVersionId(env.random);
  return deletion;
}

void WriteError(xml::Writer& w, const DeleteTarget& target, const Error& e) {
  w.Open("Error").Element("Key", target.key);
  if (target.version_id) w.Element("VersionId", *target.version_id);
  w.Element("Code", e.aws_code());
  w.Element("Message", e.message.empty() ? InfoFor(e.code).default_message : e.message).Close("Error");
}

// S3's <Deleted>: DeleteMarkerVersionId names the delete marker created, or the version deleted
// when that version was a delete marker.
void WriteDeleted(xml::Writer& w, const DeleteTarget& target, const store::DeleteOutcome& outcome) {
  w.Open("Deleted").Element("Key", target.key);
  if (target.version_id) w.Element("VersionId", *target.version_id);
  if (outcome.delete_marker) {
    w.Bool("DeleteMarker", true).Element("DeleteMarkerVersionId", outcome.version_id);
  }
  w.Close("Deleted");
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
  KURA_CO_TRY(co_await ReadBucket(env, call.request.bucket));

  // Keys refused up front (invalid or not allowed) get their error; the rest are deleted.
  const size_t count = request->objects.size();
  std::vector<Outcome> outcomes(count, Outcome(store::DeleteOutcome()));
  std::vector<store::DeleteRequest> deletions;
  std::vector<size_t> index_of;
  for (size_t i = 0; i < count; ++i) {
    auto deletion = Admit(env, call, request->objects[i]);
    if (!deletion) {
      outcomes[i] = deletion.error();
      continue;
    }
    deletions.push_back(std::move(*deletion));
    index_of.push_back(i);
  }
  if (!deletions.empty()) {
    auto done = co_await DeleteAll(env, std::move(deletions));
    for (size_t j = 0; j < done.size(); ++j) outcomes[index_of[j]] = std::move(done[j]);
  }

  xml::Writer w("DeleteResult", xml::kS3Namespace);
  for (size_t i = 0; i < count; ++i) {
    const DeleteTarget& target = request->objects[i];
    if (!outcomes[i]) {
      WriteError(w, target, outcomes[i].error());
      continue;
    }
    for (auto& blob : outcomes[i]->unreferenced) DeleteBlobLater(env, std::move(blob));
    if (!request->quiet) WriteDeleted(w, target, *outcomes[i]);
  }
  co_return co_await RespondXml(call, w.Finish());
}

}  // namespace kura::s3
