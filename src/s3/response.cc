#include "s3/response.h"

#include "common/crypto.h"
#include "common/time_format.h"
#include "common/xml_writer.h"
#include "sigv4/payload_verifier.h"

namespace kura::s3 {

http::ResponseHead NewHead(const S3Call& call, http::bhttp::status status) {
  http::ResponseHead head;
  head.status = status;
  head.fields.set("x-amz-request-id", call.request_id);
  head.fields.set("x-amz-id-2", call.request_id);
  head.fields.set(http::bhttp::field::server, "kura");
  for (const auto& [name, value] : call.cors_headers) head.fields.set(name, value);
  return head;
}

net::awaitable<Result<void>> RespondXml(S3Call& call, std::string xml, http::bhttp::status status) {
  auto head = NewHead(call, status);
  head.fields.set(http::bhttp::field::content_type, "application/xml");
  co_return co_await call.exchange.Respond(std::move(head), std::move(xml));
}

net::awaitable<Result<void>> RespondEmpty(S3Call& call, http::ResponseHead head) {
  co_return co_await call.exchange.Respond(std::move(head), std::string());
}

net::awaitable<Result<std::string>> ReadSmallBody(S3Call& call, size_t max_bytes) {
  auto verifier = sigv4::PayloadVerifier::Make(call.auth, call.view);
  if (!verifier) co_return verifier.error();
  std::string body;
  std::vector<std::string_view> pieces;
  for (;;) {
    auto raw = co_await call.exchange.ReadBody();
    if (!raw) co_return raw.error();
    if (raw->empty()) break;
    pieces.clear();
    auto fed = verifier->Feed(*raw, pieces);
    if (!fed) co_return fed.error();
    for (auto piece : pieces) body.append(piece);
    if (body.size() > max_bytes) {
      call.exchange.CloseAfterResponse();
      co_return MakeError(ErrorCode::kMalformedXML, "The request body is too large.");
    }
  }
  auto summary = verifier->Finish();
  if (!summary) co_return summary.error();
  co_return body;
}

std::string RenderS3Error(const Error& error, std::string_view resource, std::string_view request_id) {
  xml::Writer w("Error");
  w.Element("Code", error.aws_code());
  w.Element("Message", error.message.empty() ? InfoFor(error.code).default_message : error.message);
  for (const auto& [name, value] : error.details) w.Element(name, value);
  if (!resource.empty()) w.Element("Resource", resource);
  w.Element("RequestId", request_id);
  w.Element("HostId", request_id);
  return w.Finish();
}

std::string CanonicalUserId(std::string_view account_id) {
  return Sha256Hex(std::string("kura-canonical-user:") + std::string(account_id));
}

}  // namespace kura::s3
