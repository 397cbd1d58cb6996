#include "node/config_follower.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <thread>

#include "store/memory/memory_metadata_store.h"
#include "store/wait.h"

namespace kura::node {
namespace {

using std::chrono::milliseconds;

Result<void> PutDocument(store::MetadataStore& metadata, std::string id) {
  return store::WaitFor<void>([&](store::Callback<void> done) {
    metadata.PutDocuments({{"iam.user", std::move(id), std::string("{}")}}, std::move(done));
  });
}

class ConfigFollowerTest : public ::testing::Test {
 protected:
  ConfigFollower MakeFollower(milliseconds interval = milliseconds(1000)) {
    return ConfigFollower(
        metadata_,
        {{"counted", [this]() -> Result<void> {
            ++reloads_;
            if (fail_reloads_) return MakeError(ErrorCode::kServiceUnavailable, "unreachable");
            return Ok();
          }}},
        clock_, FollowerOptions{.interval = interval, .stale_after = 5},
        *metadata_.ConfigGeneration());
  }

  store::MemoryMetadataStore metadata_;
  FakeClock clock_{FromUnixSeconds(1'700'000'000)};
  std::atomic<int> reloads_{0};
  std::atomic<bool> fail_reloads_{false};
};

TEST_F(ConfigFollowerTest, ReloadsOnlyWhenTheGenerationMoved) {
  ConfigFollower follower = MakeFollower();
  ASSERT_TRUE(follower.Poll());
  EXPECT_EQ(reloads_, 0);
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  ASSERT_TRUE(follower.Poll());
  EXPECT_EQ(reloads_, 1);
  EXPECT_EQ(follower.generation(), *metadata_.ConfigGeneration());
  ASSERT_TRUE(follower.Poll());
  EXPECT_EQ(reloads_, 1);
}

TEST_F(ConfigFollowerTest, AFailedReloadIsTriedAgainAtTheNextPoll) {
  ConfigFollower follower = MakeFollower();
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  fail_reloads_ = true;
  EXPECT_FALSE(follower.Poll());
  fail_reloads_ = false;
  ASSERT_TRUE(follower.Poll());
  EXPECT_EQ(reloads_, 2);
}

TEST_F(ConfigFollowerTest, IsStaleOnceNoPollSucceededForFiveIntervalsAndRecoversByItself) {
  ConfigFollower follower = MakeFollower();
  EXPECT_FALSE(follower.Stale());
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  fail_reloads_ = true;
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(milliseconds(1000));
    EXPECT_FALSE(follower.Poll());
    EXPECT_FALSE(follower.Stale()) << "after " << i + 1 << " intervals";
  }
  clock_.Advance(milliseconds(1));
  EXPECT_TRUE(follower.Stale());
  fail_reloads_ = false;
  ASSERT_TRUE(follower.Poll());
  EXPECT_FALSE(follower.Stale());
}

TEST_F(ConfigFollowerTest, StartedItPollsOnThePoolAndSeesAWrite) {
  ConfigFollower follower = MakeFollower(milliseconds(10));
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  boost::asio::thread_pool pool(1);
  std::thread io_thread([&io] { io.run(); });
  boost::asio::post(io, [&] { follower.Start(io, pool); });
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  for (int i = 0; i < 200 && reloads_ == 0; ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_GE(reloads_, 1);
  io.stop();
  io_thread.join();
  follower.Stop();
  pool.join();
}

}  // namespace
}  // namespace kura::node
