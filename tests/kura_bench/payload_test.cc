#include "kura_bench/payload.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/encoding.h"
#include "kura_bench/body_stream.h"

namespace kura::bench {
namespace {

std::string Drain(BodyStream& body) {
  std::string out;
  for (std::string_view piece = body.Peek(); !piece.empty(); piece = body.Peek()) {
    size_t n = std::min<size_t>(piece.size(), 1000);  // advance in odd steps, like short writes
    out.append(piece.substr(0, n));
    body.Advance(n);
  }
  return out;
}

TEST(Payload, RepeatsTheBlockAcrossItsBoundary) {
  std::string_view tail = PatternSlice(kPatternBlockSize - 3, 10);
  EXPECT_EQ(tail.size(), 3u);
  EXPECT_EQ(PatternSlice(kPatternBlockSize, 5), PatternSlice(0, 5));
}

TEST(Payload, DigestsMatchThoseOfTheMaterializedBytes) {
  uint64_t length = kPatternBlockSize + 12345;
  PayloadDigests d = ComputeDigests(0, length, {.sha256 = true, .md5 = true, .chunk_size = 0});
  auto body = MakePatternBody(0, length);
  std::string bytes = Drain(*body);
  ASSERT_EQ(bytes.size(), length);
  EXPECT_EQ(d.sha256_hex, Sha256Hex(bytes));
  EXPECT_EQ(d.md5_hex, HexLower(Md5(bytes)));
  EXPECT_EQ(d.crc32c, Crc32c(0, bytes));
  EXPECT_EQ(Crc32c(Crc32c(0, bytes.substr(0, 7)), bytes.substr(7)), Crc32c(0, bytes));
}

TEST(Payload, IsNotCompressibleByRepetitionWithinTheBlock) {
  std::string_view block = PatternSlice(0, kPatternBlockSize);
  EXPECT_EQ(block.find(block.substr(0, 16), 1), std::string_view::npos);
}

TEST(AwsChunkedBody, FramesChunksWithChainedSignaturesAndTheAnnouncedLength) {
  Signer signer({"AKIDEXAMPLE", "secret", ""}, "us-east-1", "s3");
  SignableRequest request{"PUT", "/b/k", {}, {{"Host", "h"}}, std::string(kStreamingPayload)};
  Signature seed = signer.Sign(request, TimePoint{});
  uint64_t length = 150000;
  uint64_t chunk = 65536;
  PayloadDigests d = ComputeDigests(0, length, {.chunk_size = chunk});
  auto body = MakeAwsChunkedBody(0, d, chunk, signer, seed);
  std::string wire = Drain(*body);
  EXPECT_EQ(wire.size(), body->content_length());
  EXPECT_EQ(wire.size(), AwsChunkedLength(length, chunk));

  std::string sig1 = signer.ChunkSignature(seed, seed.signature, d.chunk_sha256_hex[0]);
  EXPECT_TRUE(wire.starts_with("10000;chunk-signature=" + sig1 + "\r\n"));
  std::string sig2 = signer.ChunkSignature(seed, sig1, d.chunk_sha256_hex[1]);
  std::string sig3 = signer.ChunkSignature(seed, sig2, d.chunk_sha256_hex[2]);
  std::string sig4 = signer.ChunkSignature(seed, sig3, kEmptySha256);
  EXPECT_NE(wire.find("\r\n10000;chunk-signature=" + sig2 + "\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\n49f0;chunk-signature=" + sig3 + "\r\n"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n0;chunk-signature=" + sig4 + "\r\n\r\n"));
  size_t data_start = wire.find("\r\n") + 2;
  EXPECT_EQ(wire.substr(data_start, 100), PatternSlice(0, 100));
}

TEST(AwsChunkedBody, SendsOnlyTheFinalChunkForAnEmptyBody) {
  Signer signer({"AKIDEXAMPLE", "secret", ""}, "us-east-1", "s3");
  SignableRequest request{"PUT", "/b/k", {}, {{"Host", "h"}}, std::string(kStreamingPayload)};
  Signature seed = signer.Sign(request, TimePoint{});
  PayloadDigests d = ComputeDigests(0, 0, {.chunk_size = 65536});
  auto body = MakeAwsChunkedBody(0, d, 65536, signer, seed);
  std::string wire = Drain(*body);
  EXPECT_EQ(wire, "0;chunk-signature=" + signer.ChunkSignature(seed, seed.signature, kEmptySha256) +
                      "\r\n\r\n");
  EXPECT_EQ(wire.size(), AwsChunkedLength(0, 65536));
}

}  // namespace
}  // namespace kura::bench
