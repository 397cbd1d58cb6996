#include "iam/iam_call.h"

#include "common/encoding.h"

namespace kura::iam {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}

Error Invalid(std::string_view value, std::string_view member, std::string_view constraint) {
  return MakeError(ErrorCode::kValidationError,
                   "1 validation error detected: Value '" + std::string(value) + "' at '" +
                       std::string(member) + "' failed to satisfy constraint: Member must " +
                       std::string(constraint));
}

constexpr size_t kMaxTags = 50;

}  // namespace

Result<std::string> IamCall::Required(std::string_view name, std::string_view member) const {
  if (!call_.Has(name)) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value null at '" + std::string(member) +
                         "' failed to satisfy constraint: Member must not be null");
  }
  return call_.Param(name);
}

Result<std::string> IamCall::Name(std::string_view param, std::string_view member,
                                  size_t max_length) const {
  auto value = Required(param, member);
  if (!value) return value;
  if (value->empty()) return Invalid(*value, member, "have length greater than or equal to 1");
  if (value->size() > max_length) {
    return Invalid(*value, member,
                   "have length less than or equal to " + std::to_string(max_length));
  }
  for (char c : *value) {
    if (!IsNameChar(c)) {
      return Invalid(*value, member, "satisfy regular expression pattern: [\\w+=,.@-]+");
    }
  }
  return value;
}

Result<std::string> IamCall::Path(std::string_view param) const {
  if (!call_.Has(param)) return std::string("/");
  std::string path = call_.Param(param);
  bool ok = !path.empty() && path.size() <= 512 && path.front() == '/' && path.back() == '/';
  for (char c : path) ok = ok && c >= 0x21 && c <= 0x7e;
  if (!ok) {
    return MakeError(ErrorCode::kValidationError,
                     "The specified value for path is invalid. It must begin and end with / and "
                     "contain only alphanumeric characters and/or / characters.");
  }
  return path;
}

std::vector<std::string> IamCall::List(std::string_view name) const {
  std::vector<std::string> out;
  for (int i = 1;; ++i) {
    std::string key = std::string(name) + ".member." + std::to_string(i);
    if (!call_.Has(key)) break;
    out.push_back(call_.Param(key));
  }
  return out;
}

Result<std::vector<Tag>> IamCall::Tags() const {
  std::vector<Tag> tags;
  for (int i = 1;; ++i) {
    std::string prefix = "Tags.member." + std::to_string(i);
    if (!call_.Has(prefix + ".Key")) break;
    Tag tag{call_.Param(prefix + ".Key"), call_.Param(prefix + ".Value")};
    if (tag.key.empty() || tag.key.size() > 128) {
      return Invalid(tag.key, "tags." + std::to_string(i) + ".member.key",
                     "have length less than or equal to 128");
    }
    if (tag.value.size() > 256) {
      return Invalid(tag.value, "tags." + std::to_string(i) + ".member.value",
                     "have length less than or equal to 256");
    }
    for (const Tag& t : tags) {
      if (NameKey(t.key) == NameKey(tag.key)) {
        return MakeError(ErrorCode::kInvalidInput, "Duplicate tag keys found. Please note that "
                                                   "Tag keys are case insensitive.");
      }
    }
    tags.push_back(std::move(tag));
  }
  if (tags.size() > kMaxTags) {
    return MakeError(ErrorCode::kLimitExceeded, "Cannot exceed quota for TagsPerEntity: 50");
  }
  return tags;
}

xml::Writer& IamCall::Start() {
  writer_.emplace(call_.action + "Response", kIamNamespace);
  writer_->Open(call_.action + "Result");
  return *writer_;
}

std::string IamCall::Finish() {
  writer_->Close(call_.action + "Result");
  writer_->Open("ResponseMetadata").Element("RequestId", call_.request_id).Close("ResponseMetadata");
  return writer_->Finish();
}

std::string IamCall::Empty() {
  xml::Writer w(call_.action + "Response", kIamNamespace);
  w.Open("ResponseMetadata").Element("RequestId", call_.request_id).Close("ResponseMetadata");
  return w.Finish();
}

Result<Page> Paginate(const IamCall& call, const std::vector<std::string>& keys) {
  size_t max_items = 100;
  if (call.Has("MaxItems")) {
    std::string text = call.Param("MaxItems");
    long value = 0;
    bool digits = !text.empty() && text.size() < 6 &&
                  text.find_first_not_of("0123456789") == std::string::npos;
    if (digits) value = std::stol(text);
    if (!digits || value < 1 || value > 1000) {
      return Invalid(text, "maxItems", value < 1 ? "have value greater than or equal to 1"
                                                  : "have value less than or equal to 1000");
    }
    max_items = static_cast<size_t>(value);
  }
  Page page;
  if (call.Has("Marker")) {
    auto start = Base64UrlDecode(call.Param("Marker"));
    if (!start) return MakeError(ErrorCode::kValidationError, "Invalid Marker.");
    while (page.begin < keys.size() && keys[page.begin] < *start) ++page.begin;
  }
  page.end = std::min(keys.size(), page.begin + max_items);
  page.truncated = page.end < keys.size();
  if (page.truncated) page.next_marker = Base64UrlEncode(keys[page.end]);
  return page;
}

void WritePageTail(xml::Writer& w, const Page& page) {
  w.Bool("IsTruncated", page.truncated);
  if (page.truncated) w.Element("Marker", page.next_marker);
}

}  // namespace kura::iam
