// The console's static files as compiled into the binary (cmake/embed_assets.cmake turns every
// file under src/console/assets/ into one row of a generated table), and the sources the console
// listener serves them from: that table, or a directory on disk (--console-assets, for working
// on the pages without rebuilding).
// A path here is relative to the assets root, '/'-separated ("index.html", "js/app.js"); only
// IsSafeAssetPath's paths are looked up, so a request can never name a file outside the root.
// Thread-safety: immutable after construction; Find may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace kura::console {

// The console's own limits (no AWS figure to mirror): a file served from --console-assets is read
// whole into memory, so one is capped; the embedded table has no such read.
inline constexpr uint64_t kMaxConsoleAssetBytes = 32ULL << 20;
inline constexpr size_t kMaxConsoleAssetPathChars = 255;

// One embedded file. `etag` is quoted, ready for the ETag header.
struct Asset {
  std::string_view path;
  std::string_view bytes;
  std::string_view etag;
};

// The table of src/console/assets/, sorted by path (generated; empty when the folder is).
std::span<const Asset> EmbeddedAssets();

// A file found: borrowed from the binary, or read from disk (then `owned` holds it).
struct AssetBody {
  std::string owned;
  std::string_view embedded;
  std::string etag;
  std::string_view bytes() const { return embedded.empty() ? std::string_view(owned) : embedded; }
};

// Whether `path` may be looked up: 1–255 characters of [A-Za-z0-9._-/], '/'-separated segments
// none of which is empty or starts with '.' (so no "..", no hidden files, no absolute path).
bool IsSafeAssetPath(std::string_view path);

class AssetSource {
 public:
  virtual ~AssetSource() = default;
  // The file at `path`, or kNoSuchKey (also for a path IsSafeAssetPath refuses).
  virtual Result<AssetBody> Find(std::string_view path) const = 0;
};

// Serves a table such as EmbeddedAssets() (binary search by path).
class EmbeddedAssetSource final : public AssetSource {
 public:
  explicit EmbeddedAssetSource(std::span<const Asset> table) : table_(table) {}
  Result<AssetBody> Find(std::string_view path) const override;

 private:
  std::span<const Asset> table_;
};

// Serves the regular files under a directory, read at each request (a page edited on disk shows
// at the next reload). A path whose real location (symlinks resolved) is outside the directory
// is not found; files over kMaxConsoleAssetBytes neither.
class DirectoryAssetSource final : public AssetSource {
 public:
  // kInvalidArgument when `dir` is not a directory.
  static Result<std::unique_ptr<DirectoryAssetSource>> Open(const std::filesystem::path& dir);
  Result<AssetBody> Find(std::string_view path) const override;

 private:
  explicit DirectoryAssetSource(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;  // canonical
};

// The Content-Type for a file name, by its extension (application/octet-stream when unknown).
std::string_view ContentTypeFor(std::string_view path);

}  // namespace kura::console
