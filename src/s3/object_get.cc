#include <algorithm>

#include "common/logging.h"
#include "common/time_format.h"
#include "s3/blob_read_ahead.h"
#include "s3/byte_range.h"
#include "s3/lifecycle_handlers.h"
#include "s3/metadata_reads.h"
#include "s3/multipart_handlers.h"
#include "s3/names.h"
#include "s3/object_crypto.h"
#include "s3/object_handlers.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"

namespace kura::s3 {
namespace {
namespace bhttp = boost::beast::http;

std::string Unquote(std::string_view etag) {
  etag.remove_prefix(std::min<size_t>(etag.starts_with("W/") ? 2 : 0, etag.size()));
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

// Whether `header` (a comma-separated list of ETags, or *) names `etag`.
bool EtagListMatches(std::string_view header, std::string_view etag) {
  size_t start = 0;
  while (start < header.size()) {
    size_t comma = header.find(',', start);
    std::string_view item = header.substr(start, comma == std::string_view::npos ? header.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*" || Unquote(item) == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

enum class Precondition { kProceed, kNotModified, kFailed };

// RFC 7232 section 6 order, as S3 documents it: If-Match decides over If-Unmodified-Since and
// If-None-Match over If-Modified-Since.
Precondition EvaluateConditions(const S3Call& call, const store::ObjectRecord& object) {
  auto last_modified = std::chrono::time_point_cast<std::chrono::seconds>(object.last_modified);
  auto if_match = call.Header("if-match");
  if (!if_match.empty()) {
    if (!EtagListMatches(if_match, object.etag)) return Precondition::kFailed;
  } else if (auto since = ParseHttpDate(call.Header("if-unmodified-since"))) {
    if (last_modified > *since) return Precondition::kFailed;
  }
  auto if_none_match = call.Header("if-none-match");
  if (!if_none_match.empty()) {
    if (EtagListMatches(if_none_match, object.etag)) return Precondition::kNotModified;
  } else if (auto since = ParseHttpDate(call.Header("if-modified-since"))) {
    if (last_modified <= *since) return Precondition::kNotModified;
  }
  return Precondition::kProceed;
}

// ?partNumber=N: the bytes of part N of a multipart object. Part 1 of any other object is all
// of it, still answered as a range (206 with Content-Range), as S3 does. Errors:
// kInvalidArgument (not 1–10000), kInvalidPartNumber (no such part), kInvalidRequest (with a
// Range header).
Result<std::optional<ByteRange>> PartRange(const S3Call& call, const store::ObjectRecord& object) {
  if (call.HasHeader("range")) {
    return MakeError(ErrorCode::kInvalidRequest, "Cannot specify both Range header and partNumber query parameter");
  }
  auto number = PartNumberOf(call.request);
  if (!number) return number.error();
  if (object.blob.kind != store::BlobRef::Kind::kParts) {
    if (*number != 1) return MakeError(ErrorCode::kInvalidPartNumber);
    return std::optional<ByteRange>(ByteRange{0, object.size});
  }
  const auto& parts = object.blob.parts;
  if (static_cast<size_t>(*number) > parts.size()) return MakeError(ErrorCode::kInvalidPartNumber);
  uint64_t first = 0;
  for (int i = 0; i + 1 < *number; ++i) first += parts[i].size;
  return std::optional<ByteRange>(ByteRange{first, parts[*number - 1].size});
}

// response-content-type and friends override headers of the answer (signed requests only).
void ApplyResponseOverrides(const S3Request& request, ResponseHead& head) {
  static constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
      {"response-content-type", "Content-Type"},
      {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},
      {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"},
      {"response-content-encoding", "Content-Encoding"}};
  for (auto [param, header] : kOverrides) {
    auto it = request.query.find(std::string(param));
    if (it != request.query.end()) head.fields.set(header, it->second);
  }
}

// Buffers of a streamed GET (two per response: one read ahead while the other is written). A
// decrypting reader works on many segments per read, so encrypted blobs get larger ones.
constexpr size_t kSendBufferBytes = 256 * 1024;
constexpr size_t kDecryptedSendBufferBytes = 1024 * 1024;

// A read of the object's bytes that failed: the log line names the object (the store's line
// names the blob); the client sees the error's generic message.
Error ReadFailed(const S3Call& call, const store::ObjectRecord& object, const Error& error,
                 bool head_sent) {
  if (error.code == ErrorCode::kCorruptData || error.code == ErrorCode::kInternalError) {
    LogLine(LogLevel::kError, "integrity: GET failed bucket=" + call.request.bucket +
                                  " key=" + call.request.key + " version=" + object.version_id +
                                  " code=" + std::string(error.aws_code()) +
                                  (head_sent ? " after the head (connection aborted)" : ""));
  }
  return error;
}

// The reader of the object's (plaintext) bytes, opened on the blob store's read pool: opening
// a file blob reads its checksum table, and a stalled disk must not hold an I/O thread.
net::awaitable<Result<std::unique_ptr<store::BlobReader>>> OpenForGet(
    S3Env& env, const store::ObjectRecord& object, const ObjectEncryption& encryption,
    const std::optional<CustomerKey>& customer_key) {
  co_return co_await RunRead(env.blobs, [&env, &object, &encryption, &customer_key] {
    return encryption.mode == SseMode::kNone
               ? env.blobs.Open(object.blob)
               : OpenPlaintext(env, encryption, customer_key, object.blob);
  });
}

// Sends `range` of a non-inline object with its head. Every buffer is read and verified on the
// read pool before it is written, so bytes that fail their checksum never leave: damage in the
// first buffer is an error response (no head sent yet); later damage cuts the body short and the
// pipeline closes the connection, so the client sees a truncated body, never a complete-looking
// one. A legacy single-file blob (no checksums) keeps sendfile(2).
net::awaitable<Result<void>> SendBlob(S3Env& env, S3Call& call, const store::ObjectRecord& object,
                                      std::unique_ptr<store::BlobReader> reader, ResponseHead head,
                                      ByteRange range, size_t buffer_bytes) {
  if (reader->fd() >= 0) {
    KURA_CO_TRY(co_await call.response.WriteHead(std::move(head), range.length));
    co_return co_await call.response.WriteFile(reader->fd(), range.first, range.length);
  }
  BlobReadAhead ahead(env.blobs, std::move(reader), range, buffer_bytes);
  ahead.Start();
  auto chunk = co_await ahead.Take();
  if (!chunk) co_return ReadFailed(call, object, chunk.error(), false);
  ahead.Start();
  KURA_CO_TRY(co_await call.response.WriteHead(std::move(head), range.length));
  while (!chunk->empty()) {
    KURA_CO_TRY(co_await call.response.WriteBody(*chunk));
    chunk = co_await ahead.Take();
    if (!chunk) co_return ReadFailed(call, object, chunk.error(), true);
    ahead.Start();
  }
  co_return Ok();
}

// An inline object's `range`, decrypted when it is encrypted.
Result<std::string> InlineBytes(S3Env& env, const store::ObjectRecord& object, const ObjectEncryption& encryption,
                                const std::optional<CustomerKey>& customer_key, ByteRange range) {
  if (encryption.mode == SseMode::kNone) {
    return std::string(std::string_view(object.blob.inline_data).substr(range.first, range.length));
  }
  auto reader = OpenPlaintext(env, encryption, customer_key, object.blob);
  if (!reader) return reader.error();
  std::string out(range.length, '\0');
  size_t have = 0;
  while (have < out.size()) {
    auto got = (*reader)->ReadAt(range.first + have, std::span<char>(out.data() + have, out.size() - have));
    if (!got) return got.error();
    if (*got == 0) return MakeError(ErrorCode::kInternalError, "object data is shorter than its size");
    have += *got;
  }
  return out;
}

// 416 with "Content-Range: bytes */SIZE" (RFC 9110 section 15.5.17), which the pipeline's error
// rendering cannot add.
net::awaitable<Result<void>> RespondUnsatisfiable(S3Call& call, const Error& error, uint64_t size) {
  auto head = NewHead(call, bhttp::status::range_not_satisfiable);
  head.fields.set(bhttp::field::content_range, "bytes */" + std::to_string(size));
  co_return co_await RespondWithError(call, std::move(head), error);
}

}  // namespace

net::awaitable<Result<void>> GetObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  bool is_head = call.request.operation == S3Operation::kHeadObject;
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) co_return version_id.error();
  bool requested = version_id->has_value();
  std::optional<std::string_view> wanted;
  if (requested) wanted = **version_id;
  // A HEAD never needs the bytes: the metadata-only read leaves an inline body unread.
  auto read = [&] {
    return is_head ? env.metadata.GetObjectMeta(call.request.bucket, call.request.key, wanted)
                   : env.metadata.GetObject(call.request.bucket, call.request.key, wanted);
  };
  // No co_await inside a conditional operator: GCC 12 miscompiled that here (kura crashed under
  // concurrent GETs). Inline on the embedded store, on the read threads when reads wait.
  std::optional<Result<store::ObjectRecord>> read_result;
  if (env.metadata_reads == nullptr) {
    read_result.emplace(read());
  } else {
    read_result.emplace(co_await ReadStep(env, read));
  }
  auto& object = *read_result;
  if (!object) co_return object.error();
  if (object->is_delete_marker) co_return co_await RespondDeleteMarker(call, *object, requested);
  auto encryption = StoredEncryption(object->encryption);
  if (!encryption) co_return encryption.error();
  // SSE-C needs its key even for a HEAD; SSE-KMS needs kms:Decrypt to read the bytes.
  auto customer_key = ReadEncryption(call, KeyHeaders::kObject, *encryption, env.sse_c_over_http, !is_head);
  if (!customer_key) co_return customer_key.error();

  switch (EvaluateConditions(call, *object)) {
    case Precondition::kFailed:
      co_return MakeError(ErrorCode::kPreconditionFailed);
    case Precondition::kNotModified: {
      auto head = NewHead(call, bhttp::status::not_modified);
      head.fields.set(bhttp::field::etag, QuotedEtag(object->etag));
      head.fields.set(bhttp::field::last_modified, FormatHttpDate(object->last_modified));
      SetReadVersionId(head, *object, requested);
      co_return co_await call.response.WriteHead(std::move(head), 0);
    }
    case Precondition::kProceed:
      break;
  }

  bool by_part = call.request.HasQuery("partNumber");
  auto range = by_part ? PartRange(call, *object) : ParseRange(call.Header("range"), object->size);
  if (!range && range.error().code == ErrorCode::kInvalidRange) {
    co_return co_await RespondUnsatisfiable(call, range.error(), object->size);
  }
  if (!range) co_return range.error();
  ByteRange bytes = range->value_or(ByteRange{0, object->size});
  // A range of no bytes (an empty object's or part's) has no Content-Range to name it.
  bool partial = range->has_value() && bytes.length > 0;

  auto head = NewHead(call, partial ? bhttp::status::partial_content : bhttp::status::ok);
  // As a header, or hoisted into a presigned URL's query (CheckAmzQueryParameters lets it pass).
  bool checksum_mode = call.Header("x-amz-checksum-mode") == "ENABLED" ||
                       call.request.Query("x-amz-checksum-mode") == "ENABLED";
  // A checksum describes the whole object: sent only when all of it is.
  bool whole_object = (!*range || by_part) && bytes.length == object->size;
  WriteObjectHeaders(*object, checksum_mode && whole_object, head);
  // S3 names the parts count only to a request for a part (HeadObject's x-amz-mp-parts-count).
  if (by_part && object->parts_count > 0) {
    head.fields.set("x-amz-mp-parts-count", std::to_string(object->parts_count));
  }
  WriteObjectLockHeaders(call, *object, head);
  SetReadVersionId(head, *object, requested);
  SetEncryptionHeaders(*encryption, /*with_context=*/false, head);
  if (partial) {
    head.fields.set(bhttp::field::content_range,
                    "bytes " + std::to_string(bytes.first) + "-" +
                        std::to_string(bytes.first + bytes.length - 1) + "/" + std::to_string(object->size));
  }
  ApplyResponseOverrides(call.request, head);
  SetExpirationHeader(env, *object, head);
  if (!is_head && object->blob.kind == store::BlobRef::Kind::kInline) {
    // Small objects leave in one write with their head.
    auto body = InlineBytes(env, *object, *encryption, *customer_key, bytes);
    if (!body) co_return body.error();
    co_return co_await call.response.RespondView(std::move(head), *body);
  }
  if (is_head || bytes.length == 0) co_return co_await call.response.WriteHead(std::move(head), bytes.length);
  // Opened (data key unsealed, KMS key usable, checksum table read) before the head goes: a key
  // that cannot be used or a damaged blob is an error response, not a cut body.
  auto reader = co_await OpenForGet(env, *object, *encryption, *customer_key);
  if (!reader) co_return ReadFailed(call, *object, reader.error(), false);
  size_t buffer_bytes =
      encryption->mode == SseMode::kNone ? kSendBufferBytes : kDecryptedSendBufferBytes;
  co_return co_await SendBlob(env, call, *object, std::move(*reader), std::move(head), bytes,
                              buffer_bytes);
}

}  // namespace kura::s3
