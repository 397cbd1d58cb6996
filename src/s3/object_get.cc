#include <algorithm>

#include "common/time_format.h"
#include "s3/byte_range.h"
#include "s3/lifecycle_handlers.h"
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

// Reads of blobs that cannot be sent with sendfile: large, so a decrypting reader works on
// many segments per read.
constexpr size_t kSendBufferBytes = 256 * 1024;
constexpr size_t kDecryptedSendBufferBytes = 1024 * 1024;

// `range` of one blob's bytes: sendfile(2) when it is a file of its own, else read and written.
net::awaitable<Result<void>> SendFrom(S3Call& call, store::BlobReader& reader, ByteRange range,
                                      size_t buffer_bytes = kSendBufferBytes) {
  if (reader.fd() >= 0) {
    co_return co_await call.response.WriteFile(reader.fd(), range.first, range.length);
  }
  std::vector<char> buffer(std::min<uint64_t>(buffer_bytes, range.length));
  uint64_t offset = range.first;
  uint64_t left = range.length;
  while (left > 0) {
    auto got = reader.ReadAt(
        offset, std::span<char>(buffer.data(), std::min<uint64_t>(left, buffer.size())));
    if (!got) co_return got.error();
    if (*got == 0) {
      co_return MakeError(ErrorCode::kInternalError, "object data is shorter than its size");
    }
    KURA_CO_TRY(co_await call.response.WriteBody(std::string_view(buffer.data(), *got)));
    offset += *got;
    left -= *got;
  }
  co_return Ok();
}

// A completed multipart object is its parts' files in order: each part's share of `range` goes
// out with sendfile. Every part is opened first, so an overwrite or delete racing the response
// cannot cut it short (open files outlive their unlink).
net::awaitable<Result<void>> SendParts(S3Env& env, S3Call& call, const store::BlobRef& blob,
                                       ByteRange range) {
  std::vector<std::unique_ptr<store::BlobReader>> parts;
  parts.reserve(blob.parts.size());
  for (const auto& part : blob.parts) {
    auto reader = env.blobs.Open(
        store::BlobRef{.kind = store::BlobRef::Kind::kFile, .id = part.id, .size = part.size});
    if (!reader) co_return reader.error();
    parts.push_back(std::move(reader).value());
  }
  uint64_t part_start = 0;
  for (size_t i = 0; i < parts.size() && range.length > 0; ++i) {
    uint64_t part_end = part_start + blob.parts[i].size;
    if (range.first < part_end) {
      uint64_t length = std::min(range.length, part_end - range.first);
      KURA_CO_TRY(co_await SendFrom(call, *parts[i], ByteRange{range.first - part_start, length}));
      range.first += length;
      range.length -= length;
    }
    part_start = part_end;
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

net::awaitable<Result<void>> SendBytes(S3Env& env, S3Call& call, const store::ObjectRecord& object,
                                       ByteRange range) {
  if (object.blob.kind == store::BlobRef::Kind::kInline) {
    co_return co_await call.response.WriteBody(
        std::string_view(object.blob.inline_data).substr(range.first, range.length));
  }
  if (object.blob.kind == store::BlobRef::Kind::kParts) {
    co_return co_await SendParts(env, call, object.blob, range);
  }
  auto reader = env.blobs.Open(object.blob);
  if (!reader) co_return reader.error();
  co_return co_await SendFrom(call, **reader, range);
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
  auto object = is_head ? env.metadata.GetObjectMeta(call.request.bucket, call.request.key, wanted)
                        : env.metadata.GetObject(call.request.bucket, call.request.key, wanted);
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
  bool checksum_mode = call.Header("x-amz-checksum-mode") == "ENABLED";
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
  if (encryption->mode == SseMode::kNone) {
    KURA_CO_TRY(co_await call.response.WriteHead(std::move(head), bytes.length));
    co_return co_await SendBytes(env, call, *object, bytes);
  }
  // Opened (data key unsealed, KMS key usable) before the head goes: a key that cannot be used
  // is an error response, not a cut body.
  // So is damage to the first segment sent: it is decrypted (and kept) now.
  auto reader = OpenPlaintext(env, *encryption, *customer_key, object->blob);
  if (!reader) co_return reader.error();
  char first;
  KURA_CO_TRY((*reader)->ReadAt(bytes.first, std::span<char>(&first, 1)));
  KURA_CO_TRY(co_await call.response.WriteHead(std::move(head), bytes.length));
  co_return co_await SendFrom(call, **reader, bytes, kDecryptedSendBufferBytes);
}

}  // namespace kura::s3
