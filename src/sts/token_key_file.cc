#include "sts/token_key_file.h"

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

namespace kura::sts {
namespace {

constexpr std::string_view kHeader = "kura-session-token-keys 1";
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

Result<TokenKey> ParseKeyLine(std::string_view line) {
  auto fields = Fields(line);
  TokenKey key;
  int64_t created = 0;
  if (fields.size() != 5 || fields[0] != "key" || !ParseNumber(fields[1], key.id) ||
      !ParseNumber(fields[2], created)) {
    return Fail("malformed key line in session token key file");
  }
  key.created_at = FromUnixSeconds(created);
  if (fields[3] != "-") {
    int64_t retired = 0;
    if (!ParseNumber(fields[3], retired)) return Fail("malformed retired time in key file");
    key.retired_at = FromUnixSeconds(retired);
  }
  auto material = Base64Decode(fields[4]);
  if (!material || material->size() != kTokenKeyBytes) {
    if (material) OPENSSL_cleanse(material->data(), material->size());
    return Fail("malformed key material in session token key file");
  }
  key.material = Secret(std::move(*material));
  return key;
}

Result<void> CheckShape(const KeySet& set) {
  if (set.keys.empty()) return Fail("session token key file holds no key");
  if (set.Active().retired_at) return Fail("first key in session token key file is retired");
  std::unordered_set<uint32_t> ids;
  for (size_t i = 0; i < set.keys.size(); ++i) {
    if (i > 0 && !set.keys[i].retired_at) return Fail("more than one active token key");
    if (!ids.insert(set.keys[i].id).second) return Fail("duplicate token key id");
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

Result<std::string> ReadSmallFile(int fd, const std::filesystem::path& path) {
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("read", path);
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) return Fail("session token key file is too large");
  }
  OPENSSL_cleanse(buf, sizeof buf);
  return text;
}

}  // namespace

std::string FormatKeyFile(const KeySet& set) {
  std::string out(kHeader);
  out += '\n';
  for (const TokenKey& key : set.keys) {
    out += "key " + std::to_string(key.id) + " " + std::to_string(UnixSeconds(key.created_at)) +
           " " + (key.retired_at ? std::to_string(UnixSeconds(*key.retired_at)) : "-") + " " +
           Base64Encode(key.material.Reveal()) + "\n";
  }
  return out;
}

Result<KeySet> ParseKeyFile(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Fail("session token key file is truncated");
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
      if (line != kHeader) return Fail("session token key file has an unknown header");
      header = false;
      continue;
    }
    auto key = ParseKeyLine(line);
    if (!key) return key.error();
    set.keys.push_back(std::move(*key));
  }
  KURA_TRY(CheckShape(set));
  return set;
}

Result<KeySet> ReadKeyFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return MakeError(ErrorCode::kNoSuchEntity, path.string());
  if (fd < 0) return FailErrno("open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail("session token key file is not a regular file: " + path.string());
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Fail("session token key file " + path.string() +
                " is accessible by group or others; chmod 600 it");
  }
  auto text = ReadSmallFile(fd, path);
  ::close(fd);
  if (!text) return text.error();
  auto set = ParseKeyFile(*text);
  OPENSSL_cleanse(text->data(), text->size());
  return set;
}

Result<void> WriteKeyFile(const std::filesystem::path& path, const KeySet& set) {
  KURA_TRY(CheckShape(set));
  // A unique temp name (mkstemp creates it 0600), so two writers never share one temp file.
  std::string temp = path.string() + ".tmp.XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return FailErrno("create temp file for", path);
  std::string text = FormatKeyFile(set);
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

}  // namespace kura::sts
