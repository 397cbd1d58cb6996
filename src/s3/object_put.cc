#include "common/async_bridge.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/text.h"
#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/object_handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"
#include "s3/store_await.h"
#include "sigv4/payload_verifier.h"

namespace kura::s3 {

Result<void> CheckDeclaredLength(const S3Call& call) {
  const auto& request = call.exchange.request();
  auto decoded = call.view.Header("x-amz-decoded-content-length");
  uint64_t length = request.content_length;
  if (!decoded.empty()) {
    length = std::strtoull(std::string(decoded).c_str(), nullptr, 10);
  } else if (!request.has_content_length) {
    return MakeError(ErrorCode::kMissingContentLength);
  }
  if (length > limits::kMaxSinglePutBytes) return MakeError(ErrorCode::kEntityTooLarge);
  return Ok();
}

namespace {

net::awaitable<Result<store::BlobRef>> Seal(S3Env& env, store::BlobWriter& writer,
                                            store::Placement placement) {
  // Inline blobs seal without I/O; files are fsynced on the blocking pool.
  if (placement == store::Placement::kInlineIfSmall && writer.size() <= store::kInlineThreshold) {
    co_return writer.Seal();
  }
  co_return co_await RunBlocking(env.blocking, [&writer] { return writer.Seal(); });
}

// Large bodies without aws-chunked framing are received straight into the blob writer's
// staging buffer and verified there: one copy (socket → buffer) before the disk.
net::awaitable<Result<void>> ReceiveInPlace(S3Call& call, sigv4::PayloadVerifier& verifier,
                                            store::BlobWriter& writer) {
  std::vector<std::string_view> pieces;
  for (;;) {
    auto space = writer.PrepareAppend();
    if (!space) co_return space.error();
    auto got = co_await call.exchange.ReadBodyInto(*space);
    if (!got) co_return got.error();
    if (*got == 0) co_return Ok();
    pieces.clear();
    KURA_CO_TRY(verifier.Feed(std::string_view(space->data(), *got), pieces));
    KURA_CO_TRY(writer.CommitAppend(*got));
    if (writer.size() > limits::kMaxSinglePutBytes) {
      call.exchange.CloseAfterResponse();
      co_return MakeError(ErrorCode::kEntityTooLarge);
    }
  }
}

net::awaitable<Result<void>> ReceiveDecoded(S3Call& call, sigv4::PayloadVerifier& verifier,
                                            store::BlobWriter& writer) {
  std::vector<std::string_view> pieces;
  for (;;) {
    auto raw = co_await call.exchange.ReadBody();
    if (!raw) co_return raw.error();
    if (raw->empty()) co_return Ok();
    pieces.clear();
    KURA_CO_TRY(verifier.Feed(*raw, pieces));
    for (auto piece : pieces) KURA_CO_TRY(writer.Append(piece));
    if (writer.size() > limits::kMaxSinglePutBytes) {
      call.exchange.CloseAfterResponse();
      co_return MakeError(ErrorCode::kEntityTooLarge);
    }
  }
}

}  // namespace

net::awaitable<Result<ReceivedBody>> ReceiveBody(S3Env& env, S3Call& call, store::Placement placement) {
  auto verifier = sigv4::PayloadVerifier::Make(call.auth, call.view);
  if (!verifier) co_return verifier.error();
  auto writer = env.blobs.NewWriterFor(placement);
  bool large = call.exchange.request().content_length > store::kInlineThreshold;
  if (large && verifier->passes_input_through()) {
    KURA_CO_TRY(co_await ReceiveInPlace(call, *verifier, *writer));
  } else {
    KURA_CO_TRY(co_await ReceiveDecoded(call, *verifier, *writer));
  }
  auto summary = verifier->Finish();
  if (!summary) co_return summary.error();
  auto blob = co_await Seal(env, *writer, placement);
  if (!blob) co_return blob.error();
  ReceivedBody body;
  body.blob = std::move(*blob);
  body.md5_hex = HexLower(summary->md5);
  if (summary->checksum_algorithm) {
    body.checksum_algorithm = std::string(sigv4::ChecksumName(*summary->checksum_algorithm));
    body.checksum_value = summary->checksum_base64;
  }
  co_return body;
}

net::awaitable<Result<void>> PutObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  KURA_CO_TRY(CheckDeclaredLength(call));
  auto precondition = WritePreconditionOf(call);
  if (!precondition) co_return precondition.error();
  store::ObjectRecord record;
  record.bucket = call.request.bucket;
  record.key = call.request.key;
  KURA_CO_TRY(ReadObjectHeaders(call.exchange.request(), record));
  // Fail before reading a large body into a bucket that does not exist.
  KURA_CO_TRY(env.metadata.GetBucket(record.bucket));

  auto body = co_await ReceiveBody(env, call, store::Placement::kInlineIfSmall);
  if (!body) co_return body.error();
  record.size = body->blob.size;
  record.etag = body->md5_hex;
  record.checksum_algorithm = body->checksum_algorithm;
  record.checksum_value = body->checksum_value;
  if (!record.checksum_algorithm.empty()) record.checksum_type = "FULL_OBJECT";
  record.last_modified = env.clock.Now();
  record.blob = body->blob;

  store::BlobRef written = body->blob;
  auto replaced = co_await StoreWrite<std::optional<store::BlobRef>>(
      [&](auto done) { env.metadata.PutObject(record, *precondition, std::move(done)); });
  if (!replaced) {
    DeleteBlobLater(env, std::move(written));
    co_return replaced.error();
  }
  if (*replaced) DeleteBlobLater(env, std::move(**replaced));

  auto head = NewHead(call);
  head.fields.set(http::bhttp::field::etag, QuotedEtag(record.etag));
  if (!record.checksum_algorithm.empty()) {
    head.fields.set(AsciiLower("x-amz-checksum-" + record.checksum_algorithm), record.checksum_value);
    head.fields.set("x-amz-checksum-type", record.checksum_type);
  }
  co_return co_await RespondEmpty(call, std::move(head));
}

net::awaitable<Result<void>> DeleteObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto removed = co_await StoreWrite<std::optional<store::BlobRef>>([&](auto done) {
    env.metadata.DeleteObject(call.request.bucket, call.request.key, std::move(done));
  });
  if (!removed) co_return removed.error();
  if (*removed) DeleteBlobLater(env, std::move(**removed));
  co_return co_await RespondEmpty(call, NewHead(call, http::bhttp::status::no_content));
}

}  // namespace kura::s3
