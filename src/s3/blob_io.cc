#include "s3/blob_io.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "common/async_bridge.h"
#include "common/crypto.h"
#include "common/encoding.h"
#include "s3/object_crypto.h"

namespace kura::s3 {
namespace {

constexpr uint64_t kCopyBufferBytes = 1 << 20;

// Reads `length` bytes from `offset` of `reader` in large pieces, handing each to `take`.
Result<void> ReadRange(store::BlobReader& reader, uint64_t offset, uint64_t length,
                       const std::function<Result<void>(std::string_view)>& take) {
  std::vector<char> buffer(std::min<uint64_t>(length, kCopyBufferBytes));
  while (length > 0) {
    auto got = reader.ReadAt(offset, std::span<char>(buffer.data(), std::min<uint64_t>(length, buffer.size())));
    if (!got) return got.error();
    if (*got == 0) return MakeError(ErrorCode::kInternalError, "object data is shorter than its size");
    KURA_TRY(take(std::string_view(buffer.data(), *got)));
    offset += *got;
    length -= *got;
  }
  return Ok();
}

Result<CopiedBlob> CopyBlocking(S3Env& env, const BlobSource& source, uint64_t offset, uint64_t length,
                                store::Placement placement, const WriteEncryption& target,
                                std::optional<sigv4::ChecksumAlgorithm> algorithm) {
  Hasher md5(HashAlgorithm::kMd5);
  std::optional<sigv4::Checksummer> checksum;
  if (algorithm) checksum.emplace(*algorithm);
  auto reader = OpenPlaintext(env, source.encryption, source.customer_key, source.blob);
  if (!reader) return reader.error();
  auto writer = NewObjectWriter(env, target, placement);
  if (!writer) return writer.error();
  KURA_TRY(ReadRange(**reader, offset, length, [&](std::string_view bytes) -> Result<void> {
    md5.Update(bytes);
    if (checksum) checksum->Update(bytes);
    return writer->writer->Append(bytes);
  }));
  auto sealed = writer->writer->Seal();
  if (!sealed) return sealed.error();
  CopiedBlob copied;
  copied.blob = std::move(*sealed);
  copied.md5_hex = HexLower(md5.Finish());
  copied.etag = writer->EtagOf(copied.md5_hex);
  if (checksum) copied.checksum_raw = checksum->FinishRaw();
  return copied;
}

}  // namespace

void DeleteBlobLater(S3Env& env, store::BlobRef blob) {
  if (blob.kind == store::BlobRef::Kind::kInline) return;
  net::post(env.blocking, [&env, blob = std::move(blob)] { env.blobs.Delete(blob); });
}

net::awaitable<Result<CopiedBlob>> CopyBlob(S3Env& env, const BlobSource& source, uint64_t offset,
                                           uint64_t length, store::Placement placement,
                                           const WriteEncryption& target,
                                           std::optional<sigv4::ChecksumAlgorithm> algorithm) {
  co_return co_await RunBlocking(env.blocking, [&env, &source, offset, length, placement, &target, algorithm] {
    return CopyBlocking(env, source, offset, length, placement, target, algorithm);
  });
}

net::awaitable<Result<std::string>> ChecksumOfBlob(S3Env& env, const BlobSource& source,
                                                   sigv4::ChecksumAlgorithm algorithm) {
  co_return co_await RunBlocking(env.blocking, [&env, &source, algorithm]() -> Result<std::string> {
    auto reader = OpenPlaintext(env, source.encryption, source.customer_key, source.blob);
    if (!reader) return reader.error();
    sigv4::Checksummer checksum(algorithm);
    KURA_TRY(ReadRange(**reader, 0, (*reader)->size(), [&](std::string_view bytes) -> Result<void> {
      checksum.Update(bytes);
      return Ok();
    }));
    return checksum.FinishRaw();
  });
}

std::string UnquoteEtag(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

Result<store::WritePrecondition> WritePreconditionOf(const S3Call& call) {
  store::WritePrecondition precondition;
  auto if_none_match = call.Header("if-none-match");
  if (!if_none_match.empty()) {
    if (if_none_match != "*") {
      return MakeError(ErrorCode::kNotImplemented,
                       "A header you provided implies functionality that is not implemented");
    }
    precondition.if_none_match_any = true;
  }
  auto if_match = call.Header("if-match");
  if (!if_match.empty()) precondition.if_match_etag = UnquoteEtag(if_match);
  return precondition;
}

}  // namespace kura::s3
