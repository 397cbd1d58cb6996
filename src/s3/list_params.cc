#include "s3/list_params.h"

#include <algorithm>
#include <cstdlib>

#include "common/encoding.h"
#include "common/limits.h"

namespace kura::s3 {

Result<int> ParsePageSize(std::string_view name, std::string_view value) {
  std::string text(value);
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 0 || n > 2147483647L) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Provided " + std::string(name) + " not an integer or within integer range");
  }
  return static_cast<int>(std::min<long>(n, limits::kMaxKeysPerPage));
}

Result<ListingParams> ReadListingParams(const S3Request& request) {
  ListingParams p;
  p.prefix = request.Query("prefix");
  p.delimiter = request.Query("delimiter");
  if (request.HasQuery("encoding-type")) {
    if (request.Query("encoding-type") != "url") {
      return MakeError(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    }
    p.url_encode = true;
  }
  if (request.HasQuery("max-keys")) {
    auto max_keys = ParsePageSize("max-keys", request.Query("max-keys"));
    if (!max_keys) return max_keys.error();
    p.max_keys = *max_keys;
  }
  return p;
}

std::string EncodeListed(const ListingParams& p, std::string_view s) {
  return p.url_encode ? UriEncode(s, false) : std::string(s);
}

std::string_view StorageClassOf(const store::ObjectRecord& object) {
  return object.storage_class.empty() ? std::string_view("STANDARD") : object.storage_class;
}

void WriteOwner(xml::Writer& w, const std::string& owner_id, std::string_view display_name) {
  w.Open("Owner").Element("ID", owner_id).Element("DisplayName", display_name).Close("Owner");
}

void WriteCommonPrefixes(xml::Writer& w, const ListingParams& p,
                         const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes) {
    w.Open("CommonPrefixes").Element("Prefix", EncodeListed(p, prefix)).Close("CommonPrefixes");
  }
}

}  // namespace kura::s3
