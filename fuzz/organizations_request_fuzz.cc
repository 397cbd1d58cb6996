// The Organizations JSON request parser (organizations/organizations_request.h) and the shape
// checks CreateAccount and the listing operations apply: input is a request body. Every getter
// must answer a value or one of Organizations' client errors (SerializationException,
// InvalidInputException), never crash; a value it accepts must satisfy its shape.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "organizations/organizations_request.h"

namespace {

using kura::ErrorCode;
namespace org = kura::organizations;

template <typename R>
void ExpectClientError(const R& result) {
  if (result.has_value()) return;
  ErrorCode code = result.error().code;
  if (code != ErrorCode::kOrgSerialization && code != ErrorCode::kOrgInvalidInput) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t length) {
  std::string_view body(reinterpret_cast<const char*>(data), length);
  auto request = org::OrganizationsRequest::Parse(body);
  ExpectClientError(request);
  if (!request) return 0;
  constexpr org::StringShape kEmail{6, 64, &org::IsEmail};
  constexpr org::StringShape kName{1, 50, &org::IsPrintableAscii};
  constexpr org::StringShape kRole{1, 64, &org::IsRoleName};
  constexpr org::StringShape kAccountId{12, 12, &org::IsAccountId};
  constexpr org::StringShape kRequestId{12, 36, &org::IsCreateAccountRequestId};
  for (auto [name, shape] : {std::pair{"Email", kEmail}, std::pair{"AccountName", kName},
                             std::pair{"RoleName", kRole}, std::pair{"AccountId", kAccountId},
                             std::pair{"CreateAccountRequestId", kRequestId}}) {
    auto value = request->RequiredString(name, shape);
    ExpectClientError(value);
    if (value && (value->size() < shape.min || value->size() > shape.max || !shape.valid(*value))) {
      std::abort();
    }
  }
  ExpectClientError(request->Int("MaxResults", 1, 20));
  ExpectClientError(request->StringList("States"));
  return 0;
}
