#include "sts/session_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace kura::sts {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr size_t kFields = 12;

// Bytes written as %XX: controls, space, DEL and '%' itself. A table: the writer tests every
// byte of every line.
constexpr std::array<bool, 256> kEscaped = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = c < 0x21 || c == 0x7F || c == '%';
  return table;
}();

bool NeedsEscape(unsigned char c) { return kEscaped[c]; }

// Appends runs of plain bytes at once: the fields rarely hold anything to escape.
void AppendEscaped(std::string& out, std::string_view text) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!NeedsEscape(c)) continue;
    out.append(text.substr(run, i - run));
    const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 0xF]};
    out.append(escaped, 3);
    run = i + 1;
  }
  out.append(text.substr(run));
}

void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<size_t>(end - digits));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool Unescape(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;  // "%" needs two hex digits after it
    int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool ParseInt(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// One "S\t…" line without its LF; false when malformed.
bool ParseLine(std::string_view line, LiveSession& s) {
  std::string_view fields[kFields];
  size_t n = 0;
  while (n < kFields) {
    size_t tab = line.find('\t');
    fields[n++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  if (n != kFields || fields[0] != "S" || line.find('\t') != std::string_view::npos) return false;
  std::string* text[] = {&s.access_key_id, &s.account_id,      &s.role_arn,  &s.role_id,
                         &s.session_name,  &s.source_identity, &s.issuer_arn};
  for (size_t i = 0; i < std::size(text); ++i) {
    if (!Unescape(fields[i + 1], *text[i])) return false;
  }
  int64_t issued = 0, expires = 0, used = 0;
  if (!ParseInt(fields[8], issued) || !ParseInt(fields[9], expires) ||
      !ParseInt(fields[10], used) || s.access_key_id.empty()) {
    return false;
  }
  s.issued_at = FromUnixSeconds(issued);
  s.expires_at = FromUnixSeconds(expires);
  s.last_used_at.reset();
  s.last_used_from.clear();
  if (used > 0) {
    s.last_used_at = FromUnixSeconds(used);
    if (!Unescape(fields[11], s.last_used_from)) return false;
  }
  return true;
}

Error IoError(std::string_view what, const std::filesystem::path& path) {
  return MakeError(ErrorCode::kInternalError,
                   std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

JournalFields FieldsOf(const LiveSession& s) {
  JournalFields f;
  f.text = {s.access_key_id, s.account_id,      s.role_arn,  s.role_id,
            s.session_name,  s.source_identity, s.issuer_arn};
  f.issued = UnixSeconds(s.issued_at);
  f.expires = UnixSeconds(s.expires_at);
  if (s.last_used_at) {
    f.last_used = UnixSeconds(*s.last_used_at);
    f.last_used_from = s.last_used_from;
  }
  return f;
}

void AppendJournalLine(std::string& out, const JournalFields& f) {
  out += "S\t";
  for (std::string_view field : f.text) {
    AppendEscaped(out, field);
    out.push_back('\t');
  }
  AppendInt(out, f.issued);
  out.push_back('\t');
  AppendInt(out, f.expires);
  out.push_back('\t');
  AppendInt(out, f.last_used);
  out.push_back('\t');
  if (f.last_used > 0) AppendEscaped(out, f.last_used_from);
  out.push_back('\n');
}

std::string FormatJournalLine(const LiveSession& s) {
  std::string line;
  AppendJournalLine(line, FieldsOf(s));
  return line;
}

Result<JournalContents> ParseJournal(std::string_view text) {
  JournalContents out;
  if (text.empty()) return out;
  if (!text.starts_with(kJournalHeader)) {
    return MakeError(ErrorCode::kInternalError,
                     "not a kura session journal (or a newer format): first line is not '" +
                         std::string(kJournalHeader.substr(0, kJournalHeader.size() - 1)) + "'");
  }
  text.remove_prefix(kJournalHeader.size());
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      out.torn = true;
      break;
    }
    LiveSession session;
    if (ParseLine(text.substr(0, end), session)) {
      out.sessions.push_back(std::move(session));
    } else {
      ++out.malformed;
    }
    text.remove_prefix(end + 1);
  }
  return out;
}

Result<std::string> JournalFile::ReadAll(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    return IoError("cannot open", path);
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error error = IoError("cannot read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

Result<void> JournalFile::Rewrite(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", temp);
  if (!WriteAll(fd, contents) || ::fsync(fd) != 0) {
    Error error = IoError("cannot write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error error = IoError("cannot rename into", path);
    ::unlink(temp.c_str());
    return error;
  }
  // The rename is durable only once the directory is.
  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  int append = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (append < 0) return IoError("cannot open", path);
  if (fd_ >= 0) ::close(fd_);
  fd_ = append;
  return Ok();
}

Result<void> JournalFile::Append(std::string_view lines) {
  if (fd_ < 0) return MakeError(ErrorCode::kInternalError, "session journal is not open");
  if (!WriteAll(fd_, lines) || ::fdatasync(fd_) != 0) {
    return MakeError(ErrorCode::kInternalError,
                     std::string("cannot append to the session journal: ") + std::strerror(errno));
  }
  return Ok();
}

JournalFile::~JournalFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace kura::sts
