#include "s3/blob_io.h"

#include <algorithm>
#include <vector>

#include "common/async_bridge.h"
#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::s3 {
namespace {

Result<CopiedBlob> CopyBlocking(store::BlobStore& blobs, const store::BlobRef& source, uint64_t offset,
                                uint64_t length, store::Placement placement,
                                std::optional<sigv4::ChecksumAlgorithm> algorithm) {
  Hasher md5(HashAlgorithm::kMd5);
  std::optional<sigv4::Checksummer> checksum;
  if (algorithm) checksum.emplace(*algorithm);
  auto writer = blobs.NewWriterFor(placement);
  auto append = [&](std::string_view bytes) -> Result<void> {
    md5.Update(bytes);
    if (checksum) checksum->Update(bytes);
    return writer->Append(bytes);
  };
  if (source.kind == store::BlobRef::Kind::kInline) {
    if (offset + length > source.inline_data.size()) {
      return MakeError(ErrorCode::kInternalError, "inline object data is shorter than its size");
    }
    KURA_TRY(append(std::string_view(source.inline_data).substr(offset, length)));
  } else {
    auto reader = blobs.Open(source);
    if (!reader) return reader.error();
    std::vector<char> buffer(std::min<uint64_t>(length, 1 << 20));
    while (length > 0) {
      auto got = (*reader)->ReadAt(offset, std::span<char>(buffer.data(), std::min<uint64_t>(length, buffer.size())));
      if (!got) return got.error();
      if (*got == 0) return MakeError(ErrorCode::kInternalError, "object data is shorter than its size");
      KURA_TRY(append(std::string_view(buffer.data(), *got)));
      offset += *got;
      length -= *got;
    }
  }
  auto sealed = writer->Seal();
  if (!sealed) return sealed.error();
  CopiedBlob copied;
  copied.blob = std::move(*sealed);
  copied.md5_hex = HexLower(md5.Finish());
  if (checksum) copied.checksum_raw = checksum->FinishRaw();
  return copied;
}

}  // namespace

void DeleteBlobLater(S3Env& env, store::BlobRef blob) {
  if (blob.kind == store::BlobRef::Kind::kInline) return;
  net::post(env.blocking, [&env, blob = std::move(blob)] { env.blobs.Delete(blob); });
}

net::awaitable<Result<CopiedBlob>> CopyBlob(S3Env& env, const store::BlobRef& source, uint64_t offset,
                                           uint64_t length, store::Placement placement,
                                           std::optional<sigv4::ChecksumAlgorithm> algorithm) {
  co_return co_await RunBlocking(env.blocking, [&env, &source, offset, length, placement, algorithm] {
    return CopyBlocking(env.blobs, source, offset, length, placement, algorithm);
  });
}

net::awaitable<Result<std::string>> ChecksumOfBlob(S3Env& env, const store::BlobRef& blob,
                                                   sigv4::ChecksumAlgorithm algorithm) {
  co_return co_await RunBlocking(env.blocking, [&env, &blob, algorithm]() -> Result<std::string> {
    auto reader = env.blobs.Open(blob);
    if (!reader) return reader.error();
    sigv4::Checksummer checksum(algorithm);
    std::vector<char> buffer(1 << 20);
    for (uint64_t offset = 0;;) {
      auto got = (*reader)->ReadAt(offset, std::span<char>(buffer.data(), buffer.size()));
      if (!got) return got.error();
      if (*got == 0) return checksum.FinishRaw();
      checksum.Update(std::string_view(buffer.data(), *got));
      offset += *got;
    }
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
