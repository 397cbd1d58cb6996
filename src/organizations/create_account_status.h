// The CreateAccountStatus of each CreateAccount request
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccountStatus.html),
// kept so DescribeCreateAccountStatus and ListCreateAccountStatus answer for every request ever
// made, across restarts: one metadata-store document (kind "organizations.create-account-status",
// id the request id "car-…") per request, its value the status's JSON form, loaded at start.
// kura creates accounts synchronously: a status is SUCCEEDED or FAILED (with FailureReason) when
// CreateAccount answers, never IN_PROGRESS.
// Thread-safety: all members may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"
#include "store/metadata_store.h"

namespace kura::organizations {

inline constexpr std::string_view kStatusDocumentKind = "organizations.create-account-status";

struct CreateAccountStatus {
  std::string id;  // car- and 32 lower-case hex digits
  std::string account_name;
  std::string state;  // SUCCEEDED | FAILED
  TimePoint requested;
  TimePoint completed;
  std::string account_id;      // SUCCEEDED only
  std::string failure_reason;  // FAILED only (EMAIL_ALREADY_EXISTS …)
};

// "car-" and 32 random lower-case hex digits (the model's ^car-[a-z0-9]{8,32}$).
std::string NewCreateAccountRequestId(Random& random);

// The status as Organizations' JSON shape (timestamps as epoch seconds), and back.
// A timestamp as the Organizations JSON protocol sends it: epoch seconds, to the millisecond.
// Rounding to whole milliseconds makes a time read back from its stored JSON render exactly as
// it did before (nanoseconds through a double do not round-trip: 1 ulp near 1.7e9 is ~240 ns).
double EpochSeconds(TimePoint t);
boost::json::object StatusJson(const CreateAccountStatus& status);
Result<CreateAccountStatus> ParseStatusJson(std::string_view text);

class CreateAccountStatusLog {
 public:
  // Loads every status document. kInternalError on a corrupt one. `metadata` must outlive the log.
  static Result<std::unique_ptr<CreateAccountStatusLog>> Open(store::MetadataStore& metadata);
  CreateAccountStatusLog(const CreateAccountStatusLog&) = delete;
  CreateAccountStatusLog& operator=(const CreateAccountStatusLog&) = delete;

  // Re-reads every status document and swaps them in at once (the configuration follower's,
  // for the requests other nodes record). An error leaves the log as it was.
  Result<void> Reload();

  // Persists the status; visible to Find and List once durable.
  boost::asio::awaitable<Result<void>> Record(const CreateAccountStatus& status);
  std::optional<CreateAccountStatus> Find(std::string_view id) const;
  // Every status, oldest request first.
  std::vector<CreateAccountStatus> List() const;

 private:
  CreateAccountStatusLog(store::MetadataStore& metadata, std::vector<CreateAccountStatus> statuses)
      : metadata_(metadata), statuses_(std::move(statuses)) {}
  // Every status document, oldest request first.
  static Result<std::vector<CreateAccountStatus>> LoadAll(store::MetadataStore& metadata);

  store::MetadataStore& metadata_;
  mutable std::mutex mu_;  // guards statuses_
  std::vector<CreateAccountStatus> statuses_;
};

}  // namespace kura::organizations
