#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/crypto.h"
#include "console/assets.h"

namespace kura::console {
namespace fs = std::filesystem;
namespace {

bool IsAssetPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

Error NotFound() { return MakeError(ErrorCode::kNoSuchKey); }

// The ETag of bytes read from disk, in the form the embedded table's are (cmake/embed_assets.cmake).
std::string EtagOf(std::string_view bytes) { return "\"" + Sha256Hex(bytes).substr(0, 32) + "\""; }

// Whether `path` is `root` or lies under it (both canonical).
bool IsWithin(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}
}  // namespace

bool IsSafeAssetPath(std::string_view path) {
  if (path.empty() || path.size() > kMaxConsoleAssetPathChars) return false;
  if (!std::all_of(path.begin(), path.end(), IsAssetPathChar)) return false;
  size_t start = 0;
  for (;;) {
    size_t end = path.find('/', start);
    std::string_view segment = path.substr(start, end == std::string_view::npos ? end : end - start);
    // Empty: a leading, doubled or trailing '/'. Leading '.': ".", "..", hidden files.
    if (segment.empty() || segment.front() == '.') return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

Result<AssetBody> EmbeddedAssetSource::Find(std::string_view path) const {
  if (!IsSafeAssetPath(path)) return NotFound();
  auto it = std::lower_bound(table_.begin(), table_.end(), path,
                             [](const Asset& asset, std::string_view p) { return asset.path < p; });
  if (it == table_.end() || it->path != path) return NotFound();
  AssetBody body;
  body.embedded = it->bytes;
  body.etag = std::string(it->etag);
  // An empty embedded file reads as an empty `owned`: bytes() is empty either way.
  return body;
}

Result<std::unique_ptr<DirectoryAssetSource>> DirectoryAssetSource::Open(const fs::path& dir) {
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, "--console-assets: not a directory: " + dir.string());
  }
  return std::unique_ptr<DirectoryAssetSource>(new DirectoryAssetSource(std::move(root)));
}

Result<AssetBody> DirectoryAssetSource::Find(std::string_view path) const {
  if (!IsSafeAssetPath(path)) return NotFound();
  // The real location, symlinks resolved: a link inside the root pointing out of it is refused.
  std::error_code ec;
  fs::path real = fs::canonical(root_ / fs::path(path), ec);
  if (ec || !IsWithin(real, root_) || !fs::is_regular_file(real, ec)) return NotFound();
  uint64_t size = fs::file_size(real, ec);
  if (ec || size > kMaxConsoleAssetBytes) return NotFound();
  std::ifstream in(real, std::ios::binary);
  if (!in) return NotFound();
  AssetBody body;
  body.owned.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || body.owned.size() > kMaxConsoleAssetBytes) return NotFound();
  body.etag = EtagOf(body.owned);
  return body;
}

}  // namespace kura::console
