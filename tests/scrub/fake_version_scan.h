// A VersionScan over vectors, for the scrubber's tests: versions and parts are kept in walk
// order; FindVersion/FindPart see the vectors as they are at the call (tests edit them to act
// as a server that changed something meanwhile).
#pragma once

#include <algorithm>
#include <tuple>

#include "store/version_scan.h"

namespace kura::scrub::testing {

inline bool VersionBefore(const store::VersionPosition& a, const store::VersionPosition& b) {
  // bucket, key ascending; order descending.
  return std::tie(a.bucket, a.key, b.order) < std::tie(b.bucket, b.key, a.order);
}

class FakeVersionScan : public store::VersionScan {
 public:
  std::vector<store::ScannedVersion> versions;
  std::vector<store::ScannedPart> parts;

  Result<std::vector<store::ScannedVersion>> VersionsAfter(const store::VersionPosition& after,
                                                           int limit) override {
    Sort();
    std::vector<store::ScannedVersion> out;
    for (const auto& v : versions) {
      if (VersionBefore(after, v.at) && static_cast<int>(out.size()) < limit) out.push_back(v);
    }
    return out;
  }
  Result<std::optional<store::ScannedVersion>> FindVersion(
      const store::VersionPosition& at) override {
    for (const auto& v : versions) {
      if (v.at == at) return std::optional<store::ScannedVersion>(v);
    }
    return std::optional<store::ScannedVersion>();
  }
  Result<std::vector<store::ScannedPart>> PartsAfter(const store::PartPosition& after,
                                                     int limit) override {
    std::vector<store::ScannedPart> out;
    for (const auto& p : parts) {
      if (std::tie(after.upload_id, after.part_number) <
              std::tie(p.at.upload_id, p.at.part_number) &&
          static_cast<int>(out.size()) < limit) {
        out.push_back(p);
      }
    }
    return out;
  }
  Result<std::optional<store::ScannedPart>> FindPart(const store::PartPosition& at) override {
    for (const auto& p : parts) {
      if (p.at == at) return std::optional<store::ScannedPart>(p);
    }
    return std::optional<store::ScannedPart>();
  }
  Result<store::ScanTotals> Totals() override {
    store::ScanTotals totals{versions.size(), parts.size(), 0};
    for (const auto& v : versions) totals.bytes += v.blob.size;
    for (const auto& p : parts) totals.bytes += p.size;
    return totals;
  }
  Result<std::unordered_set<std::string>> ReferencedBlobIds() override {
    std::unordered_set<std::string> ids;
    for (const auto& v : versions) {
      if (v.blob.kind == store::BlobRef::Kind::kFile) ids.insert(v.blob.id);
      for (const auto& part : v.blob.parts) ids.insert(part.id);
    }
    for (const auto& p : parts) ids.insert(p.blob_id);
    return ids;
  }

 private:
  void Sort() {
    std::sort(versions.begin(), versions.end(),
              [](const auto& a, const auto& b) { return VersionBefore(a.at, b.at); });
  }
};

}  // namespace kura::scrub::testing
