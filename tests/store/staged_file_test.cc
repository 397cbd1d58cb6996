// StagedFile: bytes appended in any piece sizes land in the file exactly, whether the blob ends
// on a staging-buffer boundary, a block boundary or neither (the O_DIRECT tail), and a failed
// background write is reported.
#include "store/fs/staged_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "store_test_util.h"

namespace kura::store {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `data` in pieces of `piece` bytes through a StagedFile on an O_DIRECT descriptor
// (where the filesystem has it) and returns what the file then holds.
std::string WriteThrough(WritePool& pool, const std::filesystem::path& path, std::string_view data,
                         size_t piece) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  EXPECT_GE(fd, 0);
  bool direct = ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_DIRECT) == 0;
  {
    StagedFile file(pool, fd, direct, path);
    for (size_t at = 0; at < data.size(); at += piece) {
      EXPECT_TRUE(file.Append(data.substr(at, piece)));
    }
    EXPECT_TRUE(file.Finish());
  }
  ::close(fd);
  return ReadFile(path);
}

TEST(StagedFile, WritesEveryByteWhateverTheSizeAndPieces) {
  testing::TempDir dir;
  WritePool pool(2);
  constexpr size_t kMiB = WritePool::kBufferBytes;
  for (size_t size : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{4097}, kMiB - 1,
                      kMiB, kMiB + 1, 3 * kMiB + 12345, 4 * kMiB}) {
    std::string data = testing::Pattern(size, static_cast<char>('a' + size % 7));
    for (size_t piece : {size_t{1000}, size_t{65536}, kMiB, 5 * kMiB}) {
      if (size > 2 * kMiB && piece == 1000) continue;  // slow and says nothing new
      EXPECT_EQ(WriteThrough(pool, dir.path() / "f", data, piece), data)
          << "size " << size << " piece " << piece;
    }
  }
}

TEST(StagedFile, AFailedBackgroundWriteIsReportedAndSticks) {
  testing::TempDir dir;
  WritePool pool(1);
  std::filesystem::path path = dir.path() / "f";
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);  // writes fail: EBADF
  ASSERT_GE(fd, 0);
  {
    StagedFile file(pool, fd, false, path);
    std::string data = testing::Pattern(3 * WritePool::kBufferBytes);
    bool failed = !file.Append(data);
    EXPECT_TRUE(failed || !file.Finish());
    EXPECT_FALSE(file.Append("x"));
  }
  ::close(fd);
}

TEST(StagedFile, DestroyingItUnfinishedWaitsForTheWritesInFlight) {
  testing::TempDir dir;
  WritePool pool(2);
  std::filesystem::path path = dir.path() / "f";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  {
    StagedFile file(pool, fd, false, path);
    EXPECT_TRUE(file.Append(testing::Pattern(2 * WritePool::kBufferBytes + 10)));
  }  // no Finish: the buffers must not be freed under a pool thread
  ::close(fd);
  EXPECT_GE(std::filesystem::file_size(path), WritePool::kBufferBytes);
}

}  // namespace
}  // namespace kura::store
