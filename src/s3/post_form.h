// The multipart/form-data body of a browser POST upload (RFC 7578), read incrementally from the
// request's verified body: the fields before the "file" field are read into memory (bounded), then the file's
// bytes are streamed to a sink. Fields after the file are ignored, as S3 does.
// Errors: kMalformedPOSTRequest (no boundary, a part without a name, the body ends early),
// kMaxPostPreDataLengthExceededError (fields over 64 KiB), kInvalidArgument (no file part, or a
// field repeated).
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// Thread-safety: one reader per body.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <string>
#include <string_view>

#include "common/error.h"
#include "sigv4/verified_body.h"
#include "s3/post_policy.h"

namespace kura::s3 {

// The boundary parameter of a multipart/form-data Content-Type (1–70 characters, optionally
// quoted). Errors: kMalformedPOSTRequest.
Result<std::string> BoundaryOf(std::string_view content_type);

class FormReader {
 public:
  FormReader(sigv4::VerifiedBody& body, std::string boundary)
      : body_(body), delimiter_("\r\n--" + std::move(boundary)) {}

  struct File {
    std::string filename, content_type;
  };

  // Reads every field before the file into `fields` (names lower-cased); returns the file
  // part's headers.
  boost::asio::awaitable<Result<File>> ReadFields(FormFields& fields);

  // Streams the file's bytes to `sink` (which may refuse), up to the next delimiter, then reads
  // the body to its end.
  template <typename Sink>
  boost::asio::awaitable<Result<void>> ReadFile(Sink sink) {
    for (;;) {
      size_t at = buffer_.find(delimiter_);
      if (at != std::string::npos) {
        KURA_CO_TRY(sink(std::string_view(buffer_).substr(0, at)));
        buffer_.erase(0, at + delimiter_.size());
        co_return co_await Drain();
      }
      size_t keep = std::min(buffer_.size(), delimiter_.size());
      KURA_CO_TRY(sink(std::string_view(buffer_).substr(0, buffer_.size() - keep)));
      buffer_.erase(0, buffer_.size() - keep);
      auto more = co_await Read();
      if (!more) co_return more.error();
      if (!*more) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
    }
  }

 private:
  boost::asio::awaitable<Result<bool>> Read();
  boost::asio::awaitable<Result<void>> Fill(size_t n);
  boost::asio::awaitable<Result<std::string>> ReadUntil(std::string_view marker);
  boost::asio::awaitable<Result<void>> SkipPast(std::string_view marker);
  boost::asio::awaitable<Result<void>> Drain();

  sigv4::VerifiedBody& body_;
  std::string delimiter_;
  std::string buffer_;
  size_t field_bytes_ = 0;
};

}  // namespace kura::s3
