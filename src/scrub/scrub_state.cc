#include "scrub/scrub_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "store/fs/file_ops.h"

namespace kura::scrub {
namespace json = boost::json;
namespace {

constexpr char kCursorFile[] = "cursor";
constexpr char kLastPassFile[] = "last-pass";
constexpr char kLockFile[] = "LOCK";

const json::string* StringAt(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

std::optional<int64_t> IntAt(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

}  // namespace

std::string CursorToJson(const Cursor& c) {
  json::object o;
  o["phase"] = static_cast<int64_t>(c.phase);
  o["bucket"] = c.version.bucket;
  o["key"] = c.version.key;
  o["order"] = c.version.order;
  o["uploadId"] = c.part.upload_id;
  o["partNumber"] = c.part.part_number;
  // The summary nests as text: SummaryFromJson reads it back as it reads a last-pass file.
  o["summary"] = ToJson(c.so_far);
  return json::serialize(o);
}

Result<Cursor> CursorFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  auto bad = [] { return MakeError(ErrorCode::kInvalidArgument, "not a scrub cursor"); };
  if (ec || !parsed.is_object()) return bad();
  const json::object& o = parsed.get_object();
  std::optional<int64_t> phase = IntAt(o, "phase");
  const json::string* bucket = StringAt(o, "bucket");
  const json::string* key = StringAt(o, "key");
  std::optional<int64_t> order = IntAt(o, "order");
  const json::string* upload = StringAt(o, "uploadId");
  std::optional<int64_t> part = IntAt(o, "partNumber");
  const json::string* summary = StringAt(o, "summary");
  if (!phase || !bucket || !key || !order || !upload || !part || !summary) return bad();
  if (*phase < 0 || *phase > static_cast<int64_t>(Phase::kOrphans)) return bad();
  auto so_far = SummaryFromJson(std::string_view(summary->data(), summary->size()));
  if (!so_far) return bad();
  Cursor c;
  c.phase = static_cast<Phase>(*phase);
  c.version = {std::string(*bucket), std::string(*key), *order};
  c.part = {std::string(*upload), static_cast<int>(*part)};
  c.so_far = std::move(so_far).value();
  return c;
}

ScrubLock::~ScrubLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<ScrubLock> StateFiles::Lock() {
  KURA_TRY(store::EnsureDir(dir_));
  std::filesystem::path path = dir_ / kLockFile;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return store::ErrnoError("open", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return MakeError(ErrorCode::kInternalError,
                       "a scrub is already running on this data dir (" + path.string() + ")");
    }
    return store::ErrnoError("flock", path, err);
  }
  return ScrubLock(fd);
}

Result<std::optional<std::string>> StateFiles::Read(const char* name) const {
  std::filesystem::path path = dir_ / name;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInternalError, "cannot read " + path.string());
  std::ostringstream contents;
  contents << in.rdbuf();
  return std::optional<std::string>(contents.str());
}

Result<void> StateFiles::Replace(const char* name, const std::string& contents) const {
  KURA_TRY(store::EnsureDir(dir_));
  std::filesystem::path path = dir_ / name;
  std::filesystem::path temp = dir_ / (std::string(name) + ".tmp");
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return store::ErrnoError("open", temp, errno);
  Result<void> written = store::WriteAll(fd, contents, temp);
  if (written) written = store::FsyncFd(fd, temp);
  ::close(fd);
  if (written && ::rename(temp.c_str(), path.c_str()) != 0) {
    written = store::ErrnoError("rename", temp, errno);
  }
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  return store::FsyncDir(dir_);
}

Result<std::optional<Cursor>> StateFiles::LoadCursor() const {
  auto text = Read(kCursorFile);
  if (!text) return text.error();
  if (!*text) return std::optional<Cursor>();
  auto cursor = CursorFromJson(**text);
  if (!cursor) return std::optional<Cursor>();
  return std::optional<Cursor>(std::move(cursor).value());
}

Result<void> StateFiles::SaveCursor(const Cursor& cursor) const {
  return Replace(kCursorFile, CursorToJson(cursor));
}

Result<void> StateFiles::ClearCursor() const {
  std::filesystem::path path = dir_ / kCursorFile;
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return store::ErrnoError("unlink", path, errno);
  return Ok();
}

Result<std::optional<Summary>> StateFiles::LoadLastPass() const {
  auto text = Read(kLastPassFile);
  if (!text) return text.error();
  if (!*text) return std::optional<Summary>();
  auto summary = SummaryFromJson(**text);
  if (!summary) return std::optional<Summary>();
  return std::optional<Summary>(std::move(summary).value());
}

Result<void> StateFiles::SaveLastPass(const Summary& summary) const {
  return Replace(kLastPassFile, ToJson(summary));
}

}  // namespace kura::scrub
