#include "s3/post_object.h"

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "http/async_bridge.h"
#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/object_headers.h"
#include "s3/post_policy.h"
#include "s3/response.h"
#include "s3/store_await.h"
#include "s3/tagging.h"
#include "sigv4/signing_key.h"

namespace kura::s3 {
namespace {

constexpr size_t kMaxFieldBytes = 64 * 1024;  // all fields before the file, as S3 bounds them

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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

// Reads a multipart/form-data body: fields up to the file, then the file's bytes as a stream.
class FormReader {
 public:
  FormReader(S3Call& call, std::string boundary)
      : call_(call), delimiter_("\r\n--" + std::move(boundary)) {}

  struct File {
    std::string filename, content_type;
  };

  // Reads every field before the file into `fields`; returns the file part's headers.
  net::awaitable<Result<File>> ReadFields(FormFields& fields) {
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
        std::string name = Lower(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-disposition") disposition = value;
        if (name == "content-type") content_type = value;
      }
      std::string name = Lower(DispositionParam(disposition, "name"));
      if (name.empty()) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
      if (name == "file") co_return File{DispositionParam(disposition, "filename"), content_type};
      auto value = co_await ReadUntil(delimiter_);
      if (!value) co_return value.error();
      fields[name] = std::move(*value);
      if ((field_bytes_ += fields[name].size() + name.size()) > kMaxFieldBytes) {
        co_return MakeError(ErrorCode::kMaxPostPreDataLengthExceededError);
      }
    }
  }

  // Streams the file's bytes to `sink` (which may refuse), up to the next delimiter.
  template <typename Sink>
  net::awaitable<Result<void>> ReadFile(Sink sink) {
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
  net::awaitable<Result<bool>> Read() {
    auto piece = co_await call_.exchange.ReadBody();
    if (!piece) co_return piece.error();
    buffer_.append(*piece);
    co_return !piece->empty();
  }
  net::awaitable<Result<void>> Fill(size_t n) {
    while (buffer_.size() < n) {
      auto more = co_await Read();
      if (!more) co_return more.error();
      if (!*more) co_return MakeError(ErrorCode::kMalformedPOSTRequest);
    }
    co_return Ok();
  }
  net::awaitable<Result<std::string>> ReadUntil(std::string_view marker) {
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
  net::awaitable<Result<void>> SkipPast(std::string_view marker) {
    auto skipped = co_await ReadUntil(marker);
    if (!skipped) co_return skipped.error();
    co_return Ok();
  }
  // Fields after the file are ignored, as S3 does; the body is read to its end.
  net::awaitable<Result<void>> Drain() {
    buffer_.clear();
    for (;;) {
      auto more = co_await Read();
      if (!more) co_return more.error();
      buffer_.clear();
      if (!*more) co_return Ok();
    }
  }

  S3Call& call_;
  std::string delimiter_;
  std::string buffer_;
  size_t field_bytes_ = 0;
};

Result<std::string> BoundaryOf(std::string_view content_type) {
  size_t at = content_type.find("boundary=");
  if (at == std::string_view::npos) return MakeError(ErrorCode::kMalformedPOSTRequest);
  std::string_view b = content_type.substr(at + 9);
  b = b.substr(0, b.find(';'));
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  if (b.empty() || b.size() > 70) return MakeError(ErrorCode::kMalformedPOSTRequest);
  return std::string(b);
}

// Verifies the form's SigV4 policy signature; returns who signed it.
Result<std::shared_ptr<const Principal>> VerifySigner(const S3Env& env, const FormFields& f) {
  auto get = [&](const char* name) -> std::string {
    auto it = f.find(name);
    return it == f.end() ? "" : it->second;
  };
  if (get("x-amz-algorithm") != "AWS4-HMAC-SHA256") {
    return MakeError(ErrorCode::kInvalidArgument, "Only AWS4-HMAC-SHA256 is supported for POST uploads");
  }
  std::string credential = get("x-amz-credential");
  std::vector<std::string> scope;
  for (size_t start = 0;;) {
    size_t slash = credential.find('/', start);
    scope.push_back(credential.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request" || scope[2] != env.region ||
      !get("x-amz-date").starts_with(scope[1])) {
    return MakeError(ErrorCode::kAuthorizationQueryParametersError,
                     "Error parsing the X-Amz-Credential parameter; the region or service is wrong.");
  }
  if (!env.credentials) return MakeError(ErrorCode::kAccessDenied);
  auto resolved = env.credentials->Resolve(scope[0], get("x-amz-security-token"));
  if (!resolved) return resolved.error();
  auto key = sigv4::DeriveSigningKey(resolved->secret_key, scope[1], scope[2], "s3");
  if (!ConstantTimeEquals(sigv4::SignatureHex(key, get("policy")), get("x-amz-signature"))) {
    return MakeError(ErrorCode::kSignatureDoesNotMatch);
  }
  return resolved->principal;
}

// The object's metadata from the form, as PutObject reads it from headers.
Result<store::ObjectRecord> RecordFromForm(const FormFields& fields, const std::string& file_type) {
  http::RequestHead head;
  for (const auto& [name, value] : fields) {
    if (name == "content-type" || name == "cache-control" || name == "content-disposition" ||
        name == "content-encoding" || name == "expires" || name == "x-amz-storage-class" ||
        name == "x-amz-website-redirect-location" || name.starts_with("x-amz-meta-")) {
      head.fields.set(name, value);
    }
  }
  if (!fields.count("content-type") && !file_type.empty()) head.fields.set("content-type", file_type);
  store::ObjectRecord record;
  KURA_TRY(ReadObjectHeaders(head, record));
  if (auto tagging = fields.find("tagging"); tagging != fields.end()) {
    auto tags = ParseTagging(tagging->second, limits::kMaxObjectTags);
    if (!tags) return tags.error();
    record.tags = std::move(*tags);
  }
  if (auto acl = fields.find("acl"); acl != fields.end() && acl->second != "private" &&
                                     acl->second != "bucket-owner-full-control") {
    return MakeError(ErrorCode::kAccessControlListNotSupported);
  }
  return record;
}

net::awaitable<Result<void>> Respond(S3Call& call, const FormFields& f, const store::ObjectRecord& o) {
  std::string location = "/" + o.bucket + "/" + UriEncode(o.key, false);
  auto redirect = f.count("success_action_redirect") ? f.at("success_action_redirect")
                  : f.count("redirect")              ? f.at("redirect") : "";
  auto head = NewHead(call);
  head.fields.set(http::bhttp::field::etag, QuotedEtag(o.etag));
  if (!redirect.empty()) {
    std::string query = "bucket=" + UriEncode(o.bucket) + "&key=" + UriEncode(o.key) + "&etag=" +
                        UriEncode(QuotedEtag(o.etag));
    head.status = http::bhttp::status::see_other;
    head.fields.set(http::bhttp::field::location, redirect + (redirect.find('?') == std::string::npos ? "?" : "&") + query);
    co_return co_await RespondEmpty(call, std::move(head));
  }
  head.fields.set(http::bhttp::field::location, location);
  std::string status = f.count("success_action_status") ? f.at("success_action_status") : "";
  if (status == "201") {
    xml::Writer w("PostResponse");
    w.Element("Location", location).Element("Bucket", o.bucket).Element("Key", o.key).Element("ETag", QuotedEtag(o.etag));
    head.status = http::bhttp::status::created;
    head.fields.set(http::bhttp::field::content_type, "application/xml");
    co_return co_await call.exchange.Respond(std::move(head), w.Finish());
  }
  head.status = status == "200" ? http::bhttp::status::ok : http::bhttp::status::no_content;
  co_return co_await RespondEmpty(call, std::move(head));
}

// Checks the fields (policy, signature, key) and authorizes the upload.
Result<std::optional<PostPolicy>> Admit(S3Env& env, S3Call& call, FormFields& fields, const std::string& key) {
  if (!fields.count("policy")) {
    KURA_TRY(call.authorize("s3:PutObject", "arn:aws:s3:::" + call.request.bucket + "/" + key));
    return std::optional<PostPolicy>();
  }
  auto signer = VerifySigner(env, fields);
  if (!signer) return signer.error();
  auto policy = ParsePostPolicy(fields["policy"], env.clock.Now());
  if (!policy) return policy.error();
  FormFields checked = fields;
  checked["bucket"] = call.request.bucket;
  checked["key"] = key;
  KURA_TRY(CheckPostPolicy(*policy, checked));
  if (!call.authorize_as) return MakeError(ErrorCode::kAccessDenied);
  KURA_TRY(call.authorize_as(**signer, "s3:PutObject", "arn:aws:s3:::" + call.request.bucket + "/" + key));
  return std::optional<PostPolicy>(std::move(*policy));
}

net::awaitable<Result<void>> ReceivePost(S3Env& env, S3Call& call) {
  auto boundary = BoundaryOf(call.view.Header("content-type"));
  if (!boundary) co_return boundary.error();
  KURA_CO_TRY(env.metadata.GetBucket(call.request.bucket));
  FormReader form(call, *boundary);
  FormFields fields;
  auto file = co_await form.ReadFields(fields);
  if (!file) co_return file.error();
  if (!fields.count("key")) {
    co_return MakeError(ErrorCode::kInvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
  }
  std::string key = fields["key"];
  if (size_t at = key.find("${filename}"); at != std::string::npos) key.replace(at, 11, file->filename);
  KURA_CO_TRY(ValidateObjectKey(key));
  auto policy = Admit(env, call, fields, key);
  if (!policy) co_return policy.error();
  auto record = RecordFromForm(fields, file->content_type);
  if (!record) co_return record.error();

  auto range = *policy ? ContentLengthRange(**policy) : std::nullopt;
  uint64_t max = range ? std::min(range->second, limits::kMaxSinglePutBytes) : limits::kMaxSinglePutBytes;
  auto writer = env.blobs.NewWriter();
  Hasher md5(HashAlgorithm::kMd5);
  KURA_CO_TRY(co_await form.ReadFile([&](std::string_view bytes) -> Result<void> {
    md5.Update(bytes);
    if (writer->size() + bytes.size() > max) {
      return MakeError(ErrorCode::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed size");
    }
    return writer->Append(bytes);
  }));
  if (range && writer->size() < range->first) {
    co_return MakeError(ErrorCode::kEntityTooSmall, "Your proposed upload is smaller than the minimum allowed size");
  }
  // (No co_await inside a conditional expression: GCC 12 miscompiles its temporaries.)
  Result<store::BlobRef> blob = MakeError(ErrorCode::kInternalError);
  if (writer->size() <= store::kInlineThreshold) {
    blob = writer->Seal();
  } else {
    blob = co_await http::RunBlocking(env.blocking, [&writer] { return writer->Seal(); });
  }
  if (!blob) co_return blob.error();
  record->bucket = call.request.bucket;
  record->key = key;
  record->size = blob->size;
  record->etag = HexLower(md5.Finish());
  record->last_modified = env.clock.Now();
  record->blob = *blob;
  auto replaced = co_await StoreWrite<std::optional<store::BlobRef>>(
      [&](auto done) { env.metadata.PutObject(*record, {}, std::move(done)); });
  if (!replaced) {
    DeleteBlobLater(env, *blob);
    co_return replaced.error();
  }
  if (*replaced) DeleteBlobLater(env, std::move(**replaced));
  co_return co_await Respond(call, fields, *record);
}

}  // namespace

net::awaitable<Result<void>> PostObject(S3Env& env, S3Call& call) {
  auto result = co_await ReceivePost(env, call);
  // A refused form may leave body bytes unread: the connection cannot be reused.
  if (!result) call.exchange.CloseAfterResponse();
  co_return result;
}

}  // namespace kura::s3
