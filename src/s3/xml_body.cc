#include "s3/xml_body.h"

namespace kura::s3 {

Result<pugi::xml_node> ParseXmlBody(pugi::xml_document& doc, std::string_view body,
                                    const char* root_name) {
  if (body.empty() || !doc.load_buffer(body.data(), body.size(), kXmlBodyParseOptions)) {
    return MakeError(ErrorCode::kMalformedXML);
  }
  pugi::xml_node root = doc.child(root_name);
  if (!root) return MakeError(ErrorCode::kMalformedXML);
  return root;
}

}  // namespace kura::s3
