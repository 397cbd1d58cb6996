// The signer against the S3 examples of the AWS documentation: GET Object
// (sig-v4-header-based-auth) and the aws-chunked PUT Object example (sigv4-streaming), which
// together fix the seed signature and the chain of chunk signatures.
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/time_format.h"
#include "kura_bench/signer.h"

namespace kura::bench {
namespace {

const Credentials kDocCredentials{"AKIAIOSFODNN7EXAMPLE",
                                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

TimePoint DocTime() { return *ParseAmzDate("20130524T000000Z"); }

TEST(SignerS3, SignsTheDocumentedGetObjectExample) {
  Signer signer(kDocCredentials, "us-east-1", "s3");
  SignableRequest request{"GET", "/test.txt", {}, {}, std::string(kEmptySha256)};
  request.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Range", "bytes=0-9"},
                     {"x-amz-content-sha256", std::string(kEmptySha256)}};
  Signature sig = signer.Sign(request, DocTime());
  EXPECT_EQ(sig.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(sig.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SignerS3, ChainsTheDocumentedChunkSignatures) {
  Signer signer(kDocCredentials, "us-east-1", "s3");
  SignableRequest request{"PUT", "/examplebucket/chunkObject.txt", {}, {},
                          std::string(kStreamingPayload)};
  request.headers = {{"Host", "s3.amazonaws.com"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                     {"x-amz-content-sha256", std::string(kStreamingPayload)},
                     {"Content-Encoding", "aws-chunked"},
                     {"x-amz-decoded-content-length", "66560"},
                     {"Content-Length", "66824"}};
  Signature seed = signer.Sign(request, DocTime());
  EXPECT_EQ(seed.signature, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");

  std::string first = signer.ChunkSignature(seed, seed.signature,
                                            Sha256Hex(std::string(65536, 'a')));
  EXPECT_EQ(first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  std::string second = signer.ChunkSignature(seed, first, Sha256Hex(std::string(1024, 'a')));
  EXPECT_EQ(second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  std::string last = signer.ChunkSignature(seed, second, kEmptySha256);
  EXPECT_EQ(last, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
}

TEST(SignerS3, EncodesKeysOnceInTheCanonicalUri) {
  EXPECT_EQ(CanonicalUri("/bucket/a b/c%d", false), "/bucket/a%20b/c%25d");
  EXPECT_EQ(CanonicalUri("/bucket//x/../y", false), "/bucket//x/../y");
}

TEST(SignerS3, ReusesTheSigningKeyAcrossRequestsOfOneDay) {
  Signer signer(kDocCredentials, "us-east-1", "s3");
  for (int i = 0; i < 3; ++i) {
    SignableRequest request{"GET", "/test.txt", {}, {}, std::string(kEmptySha256)};
    request.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                       {"Range", "bytes=0-9"},
                       {"x-amz-content-sha256", std::string(kEmptySha256)}};
    EXPECT_EQ(signer.Sign(request, DocTime()).signature,
              "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }
}

}  // namespace
}  // namespace kura::bench
