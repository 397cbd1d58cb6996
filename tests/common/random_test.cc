// SecureRandom's per-thread buffer: draws never repeat, within a thread, across threads, or
// between a parent and a child forked after the buffer was filled.
#include "common/random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <thread>

namespace kura {
namespace {

std::string Draw(Random& random, size_t n) {
  std::string bytes(n, '\0');
  random.Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(bytes.data()), n));
  return bytes;
}

TEST(SecureRandom, SmallAndLargeDrawsNeverRepeat) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {  // several refills of the 4 KiB buffer
    EXPECT_TRUE(seen.insert(Draw(random, 16)).second);
  }
  EXPECT_TRUE(seen.insert(Draw(random, 1000)).second);
  std::string other_thread;
  std::thread([&] { other_thread = Draw(random, 16); }).join();
  EXPECT_TRUE(seen.insert(other_thread).second);
}

TEST(SecureRandom, AForkedChildDoesNotRepeatItsParentsBytes) {
  SecureRandom random;
  Draw(random, 16);  // the buffer is filled now
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string bytes = Draw(random, 16);
    _exit(write(pipe_fds[1], bytes.data(), bytes.size()) == 16 ? 0 : 1);
  }
  std::string parent = Draw(random, 16);
  std::array<char, 16> from_child{};
  ASSERT_EQ(read(pipe_fds[0], from_child.data(), from_child.size()), 16);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_NE(parent, std::string(from_child.data(), from_child.size()));
}

}  // namespace
}  // namespace kura
