#include "migrate/blob_copy.h"

#include <span>

#include "crypt/blob_crypto.h"
#include "store/blob_reads.h"
#include "store/fs/block_checksums.h"

namespace kura::migrate {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

// A file blob in its stored form. The stored length of an encrypted blob is above its record's
// size, and every store bounds reads by the size it is given, so the blob is opened with the
// encrypted bound; a plaintext blob still reads as its exact bytes (the stores know its length).
Result<std::unique_ptr<store::BlobReader>> OpenStored(store::BlobStore& blobs,
                                                      const std::string& id, uint64_t size) {
  store::BlobRef ref;
  ref.kind = store::BlobRef::Kind::kFile;
  ref.id = id;
  ref.size = crypt::EncryptedSizeBound(size);
  return store::OpenBounded(blobs, ref);
}

// Reads all of `reader`, handing each chunk to `sink`.
template <typename Sink>
Result<uint64_t> ReadAll(store::BlobReader& reader, std::string& buffer, Sink&& sink) {
  uint64_t offset = 0;
  while (true) {
    auto n = reader.ReadAt(offset, std::span<char>(buffer.data(), buffer.size()));
    if (!n) return n.error();
    if (*n == 0) return offset;
    KURA_TRY(sink(std::string_view(buffer.data(), *n)));
    offset += *n;
  }
}

}  // namespace

Result<std::string> BlobCopier::Copy(const std::string& id, uint64_t size) {
  if (auto found = copies_.find(id); found != copies_.end()) return found->second.id;
  auto copied = Stream(id, size);
  if (!copied) {
    return MakeError(copied.error().code, "blob " + id + ": " + copied.error().message);
  }
  bytes_ += copied->stored_bytes;
  std::string new_id = copied->id;
  copies_.emplace(id, std::move(*copied));
  return new_id;
}

Result<BlobCopier::Copied> BlobCopier::Stream(const std::string& id, uint64_t size) {
  auto reader = OpenStored(source_, id, size);
  if (!reader) return reader.error();
  auto writer = target_.NewWriterFor(store::Placement::kAlwaysFile);
  std::string buffer(kChunkBytes, '\0');
  uint32_t crc = 0;
  auto read = ReadAll(**reader, buffer, [&](std::string_view chunk) -> Result<void> {
    crc = store::Crc32c(crc, chunk);
    return writer->Append(chunk);
  });
  if (!read) return read.error();
  if (*read != (*reader)->size()) {
    return MakeError(ErrorCode::kCorruptData, "read " + std::to_string(*read) + " of " +
                                                  std::to_string((*reader)->size()) + " bytes");
  }
  auto sealed = writer->Seal();
  if (!sealed) return sealed.error();
  return Copied{.id = sealed->id, .size = size, .stored_bytes = *read, .crc32c = crc};
}

Result<BlobDigest> DigestBlob(store::BlobStore& blobs, const std::string& id, uint64_t size) {
  auto reader = OpenStored(blobs, id, size);
  if (!reader) return reader.error();
  std::string buffer(kChunkBytes, '\0');
  BlobDigest digest;
  auto read = ReadAll(**reader, buffer, [&](std::string_view chunk) -> Result<void> {
    digest.crc32c = store::Crc32c(digest.crc32c, chunk);
    return Ok();
  });
  if (!read) return read.error();
  digest.bytes = *read;
  return digest;
}

void BlobCopier::Verify(std::vector<std::string>& mismatches) {
  for (const auto& [source_id, copy] : copies_) {
    std::string what = "blob " + source_id + " (copy " + copy.id + "): ";
    auto digest = DigestBlob(target_, copy.id, copy.size);
    if (!digest) {
      mismatches.push_back(what + "cannot be read back: " + digest.error().message);
    } else if (digest->bytes != copy.stored_bytes || digest->crc32c != copy.crc32c) {
      mismatches.push_back(what + "reads back " + std::to_string(digest->bytes) +
                           " bytes with another checksum than the source's " +
                           std::to_string(copy.stored_bytes));
    }
  }
}

void BlobCopier::DeleteCopies() {
  for (const auto& [source_id, copy] : copies_) {
    store::BlobRef ref;
    ref.kind = store::BlobRef::Kind::kFile;
    ref.id = copy.id;
    ref.size = copy.size;
    target_.Delete(ref);
  }
  copies_.clear();
}

}  // namespace kura::migrate
