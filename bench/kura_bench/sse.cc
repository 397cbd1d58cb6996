#include "kura_bench/sse.h"

#include <string>

#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::bench {

Result<SseHeaders> SseFor(std::string_view value) {
  SseHeaders sse;
  if (value == "AES256") {
    sse.on_write = {{"x-amz-server-side-encryption", "AES256"}};
    return sse;
  }
  if (value == "kms" || value.starts_with("kms:")) {
    sse.on_write = {{"x-amz-server-side-encryption", "aws:kms"}};
    if (value.size() > 4) {
      sse.on_write.push_back(
          {"x-amz-server-side-encryption-aws-kms-key-id", std::string(value.substr(4))});
    }
    sse.etag_is_md5 = false;
    return sse;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "bad value '" + std::string(value) + "' for --sse (AES256, kms, kms:KEYID)");
}

SseHeaders SseCustomerKey() {
  // Not a secret: a benchmark's key, fixed so that every run can read what another wrote.
  std::string key = Sha256("kura-bench SSE-C key");
  Headers headers = {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                     {"x-amz-server-side-encryption-customer-key", Base64Encode(key)},
                     {"x-amz-server-side-encryption-customer-key-md5", Base64Encode(Md5(key))}};
  return SseHeaders{headers, headers, headers, /*etag_is_md5=*/false};
}

}  // namespace kura::bench
