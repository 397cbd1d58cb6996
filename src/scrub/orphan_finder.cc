#include "scrub/orphan_finder.h"

#include <sys/stat.h>

namespace kura::scrub {

Result<void> FindOrphans(const std::filesystem::path& blobs_dir,
                         const std::unordered_set<std::string>& referenced, const Clock& clock,
                         std::chrono::seconds min_age, const std::function<void(Orphan)>& found,
                         const std::function<bool()>& stop) {
  std::error_code ec;
  if (!std::filesystem::exists(blobs_dir, ec)) return Ok();  // a data dir that never held a file
  int64_t now = UnixSeconds(clock.Now());
  std::filesystem::recursive_directory_iterator it(blobs_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (stop && stop()) return Ok();
    struct stat st {};
    // lstat: a file deleted since it was listed is simply skipped.
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::string name = it->path().filename().string();
    if (referenced.contains(name)) continue;
    int64_t age = now - static_cast<int64_t>(st.st_mtime);
    if (age < min_age.count()) continue;
    found(Orphan{name, static_cast<uint64_t>(st.st_size), age});
  }
  if (ec) {
    return MakeError(ErrorCode::kInternalError,
                     "cannot list " + blobs_dir.string() + ": " + ec.message());
  }
  return Ok();
}

}  // namespace kura::scrub
