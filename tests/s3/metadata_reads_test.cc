// Reads of a store whose reads wait on the network run off the I/O thread (issue #20): a slow
// read on one request must not stall another request of the same I/O thread; reads of a local
// store stay inline.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "s3/metadata_reads.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using std::chrono::seconds;

TEST(StoreRead, RunsInlineWithoutReadThreads) {
  net::io_context io;
  std::thread::id ran_on;
  std::optional<int> value;
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        value = co_await StoreRead(nullptr, [&] {
          ran_on = std::this_thread::get_id();
          return 7;
        });
      },
      net::detached);
  io.run();
  EXPECT_EQ(value, 7);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(StoreRead, RunsOnTheReadThreadsAndResumesOnItsOwnExecutor) {
  net::io_context io;
  net::thread_pool threads(1);
  std::thread::id ran_on, resumed_on;
  std::optional<int> value;
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        value = co_await StoreRead(&threads, [&] {
          ran_on = std::this_thread::get_id();
          return 7;
        });
        resumed_on = std::this_thread::get_id();
      },
      net::detached);
  io.run();
  threads.join();
  EXPECT_EQ(value, 7);
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

constexpr char kBucket[] = "bucket";

// The harness's store, whose object reads first run `before_object_read(key)`: a read as slow as
// the test makes it (a network round trip that takes long).
class SlowReadStore final : public store::MetadataStore {
 public:
  explicit SlowReadStore(store::MetadataStore& inner) : inner_(inner) {}
  std::function<void(std::string_view key)> before_object_read = [](std::string_view) {};

  Result<store::BucketRecord> GetBucket(std::string_view name) override {
    return inner_.GetBucket(name);
  }
  Result<std::vector<store::BucketRecord>> ListBuckets() override { return inner_.ListBuckets(); }
  using MetadataStore::GetObject;
  using MetadataStore::GetObjectMeta;
  Result<store::ObjectRecord> GetObject(std::string_view bucket, std::string_view key,
                                        std::optional<std::string_view> version_id) override {
    before_object_read(key);
    return inner_.GetObject(bucket, key, version_id);
  }
  Result<store::ObjectRecord> GetObjectMeta(std::string_view bucket, std::string_view key,
                                            std::optional<std::string_view> version_id) override {
    before_object_read(key);
    return inner_.GetObjectMeta(bucket, key, version_id);
  }
  Result<store::VersionListPage> ListObjectVersions(const store::VersionListQuery& q) override {
    return inner_.ListObjectVersions(q);
  }
  Result<store::ListPage> ListObjects(const store::ListQuery& q) override {
    return inner_.ListObjects(q);
  }
  Result<std::optional<std::string>> GetDocument(std::string_view kind,
                                                 std::string_view id) override {
    return inner_.GetDocument(kind, id);
  }
  Result<std::vector<std::pair<std::string, std::string>>> ListDocuments(
      std::string_view kind) override {
    return inner_.ListDocuments(kind);
  }
  Result<store::UploadRecord> GetUpload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) override {
    return inner_.GetUpload(bucket, key, upload_id);
  }
  Result<std::vector<store::PartRecord>> ListParts(std::string_view upload_id, int after_part,
                                                   int limit) override {
    return inner_.ListParts(upload_id, after_part, limit);
  }
  Result<std::vector<store::UploadRecord>> ListUploads(const store::UploadQuery& q) override {
    return inner_.ListUploads(q);
  }
  void CreateBucket(store::BucketRecord b, store::Callback<void> done) override {
    inner_.CreateBucket(std::move(b), std::move(done));
  }
  void DeleteBucket(std::string name, store::Callback<std::vector<store::BlobRef>> done) override {
    inner_.DeleteBucket(std::move(name), std::move(done));
  }
  void UpdateBucket(std::string name, std::function<Result<void>(store::BucketRecord&)> mutate,
                    store::Callback<void> done) override {
    inner_.UpdateBucket(std::move(name), std::move(mutate), std::move(done));
  }
  using MetadataStore::CompleteUpload;
  using MetadataStore::DeleteObject;
  using MetadataStore::PutObject;
  using MetadataStore::UpdateObject;
  void PutObject(store::ObjectRecord o, store::WritePrecondition p, store::LockContext l,
                 store::Callback<store::PutOutcome> done) override {
    inner_.PutObject(std::move(o), std::move(p), std::move(l), std::move(done));
  }
  void DeleteObject(store::DeleteRequest r, store::Callback<store::DeleteOutcome> done) override {
    inner_.DeleteObject(std::move(r), std::move(done));
  }
  void UpdateObject(std::string bucket, std::string key, std::optional<std::string> version_id,
                    store::LockContext l, std::function<Result<void>(store::ObjectRecord&)> mutate,
                    store::Callback<void> done) override {
    inner_.UpdateObject(std::move(bucket), std::move(key), std::move(version_id), std::move(l),
                        std::move(mutate), std::move(done));
  }
  void PutDocuments(std::vector<store::DocumentWrite> w, store::Callback<void> done) override {
    inner_.PutDocuments(std::move(w), std::move(done));
  }
  void PutDocumentIf(store::DocumentWrite w, std::optional<std::string> expected,
                     store::Callback<bool> done) override {
    inner_.PutDocumentIf(std::move(w), std::move(expected), std::move(done));
  }
  Result<uint64_t> ConfigGeneration() override { return inner_.ConfigGeneration(); }
  void PutDocumentsIf(std::vector<store::DocumentWrite> w, uint64_t generation,
                      store::Callback<uint64_t> done) override {
    inner_.PutDocumentsIf(std::move(w), generation, std::move(done));
  }
  void CreateUpload(store::UploadRecord u, store::Callback<void> done) override {
    inner_.CreateUpload(std::move(u), std::move(done));
  }
  void PutPart(std::string upload_id, store::PartRecord part,
               store::Callback<std::optional<store::BlobRef>> done) override {
    inner_.PutPart(std::move(upload_id), std::move(part), std::move(done));
  }
  void CompleteUpload(store::CompletedUpload c, store::LockContext l,
                      store::Callback<store::PutOutcome> done) override {
    inner_.CompleteUpload(std::move(c), std::move(l), std::move(done));
  }
  void AbortUpload(std::string bucket, std::string key, std::string upload_id,
                   store::Callback<std::vector<store::BlobRef>> done) override {
    inner_.AbortUpload(std::move(bucket), std::move(key), std::move(upload_id), std::move(done));
  }
  Result<std::unordered_set<std::string>> ReferencedBlobIds() override {
    return inner_.ReferencedBlobIds();
  }

 private:
  store::MetadataStore& inner_;
};

class WaitingReadsTest : public testing::HandlerHarness {
 protected:
  WaitingReadsTest() { slow_env_.metadata_reads = &read_threads_; }
  ~WaitingReadsTest() override { read_threads_.join(); }

  // A GET of `key` through Dispatch on slow_env_, as a coroutine of io_ (so that several run at
  // once): the harness's Run, without its run to the end.
  net::awaitable<testing::HarnessAnswer> Get(std::string key) {
    RequestHead head;
    head.method = bhttp::verb::get;
    head.method_string = "GET";
    head.target = std::string("/") + kBucket + "/" + key;
    head.fields.set(bhttp::field::host, "localhost");
    std::vector<HeaderField> headers;
    for (const auto& field : head.fields) headers.push_back({field.name_string(), field.value()});
    sigv4::RequestView view{head.method_string, head.target, headers, {}, {}};
    sigv4::AuthResult auth;
    auth.type = sigv4::AuthType::kHeader;
    kura::testing::PiecewiseBody source("", {1000}, false);
    sigv4::VerifiedBody body(source, auth, view, head.content_length);
    auto request = ParseS3Request(RouteInput{head.method, head.target, "localhost", "", false, false});
    testing::HarnessAnswer answer;
    if (!request) {
      answer.result = request.error();
      co_return answer;
    }
    S3Call call{*request, head, headers, body, answer.response, "request-id",
                [](std::string_view, std::string_view) { return Result<void>(); }};
    answer.result = co_await Dispatch(slow_env_, call);
    co_return answer;
  }

  net::thread_pool read_threads_{2};
  SlowReadStore slow_store_{metadata_};
  S3Env slow_env_{slow_store_, blobs_,    clock_,           pool_,           "us-east-1",
                  "123456789012", random_, resolver_, bucket_policies_, lifecycle_rules_};
};

// One I/O thread (the test's), two GETs: the first one's read waits until the second GET has
// answered. Were the read made on the I/O thread, the second GET could not start until the
// first read gave up (after 10 s), and would answer second.
TEST_F(WaitingReadsTest, ASlowReadDoesNotStallAnotherRequest) {
  ASSERT_TRUE(CreateBucket(kBucket).has_value());
  testing::HarnessRequest put;
  put.method = bhttp::verb::put;
  put.body = "bytes";
  put.target = std::string("/") + kBucket + "/slow";
  ASSERT_TRUE(Run(put).result.has_value());
  put.target = std::string("/") + kBucket + "/fast";
  ASSERT_TRUE(Run(put).result.has_value());

  std::promise<void> fast_answered;
  std::shared_future<void> fast_done = fast_answered.get_future().share();
  std::optional<bool> fast_first;  // set by the slow read
  std::thread::id io_thread = std::this_thread::get_id();
  bool read_on_io_thread = false;
  slow_store_.before_object_read = [&](std::string_view key) {
    if (std::this_thread::get_id() == io_thread) read_on_io_thread = true;
    if (key == "slow") fast_first = fast_done.wait_for(seconds(10)) == std::future_status::ready;
  };

  std::optional<testing::HarnessAnswer> slow, fast;
  net::co_spawn(
      io_,
      [&]() -> net::awaitable<void> { slow = co_await Get("slow"); },
      net::detached);
  net::co_spawn(
      io_,
      [&]() -> net::awaitable<void> {
        fast = co_await Get("fast");
        fast_answered.set_value();
      },
      net::detached);
  io_.restart();
  io_.run();

  ASSERT_TRUE(slow.has_value() && fast.has_value());
  EXPECT_TRUE(slow->result.has_value());
  EXPECT_TRUE(fast->result.has_value());
  EXPECT_EQ(slow->response.sent_body, "bytes");
  EXPECT_EQ(fast->response.sent_body, "bytes");
  EXPECT_TRUE(fast_first.value_or(false));
  EXPECT_FALSE(read_on_io_thread);
}

}  // namespace
}  // namespace kura::s3
