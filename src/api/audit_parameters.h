// What of a request's parameters and of its answer goes into its audit record: allowlists, so
// that a parameter or element kura adds later stays out until someone decides it is safe. A name
// is listed only if its value can never be a secret in any operation that takes it; never listed:
// secret access keys, session tokens (SessionToken, X-Amz-Security-Token), web identity tokens
// and SAML assertions, passwords, MFA codes, SSE-C keys (headers are never read here at all),
// signatures, policy documents (Policy, PolicyDocument, AssumeRolePolicyDocument: their
// conditions may embed anything), KMS plaintext and ciphertext.
// Names are CloudTrail's: the API's name in lowerCamelCase (RoleArn → roleArn); S3's are
// CloudTrail's for S3 (bucketName, Host, key, and the query's subresources as sent).
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "api/audit_record.h"
#include "s3/operation.h"

namespace kura::api {

// The allowlisted parameters of an IAM or STS Query API request (its decoded form and query).
AuditParams QueryParametersForAudit(const std::map<std::string, std::string>& params);

// An S3 request's bucketName, Host, key and allowlisted query parameters.
AuditParams S3ParametersForAudit(const s3::S3Request& request, std::string_view host);

// The allowlisted top-level members of a KMS or Organizations JSON request body (strings,
// numbers and booleans; "" or an unparsable body yields none).
AuditParams JsonParametersForAudit(std::string_view body);

// CloudTrail's responseElements for an IAM or STS answer (`xml`, the answer's document), as a
// JSON object: the issued access key id, expiry and assumed-role user, a created entity's ids —
// never SecretAccessKey or SessionToken. "" for actions CloudTrail answers null for.
std::string ResponseElementsOf(std::string_view action, std::string_view xml);

// The text of the first <name> element in `xml` (entities decoded), "" when there is none.
std::string XmlElementText(std::string_view xml, std::string_view name);

}  // namespace kura::api
