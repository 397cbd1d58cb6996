// Reads the XML documents S3 requests carry (DeleteObjects, CompleteMultipartUpload, tagging,
// lifecycle, CORS, versioning, Object Lock, CreateBucketConfiguration). Every parser loads its
// body here, so all of them treat text the same way: the text of an element is data, kept byte
// for byte — a key, tag or prefix that is a single space or a newline is that space or newline,
// not an empty value (pugixml drops whitespace-only text by default). Whitespace between elements
// (indentation) is still dropped. As XML 1.0 section 2.11 requires, a literal CR or CRLF in text
// reads as LF; a CR in a key must be sent as "&#13;", which is kept (S3's "XML related object key
// constraints" in the User Guide say the same).
// Thread-safety: pure function.
#pragma once

#include <pugixml.hpp>

#include <string_view>

#include "common/error.h"

namespace kura::s3 {

// pugixml's defaults plus whitespace-only text kept where it is an element's only content.
inline constexpr unsigned int kXmlBodyParseOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;

// Parses `body` into `doc` and returns its root element, which must be named `root_name`.
// kMalformedXML when the body is empty, not well-formed, or has another root.
Result<pugi::xml_node> ParseXmlBody(pugi::xml_document& doc, std::string_view body,
                                    const char* root_name);

}  // namespace kura::s3
