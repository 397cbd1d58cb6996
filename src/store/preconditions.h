// S3 conditional writes, shared by every MetadataStore: If-None-Match: * and If-Match: etag
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), and
// conditional deletes.
// Thread-safety: pure function.
#pragma once

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// `current` is the object now stored under the key, or null.
Result<void> CheckPrecondition(const WritePrecondition& precondition, const ObjectRecord* current);
// The same for a conditional delete; see DeletePrecondition.
Result<void> CheckPrecondition(const DeletePrecondition& precondition, const ObjectRecord* current);

}  // namespace kura::store
