#include "kura_bench/xml_fields.h"

#include <pugixml.hpp>

namespace kura::bench {
namespace {

std::string_view LocalName(const char* name) {
  std::string_view view(name);
  size_t colon = view.find(':');
  return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

pugi::xml_node FindByLocalName(pugi::xml_node root, std::string_view name) {
  return root.find_node([name](pugi::xml_node node) {
    return node.type() == pugi::node_element && LocalName(node.name()) == name;
  });
}

}  // namespace

std::optional<std::string> FirstElementText(std::string_view xml, std::string_view name) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return std::nullopt;
  pugi::xml_node node = FindByLocalName(doc, name);
  if (!node) return std::nullopt;
  return std::string(node.text().get());
}

Result<Credentials> ParseAssumeRoleCredentials(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return MakeError(ErrorCode::kInternalError, "AssumeRole response is not XML");
  }
  pugi::xml_node creds = FindByLocalName(FindByLocalName(doc, "AssumeRoleResult"), "Credentials");
  if (!creds) {
    std::string code = FindByLocalName(doc, "Code").text().get();
    std::string message = FindByLocalName(doc, "Message").text().get();
    return MakeError(ErrorCode::kInternalError,
                     "AssumeRole returned no credentials: " + code + " " + message);
  }
  Credentials out{FindByLocalName(creds, "AccessKeyId").text().get(),
                  FindByLocalName(creds, "SecretAccessKey").text().get(),
                  FindByLocalName(creds, "SessionToken").text().get()};
  if (out.access_key_id.empty() || out.secret_access_key.empty() || out.session_token.empty()) {
    return MakeError(ErrorCode::kInternalError, "AssumeRole credentials are incomplete");
  }
  return out;
}

}  // namespace kura::bench
