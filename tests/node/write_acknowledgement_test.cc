#include "node/write_acknowledgement.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

#include "store/memory/memory_metadata_store.h"
#include "store/wait.h"

namespace kura::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class WriteAcknowledgementTest : public ::testing::Test {
 protected:
  void Write() {
    ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> done) {
      metadata_.PutDocuments({{"iam.user", "alice", std::string("{}")}}, std::move(done));
    }));
  }
  // Runs Await to its end; returns its answer and how long it took.
  std::pair<bool, milliseconds> RunAwait(AcknowledgementOptions options) {
    WriteAcknowledgement acknowledgement(metadata_, metadata_, pool_, options);
    boost::asio::io_context io;
    std::optional<bool> answer;
    auto start = steady_clock::now();
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { answer = co_await acknowledgement.Await(); },
        boost::asio::detached);
    io.run();
    EXPECT_TRUE(answer.has_value());
    return {answer.value_or(false),
            std::chrono::duration_cast<milliseconds>(steady_clock::now() - start)};
  }
  static AcknowledgementOptions Options(milliseconds liveness, milliseconds max_wait) {
    AcknowledgementOptions options;
    options.liveness = liveness;
    options.max_wait = max_wait;
    options.check_every = milliseconds(5);
    return options;
  }

  store::MemoryMetadataStore metadata_;
  boost::asio::thread_pool pool_{1};
};

TEST_F(WriteAcknowledgementTest, AnswersAtOnceWhenEveryNodeConfirmed) {
  ASSERT_TRUE(metadata_.ConfirmFollowing("a", 0));
  Write();
  ASSERT_TRUE(metadata_.ConfirmFollowing("a", *metadata_.ConfigGeneration()));
  auto [answer, took] = RunAwait(Options(milliseconds(10'000), milliseconds(10'000)));
  EXPECT_TRUE(answer);
  EXPECT_LT(took, milliseconds(1000));
}

TEST_F(WriteAcknowledgementTest, WaitsUntilANodeBehindConfirms) {
  ASSERT_TRUE(metadata_.ConfirmFollowing("a", 0));
  Write();
  std::thread follower([this] {
    std::this_thread::sleep_for(milliseconds(100));
    (void)metadata_.ConfirmFollowing("a", *metadata_.ConfigGeneration());
  });
  auto [answer, took] = RunAwait(Options(milliseconds(10'000), milliseconds(10'000)));
  follower.join();
  EXPECT_TRUE(answer);
  EXPECT_GE(took, milliseconds(90));
  EXPECT_LT(took, milliseconds(5000));
}

TEST_F(WriteAcknowledgementTest, StopsWaitingForANodeWhoseHeartbeatAgedOut) {
  ASSERT_TRUE(metadata_.ConfirmFollowing("killed", 0));
  Write();
  auto [answer, took] = RunAwait(Options(milliseconds(150), milliseconds(10'000)));
  EXPECT_TRUE(answer) << "a node that stopped confirming has fenced itself: not waited for";
  EXPECT_LT(took, milliseconds(5000));
}

TEST_F(WriteAcknowledgementTest, GivesUpAfterTheBound) {
  ASSERT_TRUE(metadata_.ConfirmFollowing("slow", 0));
  Write();
  auto [answer, took] = RunAwait(Options(milliseconds(60'000), milliseconds(100)));
  EXPECT_FALSE(answer);
  EXPECT_GE(took, milliseconds(100));
  EXPECT_LT(took, milliseconds(5000));
}

TEST(AcknowledgementFor, WaitsAtMostLivenessPlusAnInterval) {
  auto options = AcknowledgementFor(milliseconds(100), milliseconds(2500));
  EXPECT_EQ(options.liveness, milliseconds(2500));
  EXPECT_EQ(options.max_wait, milliseconds(2600));
  EXPECT_EQ(options.check_every, milliseconds(25));
}

}  // namespace
}  // namespace kura::node
