#include "s3/operation.h"

#include <array>

#include "common/encoding.h"
#include "common/form_encoding.h"
#include "common/virtual_host.h"

namespace kura::s3 {
namespace {
namespace bhttp = boost::beast::http;

constexpr std::array kOperations = {
#define KURA_S3_OP(name, action, resource, access)                               \
  policy::EndpointRule{#name, action, policy::ResourceKind::resource, policy::Access::access},
#include "s3/operations.def"
#undef KURA_S3_OP
};

// Subresources S3 has that kura does not serve: asking for one must not fall through to a
// plain GET/PUT of the bucket or object.
constexpr std::string_view kUnservedSubresources[] = {
    "accelerate", "analytics", "intelligent-tiering", "inventory",
    "logging", "metrics", "notification", "replication", "requestPayment", "website", "torrent", "restore",
    "select", "renameObject"};

// Query parameters that choose an operation and that a Signature Version 2 signature does not
// cover (the clients' sub-resource list, sigv4::IsV2SubResource, predates them): under v2, anyone
// holding a link could append one and turn, say, a presigned upload into PutObjectRetention or a
// presigned bucket PUT into PutPublicAccessBlock. AWS serves these operations with SigV4 only.
constexpr std::string_view kSigV4OnlySubresources[] = {
    "retention", "legal-hold", "attributes", "ownershipControls", "publicAccessBlock",
    "policyStatus"};

Result<std::map<std::string, std::string>> ParseQuery(std::string_view raw) {
  UrlEncodedPairs parsed = ParseUrlEncodedPairs(raw, /*plus_is_space=*/true);
  if (parsed.malformed) return MakeError(ErrorCode::kInvalidURI);
  std::map<std::string, std::string> out;
  for (UrlEncodedPair& pair : parsed.pairs) out.emplace(std::move(pair.name), std::move(pair.value));  // first wins
  return out;
}

S3Operation ServiceOperation(bhttp::verb method) {
  return method == bhttp::verb::get ? S3Operation::kListBuckets : S3Operation::kUnsupported;
}

S3Operation BucketOperation(bhttp::verb method, const S3Request& r) {
  switch (method) {
    case bhttp::verb::put:
      if (r.HasQuery("policy")) return S3Operation::kPutBucketPolicy;
      if (r.HasQuery("tagging")) return S3Operation::kPutBucketTagging;
      if (r.HasQuery("acl")) return S3Operation::kPutBucketAcl;
      if (r.HasQuery("cors")) return S3Operation::kPutBucketCors;
      if (r.HasQuery("versioning")) return S3Operation::kPutBucketVersioning;
      if (r.HasQuery("object-lock")) return S3Operation::kPutObjectLockConfiguration;
      if (r.HasQuery("lifecycle")) return S3Operation::kPutBucketLifecycleConfiguration;
      if (r.HasQuery("ownershipControls")) return S3Operation::kPutBucketOwnershipControls;
      if (r.HasQuery("publicAccessBlock")) return S3Operation::kPutPublicAccessBlock;
      if (r.HasQuery("encryption")) return S3Operation::kPutBucketEncryption;
      return S3Operation::kCreateBucket;
    case bhttp::verb::get:
      if (r.HasQuery("location")) return S3Operation::kGetBucketLocation;
      if (r.HasQuery("versioning")) return S3Operation::kGetBucketVersioning;
      if (r.HasQuery("object-lock")) return S3Operation::kGetObjectLockConfiguration;
      if (r.HasQuery("lifecycle")) return S3Operation::kGetBucketLifecycleConfiguration;
      if (r.HasQuery("policy")) return S3Operation::kGetBucketPolicy;
      if (r.HasQuery("tagging")) return S3Operation::kGetBucketTagging;
      if (r.HasQuery("acl")) return S3Operation::kGetBucketAcl;
      if (r.HasQuery("cors")) return S3Operation::kGetBucketCors;
      if (r.HasQuery("ownershipControls")) return S3Operation::kGetBucketOwnershipControls;
      if (r.HasQuery("publicAccessBlock")) return S3Operation::kGetPublicAccessBlock;
      if (r.HasQuery("policyStatus")) return S3Operation::kGetBucketPolicyStatus;
      if (r.HasQuery("encryption")) return S3Operation::kGetBucketEncryption;
      if (r.HasQuery("uploads")) return S3Operation::kListMultipartUploads;
      if (r.HasQuery("versions")) return S3Operation::kListObjectVersions;
      if (r.Query("list-type") == "2") return S3Operation::kListObjectsV2;
      return S3Operation::kListObjects;
    case bhttp::verb::head:
      return S3Operation::kHeadBucket;
    case bhttp::verb::delete_:
      if (r.HasQuery("policy")) return S3Operation::kDeleteBucketPolicy;
      if (r.HasQuery("tagging")) return S3Operation::kDeleteBucketTagging;
      if (r.HasQuery("cors")) return S3Operation::kDeleteBucketCors;
      if (r.HasQuery("lifecycle")) return S3Operation::kDeleteBucketLifecycle;
      if (r.HasQuery("ownershipControls")) return S3Operation::kDeleteBucketOwnershipControls;
      if (r.HasQuery("publicAccessBlock")) return S3Operation::kDeletePublicAccessBlock;
      if (r.HasQuery("encryption")) return S3Operation::kDeleteBucketEncryption;
      return S3Operation::kDeleteBucket;
    case bhttp::verb::post:
      if (r.HasQuery("delete")) return S3Operation::kDeleteObjects;
      return S3Operation::kUnsupported;
    case bhttp::verb::options:
      return S3Operation::kPreflightRequest;
    default:
      return S3Operation::kUnsupported;
  }
}

S3Operation ObjectOperation(bhttp::verb method, const S3Request& r, bool has_copy_source) {
  bool upload = r.HasQuery("uploadId");
  switch (method) {
    case bhttp::verb::put:
      if (r.HasQuery("tagging")) return S3Operation::kPutObjectTagging;
      if (r.HasQuery("acl")) return S3Operation::kPutObjectAcl;
      if (r.HasQuery("retention")) return S3Operation::kPutObjectRetention;
      if (r.HasQuery("legal-hold")) return S3Operation::kPutObjectLegalHold;
      if (upload && r.HasQuery("partNumber")) {
        return has_copy_source ? S3Operation::kUploadPartCopy : S3Operation::kUploadPart;
      }
      return has_copy_source ? S3Operation::kCopyObject : S3Operation::kPutObject;
    case bhttp::verb::get:
      if (r.HasQuery("tagging")) return S3Operation::kGetObjectTagging;
      if (r.HasQuery("acl")) return S3Operation::kGetObjectAcl;
      if (r.HasQuery("attributes")) return S3Operation::kGetObjectAttributes;
      if (r.HasQuery("retention")) return S3Operation::kGetObjectRetention;
      if (r.HasQuery("legal-hold")) return S3Operation::kGetObjectLegalHold;
      if (upload) return S3Operation::kListParts;
      return S3Operation::kGetObject;
    case bhttp::verb::head:
      return S3Operation::kHeadObject;
    case bhttp::verb::delete_:
      if (r.HasQuery("tagging")) return S3Operation::kDeleteObjectTagging;
      if (upload) return S3Operation::kAbortMultipartUpload;
      return S3Operation::kDeleteObject;
    case bhttp::verb::post:
      if (r.HasQuery("uploads")) return S3Operation::kCreateMultipartUpload;
      if (upload) return S3Operation::kCompleteMultipartUpload;
      return S3Operation::kUnsupported;
    case bhttp::verb::options:
      return S3Operation::kPreflightRequest;
    default:
      return S3Operation::kUnsupported;
  }
}
}  // namespace

std::string_view SubresourceUnsignedBySigV2(const S3Request& request) {
  for (std::string_view name : kSigV4OnlySubresources) {
    if (request.HasQuery(name)) return name;
  }
  return {};
}

const policy::EndpointRule& EndpointOf(S3Operation op) { return kOperations.at(static_cast<size_t>(op)); }

std::string_view IamActionOf(const S3Request& request) {
  if (!request.HasQuery("versionId")) return IamAction(request.operation);
  // A request on one version of an object needs the version action
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
  switch (request.operation) {
    case S3Operation::kGetObject:
    case S3Operation::kHeadObject: return "s3:GetObjectVersion";
    case S3Operation::kDeleteObject: return "s3:DeleteObjectVersion";
    case S3Operation::kGetObjectTagging: return "s3:GetObjectVersionTagging";
    case S3Operation::kPutObjectTagging: return "s3:PutObjectVersionTagging";
    case S3Operation::kDeleteObjectTagging: return "s3:DeleteObjectVersionTagging";
    case S3Operation::kGetObjectAcl: return "s3:GetObjectVersionAcl";
    case S3Operation::kPutObjectAcl: return "s3:PutObjectVersionAcl";
    case S3Operation::kGetObjectAttributes: return "s3:GetObjectVersionAttributes";
    default: return IamAction(request.operation);
  }
}

std::string S3Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string() : it->second;
}

std::string S3Request::ResourceArn() const {
  switch (ResourceKindOf(operation)) {
    case policy::ResourceKind::kBucket:
    case policy::ResourceKind::kNone: return "arn:aws:s3:::" + bucket;  // the bucket whose objects it acts on
    case policy::ResourceKind::kObject: return "arn:aws:s3:::" + bucket + "/" + key;
    default: return "*";  // kS3Service: the table holds no other kind for S3
  }
}

Result<S3Request> ParseS3Request(const RouteInput& input) {
  std::string_view target = input.target;
  size_t qmark = target.find('?');
  std::string_view raw_path = target.substr(0, qmark);
  std::string_view raw_query = qmark == std::string_view::npos ? "" : target.substr(qmark + 1);
  if (raw_path.empty() || raw_path[0] != '/') return MakeError(ErrorCode::kInvalidURI);

  S3Request request;
  auto query = ParseQuery(raw_query);
  if (!query) return query.error();
  request.query = std::move(*query);

  // S3 paths are percent-decoded exactly once; "%2F" in a key is a '/' of the key.
  auto path = PercentDecode(raw_path.substr(1));
  if (!path) return MakeError(ErrorCode::kInvalidURI);
  std::string_view host_bucket = BucketFromHost(input.host, input.virtual_host_domain);
  if (!host_bucket.empty()) {
    request.bucket = std::string(host_bucket);
    request.key = std::move(*path);
  } else {
    size_t slash = path->find('/');
    request.bucket = path->substr(0, slash);
    if (slash != std::string::npos) request.key = path->substr(slash + 1);
  }

  for (auto sub : kUnservedSubresources) {
    if (request.HasQuery(sub)) {
      request.operation = S3Operation::kUnsupported;
      request.unsupported_what = "?" + std::string(sub);
      return request;
    }
  }
  if (request.bucket.empty()) {
    request.operation = ServiceOperation(input.method);
  } else if (request.key.empty()) {
    request.operation = BucketOperation(input.method, request);
    // POST /bucket with a form body (and no ?delete etc.) is a browser upload.
    if (request.operation == S3Operation::kUnsupported && input.method == bhttp::verb::post &&
        input.is_form_upload && request.query.empty()) {
      request.operation = S3Operation::kPostObject;
    }
  } else {
    request.operation = ObjectOperation(input.method, request, input.has_copy_source);
  }
  return request;
}

}  // namespace kura::s3
