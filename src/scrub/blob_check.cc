#include "scrub/blob_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "crypt/encrypted_blob.h"
#include "store/fs/block_checksums.h"

namespace kura::scrub {
namespace {

// Blocks verified per read: 1 MiB.
constexpr uint64_t kBlocksPerRead = 16;

class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

BlobCheck Problem(Verdict verdict, std::string reason) { return {verdict, std::move(reason)}; }

// Reads exactly out.size() bytes at `offset`; false (with `why`) on an error or a short file.
bool ReadExactly(int fd, uint64_t offset, std::span<char> out, std::string& why) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::string("read error: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) {
      why = "file ended early (changed while read)";
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// The size of the stored form of an encrypted blob, from the header at its start.
std::optional<uint64_t> EncryptedDataSize(int fd, uint64_t file_size, uint64_t plaintext,
                                          std::string& why) {
  std::string head(std::min<uint64_t>(file_size, crypt::kMaxHeaderBytes), '\0');
  if (!ReadExactly(fd, 0, head, why)) return std::nullopt;
  auto parsed = crypt::ParseHeader(head);
  if (!parsed) {
    why = "unreadable encryption header";
    return std::nullopt;
  }
  return crypt::EncryptedSize(plaintext, parsed->length, parsed->header.segment_bytes);
}

BlobCheck VerifyFooteredBlob(int fd, uint64_t data_size, Pacer& pacer) {
  std::string footer(store::FooterBytes(data_size), '\0');
  std::string why;
  if (!ReadExactly(fd, data_size, footer, why)) return Problem(Verdict::kCorrupt, why);
  auto table = store::ParseFooter(footer, data_size);
  if (!table) return Problem(Verdict::kCorrupt, "bad checksum footer: " + table.error().message);
  std::vector<char> buffer(kBlocksPerRead * store::kBlockBytes);
  for (uint64_t block = 0; block < table->size(); block += kBlocksPerRead) {
    uint64_t offset = block * store::kBlockBytes;
    uint64_t n = std::min<uint64_t>(buffer.size(), data_size - offset);
    if (!pacer.Take(n)) return Problem(Verdict::kInterrupted, "stopped");
    if (!ReadExactly(fd, offset, std::span<char>(buffer.data(), n), why)) {
      return Problem(Verdict::kCorrupt, why);
    }
    auto verified = store::VerifyBlocks(*table, block, std::string_view(buffer.data(), n));
    if (!verified) return Problem(Verdict::kCorrupt, verified.error().message);
  }
  return {};
}

}  // namespace

BlobCheck CheckFileBlob(const std::filesystem::path& path, uint64_t recorded_size, bool encrypted,
                        Pacer& pacer) {
  File file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.fd() < 0) {
    if (errno == ENOENT) return Problem(Verdict::kMissing, "blob file is missing");
    return Problem(Verdict::kCorrupt,
                   std::string("cannot open blob file: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(file.fd(), &st) != 0) {
    return Problem(Verdict::kCorrupt,
                   std::string("cannot stat blob file: ") + std::strerror(errno));
  }
  uint64_t file_size = static_cast<uint64_t>(st.st_size);
  uint64_t data_size = recorded_size;
  if (encrypted) {
    std::string why;
    auto stored = EncryptedDataSize(file.fd(), file_size, recorded_size, why);
    if (!stored) return Problem(Verdict::kCorrupt, why);
    data_size = *stored;
  }
  if (file_size == data_size) return {Verdict::kLegacy, {}};
  uint64_t with_footer = data_size + store::FooterBytes(data_size);
  if (file_size == with_footer) return VerifyFooteredBlob(file.fd(), data_size, pacer);
  return Problem(Verdict::kSizeMismatch,
                 "blob file holds " + std::to_string(file_size) + " bytes; the record needs " +
                     std::to_string(with_footer) + " (" + std::to_string(data_size) + " of data)");
}

BlobCheck CheckInlineBody(std::string_view stored, uint64_t recorded_size, bool encrypted,
                          std::optional<uint32_t> crc32c) {
  if (crc32c && store::Crc32c(0, stored) != *crc32c) {
    return Problem(Verdict::kCorrupt, "inline body does not match its CRC32C");
  }
  uint64_t expected = recorded_size;
  if (encrypted) {
    auto parsed = crypt::ParseHeader(stored);
    if (!parsed) return Problem(Verdict::kCorrupt, "unreadable encryption header");
    expected = crypt::EncryptedSize(recorded_size, parsed->length, parsed->header.segment_bytes);
  }
  if (stored.size() != expected) {
    return Problem(Verdict::kSizeMismatch, "inline body holds " + std::to_string(stored.size()) +
                                               " bytes; the record needs " +
                                               std::to_string(expected));
  }
  // An empty body has no row, hence no CRC, and nothing that could rot.
  if (crc32c || stored.empty()) return {};
  return {Verdict::kLegacy, {}};
}

}  // namespace kura::scrub
