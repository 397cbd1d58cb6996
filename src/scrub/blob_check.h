// Checks the stored bytes of one blob against their checksums and their record
// (store/fs/block_checksums.h has the format):
//  - a file blob must exist; a file of exactly the data size is a legacy blob, written before
//    checksums (it cannot be verified, only counted); a file of data + footer must have a valid
//    footer and every 64 KiB block must match its CRC32C; any other size is a size mismatch.
//  - an inline body must match the CRC32C recorded beside it (none recorded: legacy) and its
//    record's size.
// The data size of an encrypted blob (crypt/encrypted_blob.h) is that of its stored form:
// header, segments and tags, computed from the plaintext size the record holds and the header
// read from the blob.
// Reads go through a Pacer (scrub/pacer.h), 1 MiB at a time, so a scrub keeps to its rate.
// Thread-safety: pure functions apart from the file reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "scrub/pacer.h"

namespace kura::scrub {

enum class Verdict { kVerified, kLegacy, kMissing, kSizeMismatch, kCorrupt, kInterrupted };

struct BlobCheck {
  Verdict verdict = Verdict::kVerified;
  std::string reason{};  // why, for anything but kVerified and kLegacy
};

// `recorded_size`: the size the metadata records (plaintext size when `encrypted`).
BlobCheck CheckFileBlob(const std::filesystem::path& path, uint64_t recorded_size, bool encrypted,
                        Pacer& pacer);

BlobCheck CheckInlineBody(std::string_view stored, uint64_t recorded_size, bool encrypted,
                          std::optional<uint32_t> crc32c);

}  // namespace kura::scrub
