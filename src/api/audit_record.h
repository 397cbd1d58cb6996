// One request as a CloudTrail event record ("CloudTrail record contents",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
// userIdentity: .../cloudtrail-event-reference-user-identity.html), rendered as one JSON line, so
// that tools that read CloudTrail read kura's audit trail. Field names are CloudTrail's verbatim.
// What goes in is what the pipeline learned about the request; what may come out of the request's
// parameters and response is decided by audit_parameters.h's allowlists: no secret access key,
// session token, web identity token, password, SSE-C key or policy document ever reaches a record.
// Thread-safety: pure functions over their arguments (NewEventId uses the thread-safe Random).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/principal.h"
#include "common/random.h"

namespace kura::api {

// One allowlisted request parameter, under CloudTrail's name (lowerCamelCase of the API's).
struct AuditParam {
  std::string name;
  std::string value;
  bool number = false;  // written unquoted (durationSeconds)
};
using AuditParams = std::vector<AuditParam>;

// The caller of AssumeRoleWithWebIdentity, which signs nothing: who the token named, as STS's
// answer reports it.
struct WebIdentityCaller {
  std::string provider;  // the token's issuer (identityProvider)
  std::string subject;   // SubjectFromWebIdentityToken (userName)
  std::string audience;
};

struct AuditEvent {
  TimePoint time{};                      // eventTime: when the answer was done
  std::string_view event_id{};           // eventID (NewEventId)
  std::string_view request_id{};         // requestID: the x-amz-request-id the client saw
  const Principal* principal = nullptr;  // null or anonymous: unsigned or refused before
  // With a null principal (authentication failed: expired token, unknown key, bad signature):
  // the access key id the request presented, "" if none.
  std::string_view presented_access_key_id{};
  std::string_view api{};         // s3 | iam | sts | kms | organizations
  std::string_view operation{};   // eventName: PutObject, AssumeRole… ("" when unknown)
  std::string_view region{};      // awsRegion
  std::string_view source_ip{};   // sourceIPAddress
  std::string_view user_agent{};  // userAgent
  // The account whose resource was acted on (an S3 bucket's owner); "" = the caller's own.
  // A signed caller of another account shows as CloudTrail shows it to the resource owner.
  std::string_view recipient_account{};
  std::string_view error_code{};
  std::string_view error_message{};
  const AuditParams* request_parameters = nullptr;  // null: requestParameters null
  std::string_view response_elements{};             // a JSON object (ResponseElementsOf), "" = null
  const WebIdentityCaller* web_identity = nullptr;  // AssumeRoleWithWebIdentity's caller
  // S3 only: the bucket and key for `resources`; additionalEventData.
  std::string_view bucket{};
  std::string_view key{};
  std::string_view signature_version{};      // SigV4 | SigV2, "" when not signed
  std::string_view authentication_method{};  // AuthHeader | QueryString
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  // tlsDetails for requests over TLS: the Host header the client sent.
  bool tls = false;
  std::string_view host{};
};

// The record: one JSON object and '\n'.
std::string RenderCloudTrailRecord(const AuditEvent& event);

// A random (version 4) UUID, 8-4-4-4-12 lowercase hex: CloudTrail's eventID form.
std::string NewEventId(Random& random);

// Whether CloudTrail counts the S3 operation as a data event (object-level: eventCategory
// "Data", managementEvent false) rather than a management event.
bool IsS3DataEvent(std::string_view operation);

}  // namespace kura::api
