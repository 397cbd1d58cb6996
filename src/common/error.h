// Errors as values. An Error is one of the codes in error_codes.def plus a message; Result<T>
// holds a T or an Error and uses std::expected's member names (value, error, has_value), so it
// can become std::expected when the toolchain has C++23. The request path never throws: every
// failure a client can cause travels back as an Error and is rendered by the API layer as S3's
// <Error> or IAM/STS's <ErrorResponse>. Thread-safety: plain values.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace kura {

enum class ErrorCode {
#define KURA_ERROR(name, code, status, fault, message) name,
#include "common/error_codes.def"
#undef KURA_ERROR
};

enum class Fault { Sender, Receiver };

// The static facts about one code, from the table.
struct ErrorInfo {
  std::string_view aws_code;
  int http_status;
  Fault fault;
  std::string_view default_message;
};
const ErrorInfo& InfoFor(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;  // never empty once made by MakeError
  // Further elements S3 puts in <Error> for some codes, in order (e.g. SignatureDoesNotMatch's
  // StringToSign and CanonicalRequest, RequestTimeTooSkewed's ServerTime, InvalidRange's
  // ActualObjectSize). IAM/STS ignore them.
  std::vector<std::pair<std::string, std::string>> details;

  std::string_view aws_code() const { return InfoFor(code).aws_code; }
  int http_status() const { return InfoFor(code).http_status; }
};

// An Error with the table's default message unless one is given.
Error MakeError(ErrorCode code, std::string message = {});

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design
  Result(ErrorCode code) : state_(MakeError(code)) {}    // NOLINT: implicit by design

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}      // NOLINT
  Result(ErrorCode code) : error_(MakeError(code)), ok_(false) {}    // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace kura

// Propagates an error from an expression yielding Result<...>; for functions returning Result.
#define KURA_TRY(expr)                              \
  do {                                              \
    auto kura_try_result_ = (expr);                 \
    if (!kura_try_result_) return kura_try_result_.error(); \
  } while (0)

// The same, inside a coroutine returning awaitable<Result<...>>.
#define KURA_CO_TRY(expr)                               \
  do {                                                  \
    auto kura_try_result_ = (expr);                     \
    if (!kura_try_result_) co_return kura_try_result_.error(); \
  } while (0)
