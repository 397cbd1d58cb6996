// What S3's object listings (ListObjects, ListObjectsV2, ListObjectVersions) share: the prefix,
// delimiter, encoding-type and max-keys query parameters, encoding-type=url of the keys, prefixes
// and markers they return, and the <Owner> and <CommonPrefixes> elements.
// Spec: ListObjectsV2 and ListObjectVersions in the S3 API Reference. Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/xml_writer.h"
#include "s3/operation.h"
#include "store/records.h"

namespace kura::s3 {

struct ListingParams {
  std::string prefix, delimiter;
  bool url_encode = false;  // encoding-type=url
  int max_keys = 1000;      // max-keys, capped at 1000; 0 lists nothing
};

// Reads prefix, delimiter, encoding-type (only "url") and max-keys. kInvalidArgument.
Result<ListingParams> ReadListingParams(const S3Request& request);

// A page size given as `value` of parameter `name`: a non-negative integer, capped at 1000 as S3
// caps it. kInvalidArgument naming the parameter.
Result<int> ParsePageSize(std::string_view name, std::string_view value);

// `s` as the listing returns it: URL-encoded (slashes kept) under encoding-type=url.
std::string EncodeListed(const ListingParams& p, std::string_view s);

// S3 writes "STANDARD" for objects stored without a storage class.
std::string_view StorageClassOf(const store::ObjectRecord& object);

// <Owner> with the account's canonical id and display name (--account-name).
void WriteOwner(xml::Writer& w, const std::string& owner_id, std::string_view display_name);
void WriteCommonPrefixes(xml::Writer& w, const ListingParams& p,
                         const std::vector<std::string>& prefixes);

}  // namespace kura::s3
