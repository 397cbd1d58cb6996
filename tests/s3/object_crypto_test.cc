// Encrypted objects through the handlers (s3/object_crypto.h), with a fake KeyProvider: what is
// stored is never the plaintext, every mode reads back (whole, ranges, parts, copies between
// modes), SSE-KMS authorizes kms:GenerateDataKey / kms:Decrypt on the key ARN, and a disabled
// KMS key makes its objects unreadable until it is enabled again.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "s3/object_encryption.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

constexpr char kBucket[] = "bucket";
constexpr char kKeyArn[] = "arn:aws:kms:us-east-1:123456789012:key/1111";

// Seals data keys with AES-GCM under one fixed key per KMS key (and one master key); counts
// nonces so none repeats.
class FakeKeys final : public kms::KeyProvider {
 public:
  Result<kms::DataKey> NewMasterSealedKey() override { return Seal("master", ""); }
  Result<Secret> OpenMasterSealedKey(std::string_view sealed) override {
    return Open("master", sealed, "");
  }
  Result<std::string> ResolveKeyArn(std::string_view, std::string_view key_id) override {
    if (key_id.empty() || key_id == "1111" || key_id == kKeyArn) return std::string(kKeyArn);
    return MakeError(ErrorCode::kS3KmsNotFound);
  }
  Result<kms::DataKey> GenerateDataKey(std::string_view arn,
                                       const kms::EncryptionContext& context) override {
    if (disabled.count(std::string(arn))) return MakeError(ErrorCode::kS3KmsDisabled);
    return Seal(arn, EncodeContextHeader(context));
  }
  Result<Secret> Decrypt(std::string_view arn, std::string_view sealed,
                         const kms::EncryptionContext& context) override {
    if (disabled.count(std::string(arn))) return MakeError(ErrorCode::kS3KmsDisabled);
    return Open(arn, sealed, EncodeContextHeader(context));
  }

  std::set<std::string> disabled;

 private:
  static std::string KeyOf(std::string_view name) { return Sha256(name); }
  Result<kms::DataKey> Seal(std::string_view name, std::string_view aad) {
    std::string nonce(kAesGcmNonceBytes, '\0');
    nonce.replace(0, 8, std::to_string(10000000 + counter_++));
    kms::DataKey key;
    key.plaintext = Secret(Sha256("data key " + std::to_string(counter_)));
    key.sealed = nonce + AesGcmSeal(KeyOf(name), nonce, key.plaintext.Reveal(), aad);
    return key;
  }
  Result<Secret> Open(std::string_view name, std::string_view sealed, std::string_view aad) {
    if (sealed.size() < kAesGcmNonceBytes) return MakeError(ErrorCode::kInternalError);
    auto opened = AesGcmOpen(KeyOf(name), sealed.substr(0, kAesGcmNonceBytes),
                             sealed.substr(kAesGcmNonceBytes), aad);
    if (!opened) return MakeError(ErrorCode::kInternalError);
    return Secret(std::move(*opened));
  }
  int counter_ = 0;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string Pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 5000) % 26);
  return out;
}

Headers SseC(char fill = 'c') {
  std::string key(32, fill);
  return {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
          {"x-amz-server-side-encryption-customer-key", Base64Encode(key)},
          {"x-amz-server-side-encryption-customer-key-MD5", Base64Encode(Md5(key))}};
}

class ObjectCryptoTest : public testing::HandlerHarness {
 protected:
  ObjectCryptoTest() {
    env_.keys = &keys_;
    env_.sse_c_over_http = true;
    EXPECT_TRUE(CreateBucket(kBucket).has_value());
  }

  testing::HarnessAnswer Call(bhttp::verb method, std::string target, Headers headers = {},
                              std::string body = "") {
    testing::HarnessRequest r;
    r.method = method;
    r.target = std::string("/") + kBucket + target;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return Run(r);
  }
  static std::string Header(const testing::HarnessAnswer& a, std::string_view name) {
    return a.response.sent_head ? std::string(a.response.sent_head->fields[name]) : "";
  }
  std::string StoredBytes(const std::string& key) {
    auto object = metadata_.GetObject(kBucket, key, std::nullopt);
    EXPECT_TRUE(object.has_value());
    if (!object) return "";
    if (object->blob.kind == store::BlobRef::Kind::kInline) return object->blob.inline_data;
    store::BlobRef raw = object->blob;
    raw.size = raw.size + 100000;  // the stored form is longer than the plaintext
    auto reader = blobs_.Open(raw);
    std::string out(raw.size, '\0');
    auto got = (*reader)->ReadAt(0, std::span<char>(out.data(), out.size()));
    out.resize(*got);
    return out;
  }

  FakeKeys keys_;
};

TEST_F(ObjectCryptoTest, SseS3StoresCiphertextAndReadsBackWithTheMd5AsEtag) {
  for (size_t size : {size_t{0}, size_t{100}, size_t{65536}, size_t{300000}}) {
    std::string data = Pattern(size);
    std::string key = "s3-" + std::to_string(size);
    auto put =
        Call(bhttp::verb::put, "/" + key, {{"x-amz-server-side-encryption", "AES256"}}, data);
    ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
    EXPECT_EQ(Header(put, "x-amz-server-side-encryption"), "AES256");
    EXPECT_EQ(Header(put, "ETag"), "\"" + HexLower(Md5(data)) + "\"");
    if (size >= 100) {
      EXPECT_EQ(StoredBytes(key).find(data.substr(0, 64)), std::string::npos) << size;
    }
    auto got = Call(bhttp::verb::get, "/" + key);
    ASSERT_TRUE(got.result.has_value()) << got.result.error().message;
    EXPECT_TRUE(got.response.sent_body == data) << size;
    EXPECT_EQ(Header(got, "x-amz-server-side-encryption"), "AES256");
  }
}

TEST_F(ObjectCryptoTest, RangesDecryptAcrossSegmentEdges) {
  std::string data = Pattern(3 * 65536 + 7);
  ASSERT_TRUE(
      Call(bhttp::verb::put, "/r", {{"x-amz-server-side-encryption", "AES256"}}, data).result);
  for (auto [first, last] :
       std::vector<std::pair<size_t, size_t>>{{0, 0}, {65535, 65536}, {10, 3 * 65536 + 6}}) {
    auto got = Call(bhttp::verb::get, "/r",
                    {{"Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)}});
    ASSERT_TRUE(got.result.has_value());
    EXPECT_EQ(got.response.sent_body, data.substr(first, last - first + 1));
  }
}

TEST_F(ObjectCryptoTest, SseKmsAuthorizesTheKeyAndHidesTheMd5) {
  std::string data = Pattern(100000);
  auto put = Call(bhttp::verb::put, "/k",
                  {{"x-amz-server-side-encryption", "aws:kms"},
                   {"x-amz-server-side-encryption-aws-kms-key-id", "1111"}},
                  data);
  ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
  EXPECT_EQ(Header(put, "x-amz-server-side-encryption-aws-kms-key-id"), kKeyArn);
  EXPECT_NE(Header(put, "ETag"), "\"" + HexLower(Md5(data)) + "\"");
  EXPECT_NE(std::find(authorized_.begin(), authorized_.end(),
                      std::pair<std::string, std::string>("kms:GenerateDataKey", kKeyArn)),
            authorized_.end());
  authorized_.clear();
  auto got = Call(bhttp::verb::get, "/k");
  ASSERT_TRUE(got.result.has_value());
  EXPECT_TRUE(got.response.sent_body == data);
  EXPECT_EQ(Header(got, "ETag"), Header(put, "ETag"));
  EXPECT_NE(std::find(authorized_.begin(), authorized_.end(),
                      std::pair<std::string, std::string>("kms:Decrypt", kKeyArn)),
            authorized_.end());

  authorize_ = [](std::string_view action, std::string_view) -> Result<void> {
    if (action == "kms:Decrypt") return MakeError(ErrorCode::kAccessDenied);
    return Ok();
  };
  auto denied = Call(bhttp::verb::get, "/k");
  ASSERT_FALSE(denied.result.has_value());
  EXPECT_EQ(denied.result.error().code, ErrorCode::kAccessDenied);
  // A HEAD decrypts nothing.
  auto head = Call(bhttp::verb::head, "/k");
  ASSERT_TRUE(head.result.has_value());
  EXPECT_EQ(Header(head, "x-amz-server-side-encryption"), "aws:kms");
}

TEST_F(ObjectCryptoTest, ADisabledKmsKeyMakesItsObjectsUnreadableUntilEnabled) {
  std::string data = Pattern(1000);
  ASSERT_TRUE(
      Call(bhttp::verb::put, "/k", {{"x-amz-server-side-encryption", "aws:kms"}}, data).result);
  keys_.disabled.insert(kKeyArn);
  auto got = Call(bhttp::verb::get, "/k");
  ASSERT_FALSE(got.result.has_value());
  EXPECT_EQ(got.result.error().code, ErrorCode::kS3KmsDisabled);
  EXPECT_FALSE(got.response.sent_head.has_value());
  keys_.disabled.clear();
  EXPECT_EQ(Call(bhttp::verb::get, "/k").response.sent_body, data);
}

TEST_F(ObjectCryptoTest, RefusesSseS3WithoutAKeyService) {
  env_.keys = nullptr;
  auto put = Call(bhttp::verb::put, "/k", {{"x-amz-server-side-encryption", "AES256"}}, "x");
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kNotImplemented);
}

TEST_F(ObjectCryptoTest, CopiesBetweenAnyTwoModes) {
  std::string data = Pattern(150000);
  ASSERT_TRUE(
      Call(bhttp::verb::put, "/src", {{"x-amz-server-side-encryption", "AES256"}}, data).result);
  Headers to_kms = {{"x-amz-copy-source", std::string("/") + kBucket + "/src"},
                    {"x-amz-server-side-encryption", "aws:kms"}};
  auto copied = Call(bhttp::verb::put, "/kms", to_kms);
  ASSERT_TRUE(copied.result.has_value()) << copied.result.error().message;
  EXPECT_EQ(Header(copied, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_TRUE(Call(bhttp::verb::get, "/kms").response.sent_body == data);
  Headers to_c = SseC();
  to_c.push_back({"x-amz-copy-source", std::string("/") + kBucket + "/kms"});
  ASSERT_TRUE(Call(bhttp::verb::put, "/c", to_c).result);
  Headers to_plain = {
      {"x-amz-copy-source", std::string("/") + kBucket + "/c"},
      {"x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256"},
      {"x-amz-copy-source-server-side-encryption-customer-key", Base64Encode(std::string(32, 'c'))},
      {"x-amz-copy-source-server-side-encryption-customer-key-MD5",
       Base64Encode(Md5(std::string(32, 'c')))}};
  ASSERT_TRUE(Call(bhttp::verb::put, "/plain", to_plain).result);
  EXPECT_TRUE(StoredBytes("plain") == data);
  EXPECT_TRUE(Call(bhttp::verb::get, "/c", SseC()).response.sent_body == data);
}

TEST_F(ObjectCryptoTest, MultipartPartsHaveTheirOwnKeysAndReadAsOne) {
  auto created = Call(bhttp::verb::post, "/mp?uploads", SseC());
  ASSERT_TRUE(created.result.has_value());
  const std::string& xml = created.response.sent_body;
  size_t start = xml.find("<UploadId>") + 10;
  std::string upload = xml.substr(start, xml.find("</UploadId>") - start);
  std::string one = Pattern(5 * 1024 * 1024), two = Pattern(70000);
  auto wrong = Call(bhttp::verb::put, "/mp?partNumber=1&uploadId=" + upload, SseC('d'), one);
  ASSERT_FALSE(wrong.result.has_value());
  EXPECT_EQ(wrong.result.error().code, ErrorCode::kAccessDenied);
  auto p1 = Call(bhttp::verb::put, "/mp?partNumber=1&uploadId=" + upload, SseC(), one);
  auto p2 = Call(bhttp::verb::put, "/mp?partNumber=2&uploadId=" + upload, SseC(), two);
  ASSERT_TRUE(p1.result.has_value() && p2.result.has_value());
  std::string list = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                     Header(p1, "ETag") + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" +
                     Header(p2, "ETag") + "</ETag></Part></CompleteMultipartUpload>";
  auto done = Call(bhttp::verb::post, "/mp?uploadId=" + upload, {}, list);
  ASSERT_TRUE(done.result.has_value()) << done.result.error().message;
  EXPECT_TRUE(Call(bhttp::verb::get, "/mp", SseC()).response.sent_body == one + two);
  EXPECT_TRUE(Call(bhttp::verb::get, "/mp?partNumber=2", SseC()).response.sent_body == two);
  Headers ranged = SseC();
  ranged.push_back(
      {"Range", "bytes=" + std::to_string(one.size() - 5) + "-" + std::to_string(one.size() + 4)});
  EXPECT_EQ(Call(bhttp::verb::get, "/mp", ranged).response.sent_body,
            (one + two).substr(one.size() - 5, 10));
  auto missing = Call(bhttp::verb::get, "/mp");
  ASSERT_FALSE(missing.result.has_value());
  EXPECT_EQ(missing.result.error().code, ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace kura::s3

namespace kura::s3 {
namespace {

TEST_F(ObjectCryptoTest, CompletingAnSseKmsUploadNeedsKmsDecrypt) {
  auto created =
      Call(bhttp::verb::post, "/mk?uploads", {{"x-amz-server-side-encryption", "aws:kms"}});
  ASSERT_TRUE(created.result.has_value());
  const std::string& xml = created.response.sent_body;
  size_t start = xml.find("<UploadId>") + 10;
  std::string upload = xml.substr(start, xml.find("</UploadId>") - start);
  auto part = Call(bhttp::verb::put, "/mk?partNumber=1&uploadId=" + upload, {}, "only part");
  ASSERT_TRUE(part.result.has_value());
  std::string list = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                     Header(part, "ETag") + "</ETag></Part></CompleteMultipartUpload>";
  authorize_ = [](std::string_view action, std::string_view) -> Result<void> {
    if (action == "kms:Decrypt") return MakeError(ErrorCode::kAccessDenied);
    return Ok();
  };
  auto denied = Call(bhttp::verb::post, "/mk?uploadId=" + upload, {}, list);
  ASSERT_FALSE(denied.result.has_value());
  EXPECT_EQ(denied.result.error().code, ErrorCode::kAccessDenied);
  authorize_ = [](std::string_view, std::string_view) { return Result<void>(); };
  auto done = Call(bhttp::verb::post, "/mk?uploadId=" + upload, {}, list);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(Header(done, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(Call(bhttp::verb::get, "/mk").response.sent_body, "only part");
}

}  // namespace
}  // namespace kura::s3
