#include "s3/post_form.h"

#include "common/text.h"

namespace kura::s3 {
namespace {

namespace net = boost::asio;

constexpr size_t kMaxFieldBytes = 64 * 1024;  // all fields before the file, as S3 bounds them

// The value of `param` ("name", "filename") in a Content-Disposition header.
std::string DispositionParam(std::string_view header, std::string_view param) {
  std::string needle = std::string(param) + "=\"";
  size_t at = 0;
  while ((at = header.find(needle, at)) != std::string_view::npos) {
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
      size_t start = at + needle.size();
      size_t end = header.find('"', start);
      if (end == std::string_view::npos) return {};
      return std::string(header.substr(start, end - start));
    }
    at += needle.size();
  }
  return {};
}

}  // namespace

Result<std::string> BoundaryOf(std::string_view content_type) {
  size_t at = content_type.find("boundary=");
  if (at == std::string_view::npos) return MakeError(ErrorCode::kMalformedPOSTRequest);
  std::string_view b = content_type.substr(at + 9);
  b = b.substr(0, b.find(';'));
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  if (b.empty() || b.size() > 70) return MakeError(ErrorCode::kMalformedPOSTRequest);
  return std::string(b);
}

net::awaitable<Result<FormReader::File>> FormReader::ReadFields(FormFields& fields) {
  buffer_ = "\r\n";  // so the first boundary looks like every other delimiter
  KURA_CO_TRY(co_await SkipPast(delimiter_));
  for (;;) {
    KURA_CO_TRY(co_await Fill(2));
    if (std::string_view(buffer_).starts_with("--")) co_return MakeError(ErrorCode::kInvalidArgument, "POST requires exactly one file upload per request.");
    KURA_CO_TRY(co_await SkipPast("\r\n"));
    auto headers = co_await ReadUntil("\r\n\r\n");
    if (!headers) co_return headers.error();
    std::string disposition, content_type;
    for (std::string_view rest = *headers; !rest.empty();) {
      size_t eol = rest.find("\r\n");
      std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = AsciiLower(line.substr(0, colon));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (name == "content-disposition") disposition = value;
      if (name == "content-type") content_type = value;
    }
    std::string name = AsciiLower(DispositionParam(disposition, "name"));
    if (name.empty()) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
    if (name == "file") co_return File{DispositionParam(disposition, "filename"), content_type};
    auto value = co_await ReadUntil(delimiter_);
    if (!value) co_return value.error();
    // A field sent twice (names compare case-insensitively) is refused rather than letting the
    // signature check, the policy check and the upload each pick a copy.
    auto [it, added] = fields.try_emplace(name, std::move(*value));
    if (!added) {
      co_return MakeError(ErrorCode::kInvalidArgument,
                          "POST form field " + name + " may appear only once");
    }
    if ((field_bytes_ += it->second.size() + name.size()) > kMaxFieldBytes) {
      co_return MakeError(ErrorCode::kMaxPostPreDataLengthExceededError);
    }
  }
}

net::awaitable<Result<bool>> FormReader::Read() {
  auto piece = co_await body_.ReadPiece();
  if (!piece) co_return piece.error();
  buffer_.append(*piece);
  co_return !piece->empty();
}

net::awaitable<Result<void>> FormReader::Fill(size_t n) {
  while (buffer_.size() < n) {
    auto more = co_await Read();
    if (!more) co_return more.error();
    if (!*more) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
  }
  co_return Ok();
}

net::awaitable<Result<std::string>> FormReader::ReadUntil(std::string_view marker) {
  for (;;) {
    size_t at = buffer_.find(marker);
    if (at != std::string::npos) {
      std::string out = buffer_.substr(0, at);
      buffer_.erase(0, at + marker.size());
      co_return out;
    }
    if (buffer_.size() > kMaxFieldBytes) co_return MakeError(ErrorCode::kMaxPostPreDataLengthExceededError);
    auto more = co_await Read();
    if (!more) co_return more.error();
    if (!*more) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
  }
}

net::awaitable<Result<void>> FormReader::SkipPast(std::string_view marker) {
  auto skipped = co_await ReadUntil(marker);
  if (!skipped) co_return skipped.error();
  co_return Ok();
}

net::awaitable<Result<void>> FormReader::Drain() {
  buffer_.clear();
  for (;;) {
    auto more = co_await Read();
    if (!more) co_return more.error();
    buffer_.clear();
    if (!*more) co_return Ok();
  }
}

}  // namespace kura::s3
