#include "s3/object_encryption.h"

#include <gtest/gtest.h>

#include <map>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/random.h"

namespace kura::s3 {
namespace {

using Headers = std::map<std::string, std::string>;

HeaderLookup LookupIn(const Headers& headers) {
  return [&headers](std::string_view name) -> std::string_view {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
}

const std::string kKey(32, 'k');

Headers CustomerKeyHeaders(std::string_view prefix = "x-amz-") {
  std::string p(prefix);
  return {{p + "server-side-encryption-customer-algorithm", "AES256"},
          {p + "server-side-encryption-customer-key", Base64Encode(kKey)},
          {p + "server-side-encryption-customer-key-md5", Base64Encode(Md5(kKey))}};
}

Result<WriteEncryption> Requested(const Headers& headers, std::string_view bucket_default = "") {
  return RequestedEncryption(LookupIn(headers), /*secure_transport=*/true,
                             /*allow_plain_http=*/false, bucket_default, "b", "k");
}

TEST(ObjectEncryption, RoundTripsEveryField) {
  ObjectEncryption e;
  e.mode = SseMode::kKms;
  e.kms_key_id = "arn:aws:kms:us-east-1:123456789012:key/abc";
  e.kms_context = {{"aws:s3:arn", "arn:aws:s3:::b/k"}, {"team", "line\nbreak"}};
  e.bucket_key_enabled = true;
  EXPECT_EQ(DecodeObjectEncryption(EncodeObjectEncryption(e)), e);
  EXPECT_EQ(EncodeObjectEncryption(ObjectEncryption{}), "");
  EXPECT_EQ(DecodeObjectEncryption(""), ObjectEncryption{});
  EXPECT_FALSE(DecodeObjectEncryption("sse1\nrot13\n0\n\n\n\n"));
  EXPECT_FALSE(DecodeObjectEncryption("sse2\nAES256\n0\n\n\n\n"));
}

TEST(ObjectEncryption, NoHeadersTakeTheBucketDefault) {
  EXPECT_EQ(Requested({})->stored.mode, SseMode::kNone);
  ObjectEncryption kms_default{.mode = SseMode::kKms, .kms_key_id = "alias/team"};
  auto wanted = Requested({}, EncodeObjectEncryption(kms_default));
  ASSERT_TRUE(wanted);
  EXPECT_EQ(wanted->stored.kms_key_id, "alias/team");
  EXPECT_EQ(wanted->stored.kms_context.at("aws:s3:arn"), "arn:aws:s3:::b/k");
}

TEST(ObjectEncryption, ConflictsAndUnknownMethodsAreRefused) {
  EXPECT_EQ(Requested({{"x-amz-server-side-encryption", "DES"}}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Requested({{"x-amz-server-side-encryption", "aws:kms:dsse"}}).error().code, ErrorCode::kNotImplemented);
  EXPECT_EQ(Requested({{"x-amz-server-side-encryption", "AES256"},
                       {"x-amz-server-side-encryption-aws-kms-key-id", "k"}}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Requested({{"x-amz-server-side-encryption-aws-kms-key-id", "k"}}).error().code,
            ErrorCode::kInvalidArgument);
  Headers both = CustomerKeyHeaders();
  both["x-amz-server-side-encryption"] = "AES256";
  EXPECT_EQ(Requested(both).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Requested({{"x-amz-server-side-encryption", "aws:kms"},
                       {"x-amz-server-side-encryption-context", "bm90IGpzb24="}}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(ObjectEncryption, CustomerKeysAreCheckedAndNeedTls) {
  auto wanted = Requested(CustomerKeyHeaders());
  ASSERT_TRUE(wanted);
  EXPECT_EQ(wanted->stored.mode, SseMode::kCustomer);
  EXPECT_EQ(wanted->customer_key->key.Reveal(), kKey);

  Headers bad_md5 = CustomerKeyHeaders();
  bad_md5["x-amz-server-side-encryption-customer-key-md5"] = Base64Encode(Md5("other"));
  EXPECT_EQ(Requested(bad_md5).error().code, ErrorCode::kInvalidArgument);
  Headers bad_algorithm = CustomerKeyHeaders();
  bad_algorithm["x-amz-server-side-encryption-customer-algorithm"] = "AES128";
  EXPECT_EQ(Requested(bad_algorithm).error().code, ErrorCode::kInvalidEncryptionAlgorithmError);
  Headers plain = CustomerKeyHeaders();
  EXPECT_EQ(RequestedEncryption(LookupIn(plain), false, false, "", "b", "k").error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_TRUE(RequestedEncryption(LookupIn(plain), false, true, "", "b", "k"));
}

TEST(ObjectEncryption, ReadsMustPresentTheWritersKey) {
  FakeRandom random(3);
  ObjectEncryption stored{.mode = SseMode::kCustomer};
  Headers headers = CustomerKeyHeaders();
  stored.customer_key_check = CustomerKeyCheckOf(*Requested(headers)->customer_key, random);
  EXPECT_EQ(stored.customer_key_check.find(Base64Encode(kKey)), std::string::npos);

  auto read = CustomerKeyForRead(LookupIn(headers), KeyHeaders::kObject, true, false, stored);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->has_value());
  EXPECT_EQ(CustomerKeyForRead(LookupIn({}), KeyHeaders::kObject, true, false, stored).error().code,
            ErrorCode::kInvalidRequest);
  const std::string other(32, 'o');
  Headers wrong = {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                   {"x-amz-server-side-encryption-customer-key", Base64Encode(other)},
                   {"x-amz-server-side-encryption-customer-key-md5", Base64Encode(Md5(other))}};
  EXPECT_EQ(CustomerKeyForRead(LookupIn(wrong), KeyHeaders::kObject, true, false, stored).error().code,
            ErrorCode::kAccessDenied);
  Headers source = CustomerKeyHeaders("x-amz-copy-source-");
  EXPECT_TRUE(CustomerKeyForRead(LookupIn(source), KeyHeaders::kCopySource, true, false, stored));
  EXPECT_EQ(CustomerKeyForRead(LookupIn(headers), KeyHeaders::kObject, true, false, ObjectEncryption{})
                .error().code,
            ErrorCode::kInvalidRequest);
}

TEST(ObjectEncryption, ResponseHeadersNameTheMethod) {
  ResponseHead head;
  SetEncryptionHeaders({.mode = SseMode::kKms, .kms_key_id = "arn:k", .bucket_key_enabled = true}, false, head);
  EXPECT_EQ(head.fields["x-amz-server-side-encryption"], "aws:kms");
  EXPECT_EQ(head.fields["x-amz-server-side-encryption-aws-kms-key-id"], "arn:k");
  EXPECT_EQ(head.fields["x-amz-server-side-encryption-bucket-key-enabled"], "true");
}

}  // namespace
}  // namespace kura::s3
