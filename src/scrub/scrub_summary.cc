#include "scrub/scrub_summary.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace kura::scrub {
namespace json = boost::json;
namespace {

std::vector<Problem>& ListOf(Summary& s, ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kCorrupt:
      return s.corrupt;
    case ProblemKind::kMissing:
      return s.missing;
    case ProblemKind::kSizeMismatch:
      return s.size_mismatch;
  }
  return s.corrupt;
}

uint64_t& CountOf(Summary& s, ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kCorrupt:
      return s.corrupt_count;
    case ProblemKind::kMissing:
      return s.missing_count;
    case ProblemKind::kSizeMismatch:
      return s.size_mismatch_count;
  }
  return s.corrupt_count;
}

json::value ProblemJson(const Problem& p) {
  json::object o;
  o["bucket"] = p.bucket;
  o["key"] = p.key;
  if (p.upload_id.empty()) {
    o["versionId"] = p.version_id;
  } else {
    o["uploadId"] = p.upload_id;
    o["partNumber"] = p.part_number;
  }
  o["blobId"] = p.blob_id;
  o["reason"] = p.reason;
  return o;
}

json::value ProblemsJson(const std::vector<Problem>& problems) {
  json::array a;
  for (const auto& p : problems) a.push_back(ProblemJson(p));
  return a;
}

// Readers that leave `out` alone and report false when the member is absent or mistyped.
bool Read(const json::object& o, std::string_view name, std::string& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return false;
  out = std::string(v->get_string());
  return true;
}

template <typename Int>
bool Read(const json::object& o, std::string_view name, Int& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return false;
  if (v->is_int64())
    out = static_cast<Int>(v->get_int64());
  else if (v->is_uint64())
    out = static_cast<Int>(v->get_uint64());
  else
    return false;
  return true;
}

bool Read(const json::object& o, std::string_view name, double& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_number()) return false;
  out = v->is_double()  ? v->get_double()
        : v->is_int64() ? static_cast<double>(v->get_int64())
                        : static_cast<double>(v->get_uint64());
  return true;
}

bool Read(const json::object& o, std::string_view name, bool& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_bool()) return false;
  out = v->get_bool();
  return true;
}

bool ReadProblems(const json::object& o, std::string_view name, ProblemKind kind,
                  std::vector<Problem>& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_array()) return false;
  for (const json::value& item : v->get_array()) {
    if (!item.is_object()) return false;
    const json::object& p = item.get_object();
    Problem problem{.kind = kind};
    bool ok = Read(p, "bucket", problem.bucket) && Read(p, "key", problem.key) &&
              Read(p, "blobId", problem.blob_id) && Read(p, "reason", problem.reason);
    if (!Read(p, "versionId", problem.version_id)) {
      ok = ok && Read(p, "uploadId", problem.upload_id) &&
           Read(p, "partNumber", problem.part_number);
    }
    if (!ok) return false;
    out.push_back(std::move(problem));
  }
  return true;
}

bool ReadOrphans(const json::object& o, std::vector<Orphan>& out) {
  const json::value* v = o.if_contains("orphans");
  if (v == nullptr || !v->is_array()) return false;
  for (const json::value& item : v->get_array()) {
    if (!item.is_object()) return false;
    Orphan orphan;
    const json::object& p = item.get_object();
    if (!Read(p, "blobId", orphan.blob_id) || !Read(p, "size", orphan.size) ||
        !Read(p, "ageSeconds", orphan.age_seconds)) {
      return false;
    }
    out.push_back(std::move(orphan));
  }
  return true;
}

}  // namespace

void Summary::Add(Problem problem) {
  ++CountOf(*this, problem.kind);
  auto& list = ListOf(*this, problem.kind);
  if (list.size() < kMaxListed) list.push_back(std::move(problem));
}

void Summary::Add(Orphan orphan) {
  ++orphan_count;
  if (orphans.size() < kMaxListed) orphans.push_back(std::move(orphan));
}

std::string_view ProblemKindName(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kCorrupt:
      return "corrupt";
    case ProblemKind::kMissing:
      return "missing";
    case ProblemKind::kSizeMismatch:
      return "size_mismatch";
  }
  return "corrupt";
}

std::string ToJson(const Summary& s) {
  json::object o;
  o["objects"] = s.objects;
  o["bytes"] = s.bytes;
  o["verified"] = s.verified;
  o["legacy_unverified"] = s.legacy_unverified;
  o["delete_markers"] = s.delete_markers;
  o["objects_this_run"] = s.objects_this_run;
  o["duration_seconds"] = s.duration_seconds;
  o["complete"] = s.complete;
  o["started"] = s.started;
  o["finished"] = s.finished;
  o["counts"] = json::object{{"corrupt", s.corrupt_count},
                             {"missing", s.missing_count},
                             {"size_mismatch", s.size_mismatch_count},
                             {"orphans", s.orphan_count}};
  o["corrupt"] = ProblemsJson(s.corrupt);
  o["missing"] = ProblemsJson(s.missing);
  o["size_mismatch"] = ProblemsJson(s.size_mismatch);
  json::array orphans;
  for (const auto& orphan : s.orphans) {
    orphans.push_back(json::object{
        {"blobId", orphan.blob_id}, {"size", orphan.size}, {"ageSeconds", orphan.age_seconds}});
  }
  o["orphans"] = std::move(orphans);
  return json::serialize(o);
}

Result<Summary> SummaryFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return MakeError(ErrorCode::kInvalidArgument, "not a JSON object");
  const json::object& o = parsed.get_object();
  Summary s;
  const json::value* counts = o.if_contains("counts");
  bool ok = counts != nullptr && counts->is_object();
  ok = ok && Read(o, "objects", s.objects) && Read(o, "bytes", s.bytes) &&
       Read(o, "verified", s.verified) && Read(o, "legacy_unverified", s.legacy_unverified) &&
       Read(o, "delete_markers", s.delete_markers) &&
       Read(o, "objects_this_run", s.objects_this_run) &&
       Read(o, "duration_seconds", s.duration_seconds) && Read(o, "complete", s.complete) &&
       Read(o, "started", s.started) && Read(o, "finished", s.finished);
  ok = ok && Read(counts->get_object(), "corrupt", s.corrupt_count) &&
       Read(counts->get_object(), "missing", s.missing_count) &&
       Read(counts->get_object(), "size_mismatch", s.size_mismatch_count) &&
       Read(counts->get_object(), "orphans", s.orphan_count);
  ok = ok && ReadProblems(o, "corrupt", ProblemKind::kCorrupt, s.corrupt) &&
       ReadProblems(o, "missing", ProblemKind::kMissing, s.missing) &&
       ReadProblems(o, "size_mismatch", ProblemKind::kSizeMismatch, s.size_mismatch) &&
       ReadOrphans(o, s.orphans);
  if (!ok) return MakeError(ErrorCode::kInvalidArgument, "not a scrub summary");
  return s;
}

}  // namespace kura::scrub
