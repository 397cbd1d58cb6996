#include "common/key_ring_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "common/encoding.h"

namespace kura {
namespace {

constexpr size_t kMaxFileBytes = 64 * 1024;

Error Fail(std::string message) { return MakeError(ErrorCode::kInternalError, std::move(message)); }

Error FailErrno(std::string_view what, const std::filesystem::path& path) {
  return Fail(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// Splits on single spaces; no empty fields allowed.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = line.find(' ', start);
    out.push_back(line.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Result<RingKey> ParseKeyLine(const KeyRingKind& kind, std::string_view line) {
  auto fields = Fields(line);
  RingKey key;
  int64_t created = 0;
  if (fields.size() != 5 || fields[0] != "key" || !ParseNumber(fields[1], key.id) ||
      !ParseNumber(fields[2], created)) {
    return Fail("malformed key line in " + std::string(kind.name));
  }
  key.created_at = FromUnixSeconds(created);
  if (fields[3] != "-") {
    int64_t retired = 0;
    if (!ParseNumber(fields[3], retired))
      return Fail("malformed retired time in " + std::string(kind.name));
    key.retired_at = FromUnixSeconds(retired);
  }
  auto material = Base64Decode(fields[4]);
  if (!material || material->size() != kRingKeyBytes) {
    if (material) OPENSSL_cleanse(material->data(), material->size());
    return Fail("malformed key material in " + std::string(kind.name));
  }
  key.material = Secret(std::move(*material));
  return key;
}

Result<void> CheckShape(const KeyRingKind& kind, const KeySet& set) {
  if (set.keys.empty()) return Fail(std::string(kind.name) + " holds no key");
  if (set.Active().retired_at)
    return Fail("first key in " + std::string(kind.name) + " is retired");
  std::unordered_set<uint32_t> ids;
  for (size_t i = 0; i < set.keys.size(); ++i) {
    if (i > 0 && !set.keys[i].retired_at)
      return Fail("more than one active key in " + std::string(kind.name));
    if (!ids.insert(set.keys[i].id).second)
      return Fail("duplicate key id in " + std::string(kind.name));
  }
  return Ok();
}

Result<void> WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail(std::string("write failed: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

Result<void> FsyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FailErrno("open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return FailErrno("fsync directory", dir);
  return Ok();
}

Result<std::string> ReadSmallFile(const KeyRingKind& kind, int fd,
                                  const std::filesystem::path& path) {
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("read", path);
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) return Fail(std::string(kind.name) + " is too large");
  }
  OPENSSL_cleanse(buf, sizeof buf);
  return text;
}

}  // namespace

std::string FormatKeyFile(const KeyRingKind& kind, const KeySet& set) {
  std::string out(kind.header);
  out += '\n';
  for (const RingKey& key : set.keys) {
    out += "key " + std::to_string(key.id) + " " + std::to_string(UnixSeconds(key.created_at)) +
           " " + (key.retired_at ? std::to_string(UnixSeconds(*key.retired_at)) : "-") + " " +
           Base64Encode(key.material.Reveal()) + "\n";
  }
  return out;
}

Result<KeySet> ParseKeyFile(const KeyRingKind& kind, std::string_view text) {
  if (text.empty() || text.back() != '\n') return Fail(std::string(kind.name) + " is truncated");
  text.remove_suffix(1);
  KeySet set;
  bool header = true;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (header) {
      if (line != kind.header) return Fail(std::string(kind.name) + " has an unknown header");
      header = false;
      continue;
    }
    auto key = ParseKeyLine(kind, line);
    if (!key) return key.error();
    set.keys.push_back(std::move(*key));
  }
  KURA_TRY(CheckShape(kind, set));
  return set;
}

Result<KeySet> ReadKeyFile(const KeyRingKind& kind, const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return MakeError(ErrorCode::kNoSuchEntity, path.string());
  if (fd < 0) return FailErrno("open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(std::string(kind.name) + " is not a regular file: " + path.string());
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Fail(std::string(kind.name) + " " + path.string() +
                " is accessible by group or others; chmod 600 it");
  }
  auto text = ReadSmallFile(kind, fd, path);
  ::close(fd);
  if (!text) return text.error();
  auto set = ParseKeyFile(kind, *text);
  OPENSSL_cleanse(text->data(), text->size());
  return set;
}

Result<void> WriteKeyFile(const KeyRingKind& kind, const std::filesystem::path& path,
                          const KeySet& set) {
  KURA_TRY(CheckShape(kind, set));
  // A unique temp name (mkstemp creates it 0600), so two writers never share one temp file.
  std::string temp = path.string() + ".tmp.XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return FailErrno("create temp file for", path);
  std::string text = FormatKeyFile(kind, set);
  Result<void> written = ::fchmod(fd, 0600) == 0 ? WriteAll(fd, text) : FailErrno("chmod", temp);
  OPENSSL_cleanse(text.data(), text.size());
  if (written && ::fsync(fd) != 0) written = FailErrno("fsync", temp);
  ::close(fd);
  if (written && ::rename(temp.c_str(), path.c_str()) != 0) written = FailErrno("rename", temp);
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  return FsyncDir(path.parent_path());
}

Result<StoredKeySet> KeyRingFileStorage::Load() {
  auto keys = ReadKeyFile(kind_, path_);
  if (!keys) return keys.error();
  return StoredKeySet{std::move(*keys), ""};
}

Result<bool> KeyRingFileStorage::Replace(const StoredKeySet*, const KeySet& next) {
  KURA_TRY(WriteKeyFile(kind_, path_, next));
  return true;
}

std::string KeyRingFileStorage::Revision() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return "";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + " " +
         std::to_string(st.st_size);
}

}  // namespace kura
