// Encrypted-blob throughput on one core: the encrypting writer taking a body through
// PrepareAppend/CommitAppend as a PUT does, and the decrypting reader in 1 MiB reads as a GET
// sends (aligned: each segment decrypted straight into the caller's buffer), plus a 1 MiB
// range from the middle at an unaligned offset.
#include <benchmark/benchmark.h>

#include <cstring>

#include "tests/crypt/blob_test_util.h"

namespace kura::crypt {
namespace {

constexpr size_t kBlobBytes = 64 << 20;

// A writer that keeps nothing (the disk is not what is measured), with a 1 MiB staging buffer
// like the file writer's.
class DiscardingWriter final : public store::BlobWriter {
 public:
  DiscardingWriter() : staging_(1 << 20) {}
  Result<void> Append(std::string_view bytes) override {
    size_ += bytes.size();
    return Ok();
  }
  Result<std::span<char>> PrepareAppend() override { return std::span<char>(staging_); }
  Result<void> CommitAppend(size_t n) override {
    size_ += n;
    return Ok();
  }
  Result<store::BlobRef> Seal() override { return store::BlobRef{}; }
  uint64_t size() const override { return size_; }

 private:
  std::vector<char> staging_;
  uint64_t size_ = 0;
};

void BM_Encrypt(benchmark::State& state) {
  std::string body = testing::PatternBytes(1 << 20);
  for (auto _ : state) {
    auto writer =
        NewEncryptingWriter(std::make_unique<DiscardingWriter>(), testing::TestKey(), "sealed");
    for (size_t done = 0; done < kBlobBytes;) {
      auto space = (*writer)->PrepareAppend();
      size_t n = std::min(space->size(), body.size());
      std::memcpy(space->data(), body.data(), n);
      (void)(*writer)->CommitAppend(n);
      done += n;
    }
    benchmark::DoNotOptimize((*writer)->Seal());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBlobBytes));
}
BENCHMARK(BM_Encrypt)->Unit(benchmark::kMillisecond);

void BM_Decrypt(benchmark::State& state) {
  std::string stored = testing::Encrypt(testing::PatternBytes(kBlobBytes), 1 << 20);
  std::vector<char> buffer(1 << 20);
  auto reader = testing::Decryptor(stored, kBlobBytes);
  for (auto _ : state) {
    for (uint64_t offset = 0; offset < kBlobBytes;) {
      auto got = (*reader)->ReadAt(offset, std::span<char>(buffer));
      offset += *got;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBlobBytes));
}
BENCHMARK(BM_Decrypt)->Unit(benchmark::kMillisecond);

void BM_DecryptMiddleMiB(benchmark::State& state) {
  std::string stored = testing::Encrypt(testing::PatternBytes(kBlobBytes), 1 << 20);
  std::vector<char> buffer(1 << 20);
  auto reader = testing::Decryptor(stored, kBlobBytes);
  for (auto _ : state) {
    uint64_t offset = kBlobBytes / 2 + 12345;
    for (uint64_t left = 1 << 20; left > 0;) {
      auto got = (*reader)->ReadAt(offset, std::span<char>(buffer.data(), left));
      offset += *got;
      left -= *got;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (1 << 20)));
}
BENCHMARK(BM_DecryptMiddleMiB)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kura::crypt
