#include "s3/response.h"

#include "common/client_error.h"
#include "common/crypto.h"
#include "common/time_format.h"
#include "common/xml_writer.h"

namespace kura::s3 {

ResponseHead NewHead(const S3Call& call, bhttp::status status) {
  ResponseHead head;
  head.status = status;
  head.fields.set("x-amz-request-id", call.request_id);
  head.fields.set("x-amz-id-2", call.request_id);
  head.fields.set(bhttp::field::server, "kura");
  for (const auto& [name, value] : call.cors_headers) head.fields.set(name, value);
  return head;
}

net::awaitable<Result<void>> RespondXml(S3Call& call, std::string xml, bhttp::status status) {
  auto head = NewHead(call, status);
  head.fields.set(bhttp::field::content_type, "application/xml");
  co_return co_await call.response.Respond(std::move(head), std::move(xml));
}

net::awaitable<Result<void>> RespondEmpty(S3Call& call, ResponseHead head) {
  co_return co_await call.response.Respond(std::move(head), std::string());
}

net::awaitable<Result<void>> RespondWithError(S3Call& call, ResponseHead head,
                                              const Error& raw_error) {
  const Error error = ForClient(raw_error, call.request_id);
  call.answered_error = std::string(error.aws_code());
  call.answered_error_message =
      error.message.empty() ? std::string(InfoFor(error.code).default_message) : error.message;
  if (call.head.method == bhttp::verb::head) {
    // HEAD answers carry no body; the status and x-amz-error-code tell.
    head.fields.set("x-amz-error-code", error.aws_code());
    co_return co_await call.response.WriteHead(std::move(head), 0);
  }
  head.fields.set(bhttp::field::content_type, "application/xml");
  std::string_view target = call.head.target;
  co_return co_await call.response.Respond(
      std::move(head), RenderS3Error(error, target.substr(0, target.find('?')), call.request_id));
}

Error BodyTooLarge() { return MakeError(ErrorCode::kMalformedXML, "The request body is too large."); }

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
