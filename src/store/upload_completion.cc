#include "store/upload_completion.h"

#include <set>
#include <string>
#include <utility>

namespace kura::store {

BlobRef PartBlob(std::string id, uint64_t size) {
  BlobRef blob;
  blob.kind = BlobRef::Kind::kFile;
  blob.id = std::move(id);
  blob.size = size;
  return blob;
}

Result<std::vector<BlobRef>> UnusedParts(std::vector<PartRecord> stored,
                                         const CompletedUpload& completed) {
  std::set<std::pair<int, std::string>> used;
  for (const auto& part : completed.parts) used.emplace(part.part_number, part.blob.id);
  std::vector<BlobRef> unused;
  size_t found = 0;
  for (auto& part : stored) {
    if (used.count({part.part_number, part.blob.id})) {
      ++found;
    } else {
      unused.push_back(std::move(part.blob));
    }
  }
  if (found != used.size()) return ErrorCode::kInvalidPart;
  return unused;
}

}  // namespace kura::store
