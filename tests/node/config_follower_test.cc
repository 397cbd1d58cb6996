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
  ConfigFollower MakeFollower(milliseconds interval = milliseconds(1000),
                              std::string node_id = "") {
    store::NodeRegistry* registry = node_id.empty() ? nullptr : &metadata_;
    FollowerOptions options;
    options.interval = interval;
    options.stale_after = interval * 5;
    options.node_id = std::move(node_id);
    return ConfigFollower(
        metadata_, registry,
        {{"counted", [this]() -> Result<void> {
            ++reloads_;
            if (fail_reloads_) return MakeError(ErrorCode::kServiceUnavailable, "unreachable");
            return Ok();
          }}},
        std::move(options), *metadata_.ConfigGeneration(),
        [this] { return Now(); });
  }
  void Advance(std::chrono::nanoseconds by) { now_ns_ += by.count(); }
  std::chrono::steady_clock::time_point Now() const {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(now_ns_.load()));
  }

  store::MemoryMetadataStore metadata_;
  std::atomic<int64_t> now_ns_{3'600'000'000'000};
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

TEST_F(ConfigFollowerTest, IsStaleUntilItsFirstPoll) {
  ConfigFollower follower = MakeFollower();
  EXPECT_TRUE(follower.Stale());
  ASSERT_TRUE(follower.Poll());
  EXPECT_FALSE(follower.Stale());
}

TEST_F(ConfigFollowerTest, IsStaleOnceNoPollSucceededForFiveIntervalsAndRecoversByItself) {
  ConfigFollower follower = MakeFollower();
  ASSERT_TRUE(follower.Poll());
  EXPECT_FALSE(follower.Stale());
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  fail_reloads_ = true;
  for (int i = 0; i < 5; ++i) {
    Advance(milliseconds(1000));
    EXPECT_FALSE(follower.Poll());
    EXPECT_FALSE(follower.Stale()) << "after " << i + 1 << " intervals";
  }
  Advance(milliseconds(1));
  EXPECT_TRUE(follower.Stale());
  fail_reloads_ = false;
  ASSERT_TRUE(follower.Poll());
  EXPECT_FALSE(follower.Stale());
}

// The fence counts from the poll's start: a slow poll does not extend the node's freshness.
TEST_F(ConfigFollowerTest, FreshnessCountsFromThePollsStart) {
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  std::atomic<bool> slow{false};
  ConfigFollower slow_follower(
      metadata_, nullptr, {{"slow", [this, &slow]() -> Result<void> {
                     if (slow) Advance(milliseconds(4000));  // the reload takes 4 s
                     return Ok();
                   }}},
      [] {
        FollowerOptions options;
        options.interval = milliseconds(1000);
        options.stale_after = milliseconds(5000);
        return options;
      }(),
      0, [this] { return Now(); });
  slow = true;
  ASSERT_TRUE(slow_follower.Poll());
  Advance(milliseconds(1001));  // 5.001 s after the poll started, 1.001 s after it ended
  EXPECT_TRUE(slow_follower.Stale());
}

TEST_F(ConfigFollowerTest, APollConfirmsTheGenerationInTheNodeRegistry) {
  ConfigFollower follower = MakeFollower(milliseconds(1000), "node-a");
  ASSERT_TRUE(metadata_.ConfirmFollowing("node-a", 0));
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  uint64_t written = *metadata_.ConfigGeneration();
  EXPECT_EQ(*metadata_.NodesBehind(written, milliseconds(60'000)),
            std::vector<std::string>{"node-a"});
  ASSERT_TRUE(follower.Poll());
  EXPECT_TRUE(metadata_.NodesBehind(written, milliseconds(60'000))->empty());
}

TEST_F(ConfigFollowerTest, AFailedReloadIsNotConfirmed) {
  ConfigFollower follower = MakeFollower(milliseconds(1000), "node-a");
  ASSERT_TRUE(follower.Poll());
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  fail_reloads_ = true;
  EXPECT_FALSE(follower.Poll());
  EXPECT_EQ(metadata_.NodesBehind(*metadata_.ConfigGeneration(), milliseconds(60'000))->size(), 1u);
}

TEST_F(ConfigFollowerTest, StoppedItLeavesTheRegistryAndConfirmsNoMore) {
  ConfigFollower follower = MakeFollower(milliseconds(1000), "node-a");
  ASSERT_TRUE(follower.Poll());
  follower.Stop();
  ASSERT_TRUE(PutDocument(metadata_, "alice"));
  EXPECT_TRUE(metadata_.NodesBehind(*metadata_.ConfigGeneration(), milliseconds(60'000))->empty());
  EXPECT_FALSE(follower.Poll());
  EXPECT_TRUE(metadata_.NodesBehind(*metadata_.ConfigGeneration(), milliseconds(60'000))->empty());
}

TEST(FollowerBounds, StaleAfterTwoSecondsOrFiveIntervalsAndLivenessAddsAMargin) {
  EXPECT_EQ(StaleBoundFor(milliseconds(100)), milliseconds(2000));
  EXPECT_EQ(StaleBoundFor(milliseconds(1000)), milliseconds(5000));
  FollowerOptions options;
  options.interval = milliseconds(100);
  options.stale_after = StaleBoundFor(options.interval);
  EXPECT_EQ(LivenessBound(options), milliseconds(2500));
  options.interval = milliseconds(1000);
  options.stale_after = StaleBoundFor(options.interval);
  EXPECT_EQ(LivenessBound(options), milliseconds(6000));
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
