#include "organizations/create_account_status.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>

#include "common/async_bridge.h"
#include "common/encoding.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;

TimePoint FromEpochSeconds(double seconds) {
  return TimePoint(std::chrono::round<std::chrono::milliseconds>(std::chrono::duration<double>(seconds)));
}

std::string StringMember(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> NumberMember(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

}  // namespace

double EpochSeconds(TimePoint t) {
  auto ms = std::chrono::round<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

std::string NewCreateAccountRequestId(Random& random) {
  std::array<uint8_t, 16> bytes{};
  random.Fill(bytes);
  return "car-" + HexLower(bytes);
}

json::object StatusJson(const CreateAccountStatus& status) {
  json::object o{{"Id", status.id},
                 {"AccountName", status.account_name},
                 {"State", status.state},
                 {"RequestedTimestamp", EpochSeconds(status.requested)},
                 {"CompletedTimestamp", EpochSeconds(status.completed)}};
  if (!status.account_id.empty()) o["AccountId"] = status.account_id;
  if (!status.failure_reason.empty()) o["FailureReason"] = status.failure_reason;
  return o;
}

Result<CreateAccountStatus> ParseStatusJson(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    return MakeError(ErrorCode::kInternalError, "a create-account status is not a JSON object");
  }
  const json::object& o = parsed.get_object();
  auto requested = NumberMember(o, "RequestedTimestamp");
  auto completed = NumberMember(o, "CompletedTimestamp");
  CreateAccountStatus status{StringMember(o, "Id"),
                             StringMember(o, "AccountName"),
                             StringMember(o, "State"),
                             {},
                             {},
                             StringMember(o, "AccountId"),
                             StringMember(o, "FailureReason")};
  if (status.id.empty() || status.state.empty() || !requested || !completed) {
    return MakeError(ErrorCode::kInternalError, "a create-account status lacks a member");
  }
  status.requested = FromEpochSeconds(*requested);
  status.completed = FromEpochSeconds(*completed);
  return status;
}

Result<std::vector<CreateAccountStatus>> CreateAccountStatusLog::LoadAll(
    store::MetadataStore& metadata) {
  auto documents = metadata.ListDocuments(kStatusDocumentKind);
  if (!documents) return documents.error();
  std::vector<CreateAccountStatus> statuses;
  for (const auto& [id, value] : *documents) {
    auto status = ParseStatusJson(value);
    if (!status) {
      return MakeError(ErrorCode::kInternalError,
                       "create-account status " + id + ": " + status.error().message);
    }
    statuses.push_back(std::move(*status));
  }
  std::stable_sort(statuses.begin(), statuses.end(),
                   [](const auto& a, const auto& b) { return a.requested < b.requested; });
  return statuses;
}

Result<std::unique_ptr<CreateAccountStatusLog>> CreateAccountStatusLog::Open(
    store::MetadataStore& metadata) {
  auto statuses = LoadAll(metadata);
  if (!statuses) return statuses.error();
  return std::unique_ptr<CreateAccountStatusLog>(
      new CreateAccountStatusLog(metadata, std::move(statuses).value()));
}

Result<void> CreateAccountStatusLog::Reload() {
  auto statuses = LoadAll(metadata_);
  if (!statuses) return statuses.error();
  std::lock_guard lock(mu_);
  statuses_ = std::move(statuses).value();
  return Ok();
}

boost::asio::awaitable<Result<void>> CreateAccountStatusLog::Record(
    const CreateAccountStatus& status) {
  std::vector<store::DocumentWrite> writes;
  writes.push_back(
      {std::string(kStatusDocumentKind), status.id, json::serialize(StatusJson(status))});
  auto written = co_await AwaitCallback<Result<void>>(
      [this, &writes](auto done) { metadata_.PutDocuments(std::move(writes), std::move(done)); });
  if (!written) co_return written;
  std::lock_guard lock(mu_);
  statuses_.push_back(status);
  co_return Ok();
}

std::optional<CreateAccountStatus> CreateAccountStatusLog::Find(std::string_view id) const {
  std::lock_guard lock(mu_);
  for (const CreateAccountStatus& status : statuses_) {
    if (status.id == id) return status;
  }
  return std::nullopt;
}

std::vector<CreateAccountStatus> CreateAccountStatusLog::List() const {
  std::lock_guard lock(mu_);
  return statuses_;
}

}  // namespace kura::organizations
