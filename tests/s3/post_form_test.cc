// FormReader and BoundaryOf: browser and boto3 forms read field by field with the file streamed,
// whatever the read sizes; malformed bodies refused with S3's MalformedPOSTRequest.
#include "s3/post_form.h"

#include <gtest/gtest.h>

#include "tests/support/memory_exchange.h"

namespace kura::s3 {
namespace {

using kura::testing::UnverifiedBody;
using kura::testing::RunToEnd;

constexpr char kBoundary[] = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

std::string Part(std::string_view name, std::string_view value, std::string_view extra = "") {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
         std::string(name) + "\"" + std::string(extra) + "\r\n\r\n" + std::string(value) + "\r\n";
}

std::string FilePart(std::string_view bytes) {
  return std::string("--") + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
         "Content-Type: image/png\r\n\r\n" + std::string(bytes) + "\r\n";
}

std::string End() { return std::string("--") + kBoundary + "--\r\n"; }

struct Read {
  Result<FormReader::File> file = MakeError(ErrorCode::kInternalError);
  FormFields fields;
  Result<void> streamed = MakeError(ErrorCode::kInternalError);
  std::string bytes;
};

Read ReadForm(std::string_view body, std::vector<size_t> sizes = {1, 5, 64, 3, 4096, 17}) {
  UnverifiedBody unverified(body, std::move(sizes));
  FormReader form(unverified.verified, kBoundary);
  Read out;
  out.file = RunToEnd(form.ReadFields(out.fields));
  if (!out.file) return out;
  out.streamed = RunToEnd(form.ReadFile([&](std::string_view bytes) -> Result<void> {
    out.bytes += bytes;
    return Ok();
  }));
  return out;
}

TEST(PostForm, ReadsFieldsUpToTheFileAndStreamsItWhateverTheReadSizes) {
  std::string file = "\x89PNG\r\n--not the boundary\r\n--";
  std::string body = "preamble\r\n" + Part("key", "user/${filename}") + Part("X-Amz-Meta-Tag", "a\r\nb") +
                     FilePart(file) + Part("after", "ignored") + End();
  for (std::vector<size_t> sizes : {std::vector<size_t>{1}, {2, 7}, {100000}}) {
    Read read = ReadForm(body, sizes);
    ASSERT_TRUE(read.file) << read.file.error().message;
    EXPECT_EQ(read.file->filename, "a.png");
    EXPECT_EQ(read.file->content_type, "image/png");
    EXPECT_EQ(read.fields, (FormFields{{"key", "user/${filename}"}, {"x-amz-meta-tag", "a\r\nb"}}));
    ASSERT_TRUE(read.streamed);
    EXPECT_EQ(read.bytes, file);
  }
}

TEST(PostForm, FindsTheBoundaryInTheContentType) {
  EXPECT_EQ(BoundaryOf("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(BoundaryOf("multipart/form-data; boundary=\"a b\"; charset=utf-8").value(), "a b");
  for (const char* bad : {"multipart/form-data", "multipart/form-data; boundary=", "boundary=\"\"",
                          "multipart/form-data; boundary=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
    auto boundary = BoundaryOf(bad);
    ASSERT_FALSE(boundary) << bad;
    EXPECT_EQ(boundary.error().code, ErrorCode::kMalformedPOSTRequest) << bad;
  }
}

TEST(PostForm, RefusesGarbageAsMalformedPostRequest) {
  std::string nameless = std::string("--") + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nv\r\n" + End();
  std::string lf_only = std::string("--") + kBoundary + "\nContent-Disposition: form-data; name=\"key\"\n\nv\n";
  std::string truncated = Part("key", "k") + FilePart("data").substr(0, 120);
  for (const std::string& body : {std::string(), std::string("not a form at all"), nameless, lf_only, truncated}) {
    Read read = ReadForm(body);
    Error error = read.file ? read.streamed.error() : read.file.error();
    ASSERT_FALSE(read.file && read.streamed) << body;
    EXPECT_EQ(error.code, ErrorCode::kMalformedPOSTRequest) << body;
  }
}

TEST(PostForm, AFormWithoutFileIsInvalidArgumentAndHugeFieldsAreRefused) {
  Read no_file = ReadForm(Part("key", "k") + End());
  ASSERT_FALSE(no_file.file);
  EXPECT_EQ(no_file.file.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_file.file.error().message, "POST requires exactly one file upload per request.");
  Read huge = ReadForm(Part("x-amz-meta-big", std::string(70000, 'A')) + FilePart("x") + End());
  ASSERT_FALSE(huge.file);
  EXPECT_EQ(huge.file.error().code, ErrorCode::kMaxPostPreDataLengthExceededError);
}

TEST(PostForm, RefusesAFieldSentTwiceWhateverItsCase) {
  for (std::string_view second : {"policy", "Policy", "X-Amz-Signature"}) {
    std::string first = second == "X-Amz-Signature" ? "x-amz-signature" : "policy";
    Read read = ReadForm(Part("key", "k") + Part(first, "one") + Part(second, "two") +
                         FilePart("x") + End());
    ASSERT_FALSE(read.file) << second;
    EXPECT_EQ(read.file.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace kura::s3
