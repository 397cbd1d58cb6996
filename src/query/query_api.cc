#include "query/query_api.h"

#include "common/encoding.h"
#include "common/xml_writer.h"

namespace kura::query {

std::string QueryCall::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string() : it->second;
}

Result<std::map<std::string, std::string>> ParseForm(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return MakeError(ErrorCode::kInvalidArgument, "Malformed form-urlencoded body");
    out[std::move(*name)] = std::move(*value);
  }
  return out;
}

std::string RenderQueryError(const Error& error, std::string_view xml_namespace,
                             std::string_view request_id) {
  xml::Writer w("ErrorResponse", xml_namespace);
  w.Open("Error")
      .Element("Type", InfoFor(error.code).fault == Fault::Sender ? "Sender" : "Receiver")
      .Element("Code", error.aws_code())
      .Element("Message", error.message)
      .Close("Error");
  w.Element("RequestId", request_id);
  return w.Finish();
}

}  // namespace kura::query
