#include "store/fs/fs_blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "common/encoding.h"
#include <boost/asio/post.hpp>

#include "store/fs/file_ops.h"
#include "store/fs/fs_blob_reader.h"
#include "store/fs/fs_blob_writer.h"

namespace kura::store {
namespace {

constexpr size_t kBlobIdBytes = 16;  // 32 hex characters

bool LooksLikeBlobId(const std::string& name) {
  if (name.size() != 2 * kBlobIdBytes) return false;
  return name.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void RemoveFile(const std::filesystem::path& path) { ::unlink(path.c_str()); }

}  // namespace

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::Open(const std::filesystem::path& data_dir) {
  KURA_TRY(EnsureDir(data_dir));
  KURA_TRY(EnsureDir(data_dir / "blobs"));
  KURA_TRY(EnsureDir(data_dir / "tmp"));
  std::filesystem::path lock_path = data_dir / "LOCK";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return ErrnoError("open", lock_path, errno);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(lock_fd);
    if (err == EWOULDBLOCK) {
      return MakeError(ErrorCode::kInternalError,
                       "data dir " + data_dir.string() + " is in use by another kura");
    }
    return ErrnoError("flock", lock_path, err);
  }
  return std::unique_ptr<FsBlobStore>(new FsBlobStore(data_dir, lock_fd));
}

FsBlobStore::~FsBlobStore() {
  read_pool_.join();
  ::close(lock_fd_);
}

std::string FsBlobStore::NewBlobId() {
  std::vector<uint8_t> raw(kBlobIdBytes);
  std::lock_guard lock(random_mu_);
  random_.Fill(raw);
  std::string id = HexLower(raw);
  if (recording_new_ids_) new_ids_.insert(id);
  return id;
}

std::filesystem::path FsBlobStore::BlobPath(const std::string& id) const {
  return root_ / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
}

std::filesystem::path FsBlobStore::TempPath(const std::string& id) const {
  return root_ / "tmp" / (id + ".tmp");
}

std::unique_ptr<BlobWriter> FsBlobStore::NewWriterFor(Placement placement) {
  return NewFsBlobWriter(*this, placement);
}

Result<std::unique_ptr<BlobReader>> FsBlobStore::Open(const BlobRef& ref) {
  return OpenFsBlob(*this, ref);
}

Result<std::unique_ptr<BlobReader>> FsBlobStore::OpenBounded(const BlobRef& ref) {
  return OpenFsBlob(*this, ref, SizeIs::kBound);
}

void FsBlobStore::PostRead(std::function<void()> job) {
  boost::asio::post(read_pool_, std::move(job));
}

void FsBlobStore::Delete(const BlobRef& ref) {
  if (ref.kind == BlobRef::Kind::kFile) RemoveFile(BlobPath(ref.id));
  for (const auto& part : ref.parts) RemoveFile(BlobPath(part.id));
}

Result<int> FsBlobStore::RemoveTempFiles() {
  std::error_code ec;
  std::vector<std::filesystem::path> temps;
  std::filesystem::directory_iterator it(root_ / "tmp", ec), end;
  for (; !ec && it != end; it.increment(ec)) temps.push_back(it->path());
  if (ec) return ErrnoError("list", root_ / "tmp", ec.value());
  for (const auto& path : temps) RemoveFile(path);
  return static_cast<int>(temps.size());
}

Result<int> FsBlobStore::RemoveUnreferenced(const std::function<bool(const std::string&)>& referenced) {
  int removed = 0;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(root_ / "blobs", ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (LooksLikeBlobId(name) && referenced(name)) continue;
    {
      std::lock_guard lock(random_mu_);
      if (new_ids_.contains(name)) continue;
    }
    RemoveFile(it->path());
    ++removed;
  }
  if (ec) return ErrnoError("list", root_ / "blobs", ec.value());
  std::lock_guard lock(random_mu_);
  recording_new_ids_ = false;
  new_ids_.clear();
  return removed;
}

}  // namespace kura::store
