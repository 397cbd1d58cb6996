#include "s3/lifecycle_config.h"
#include "s3/xml_body.h"

#include <pugixml.hpp>

#include <charconv>
#include <set>

#include "common/time_format.h"
#include "common/xml_writer.h"

namespace kura::s3 {
namespace {

// S3's limits on a lifecycle configuration (PutBucketLifecycleConfiguration). They belong in
// common/limits.h; kept here until that header can change without rebuilding every worktree.
constexpr size_t kMaxLifecycleRules = 1000;
constexpr size_t kMaxLifecycleRuleIdLength = 255;
constexpr int kMaxNewerNoncurrentVersions = 100;

using Node = pugi::xml_node;

Error Malformed() {
  return MakeError(ErrorCode::kMalformedXML,
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
}

bool IsElement(Node n) { return n.type() == pugi::node_element; }

// The element children of `node` must all be among `allowed`.
bool OnlyChildren(Node node, std::initializer_list<std::string_view> allowed) {
  for (Node child : node.children()) {
    if (!IsElement(child)) continue;
    bool known = false;
    for (std::string_view name : allowed) known = known || name == child.name();
    if (!known) return false;
  }
  return true;
}

int CountElements(Node node) {
  int n = 0;
  for (Node child : node.children()) n += IsElement(child) ? 1 : 0;
  return n;
}

Result<int64_t> ParseInteger(Node n) {
  std::string_view text = n.child_value();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return Malformed();
  return value;
}

// A day count that must be >= 1: `what` names it in AWS's message.
Result<int> ParsePositiveDays(Node n, std::string_view what) {
  auto value = ParseInteger(n);
  if (!value) return value.error();
  if (*value < 1 || *value > INT32_MAX) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " must be a positive integer");
  }
  return static_cast<int>(*value);
}

Result<uint64_t> ParseSize(Node n) {
  auto value = ParseInteger(n);
  if (!value) return value.error();
  if (*value < 0) return MakeError(ErrorCode::kInvalidArgument, "Object size must be non-negative");
  return static_cast<uint64_t>(*value);
}

Result<std::pair<std::string, std::string>> ParseTag(Node tag) {
  if (!OnlyChildren(tag, {"Key", "Value"}) || !tag.child("Key")) return Malformed();
  return std::pair<std::string, std::string>(tag.child_value("Key"), tag.child_value("Value"));
}

Result<void> ParseAnd(Node and_node, LifecycleFilter& f) {
  if (!OnlyChildren(and_node, {"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"})) {
    return Malformed();
  }
  f.prefix = and_node.child_value("Prefix");
  std::set<std::string> keys;
  for (Node tag : and_node.children("Tag")) {
    auto pair = ParseTag(tag);
    if (!pair) return pair.error();
    if (!keys.insert(pair->first).second) {
      return MakeError(ErrorCode::kInvalidRequest, "Duplicate Tag Keys are not allowed.");
    }
    f.tags.push_back(std::move(*pair));
  }
  if (Node gt = and_node.child("ObjectSizeGreaterThan")) {
    auto size = ParseSize(gt);
    if (!size) return size.error();
    f.size_greater_than = *size;
  }
  if (Node lt = and_node.child("ObjectSizeLessThan")) {
    auto size = ParseSize(lt);
    if (!size) return size.error();
    f.size_less_than = *size;
  }
  return Ok();
}

// <Filter> holds at most one predicate; several are combined only inside <And>.
Result<LifecycleFilter> ParseFilter(Node filter) {
  LifecycleFilter f;
  if (CountElements(filter) == 0) return f;  // <Filter/>: every object
  if (CountElements(filter) > 1) return Malformed();
  Node only = filter.find_child(IsElement);
  std::string_view name = only.name();
  if (name == "Prefix") {
    f.form = LifecycleFilter::Form::kPrefix;
    f.prefix = only.child_value();
  } else if (name == "Tag") {
    f.form = LifecycleFilter::Form::kTag;
    auto tag = ParseTag(only);
    if (!tag) return tag.error();
    f.tags.push_back(std::move(*tag));
  } else if (name == "And") {
    f.form = LifecycleFilter::Form::kAnd;
    KURA_TRY(ParseAnd(only, f));
  } else if (name == "ObjectSizeGreaterThan" || name == "ObjectSizeLessThan") {
    auto size = ParseSize(only);
    if (!size) return size.error();
    bool greater = name == "ObjectSizeGreaterThan";
    f.form = greater ? LifecycleFilter::Form::kSizeGreaterThan : LifecycleFilter::Form::kSizeLessThan;
    (greater ? f.size_greater_than : f.size_less_than) = *size;
  } else {
    return Malformed();
  }
  if (f.size_greater_than && f.size_less_than && *f.size_greater_than >= *f.size_less_than) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
  }
  return f;
}

Result<void> ParseExpiration(Node e, LifecycleRule& rule) {
  if (!OnlyChildren(e, {"Days", "Date", "ExpiredObjectDeleteMarker"})) return Malformed();
  Node days = e.child("Days"), date = e.child("Date"), marker = e.child("ExpiredObjectDeleteMarker");
  if (!days && !date && !marker) return Malformed();
  if (days && date) return Malformed();
  if (marker && (days || date)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a "
                     "Lifecycle Expiration Policy.");
  }
  if (days) {
    auto n = ParsePositiveDays(days, "'Days' for Expiration action");
    if (!n) return n.error();
    rule.expiration_days = *n;
  }
  if (date) {
    auto when = ParseIso8601(date.child_value());
    if (!when) return Malformed();
    if (UnixSeconds(*when) % 86400 != 0 || *when != FromUnixSeconds(UnixSeconds(*when))) {
      return MakeError(ErrorCode::kInvalidArgument, "'Date' must be at midnight GMT");
    }
    rule.expiration_date = *when;
  }
  if (marker) {
    std::string_view v = marker.child_value();
    if (v != "true" && v != "false") return Malformed();
    rule.expired_object_delete_marker = v == "true";
  }
  return Ok();
}

Result<void> ParseNoncurrentExpiration(Node e, LifecycleRule& rule) {
  if (!OnlyChildren(e, {"NoncurrentDays", "NewerNoncurrentVersions"})) return Malformed();
  if (!e.child("NoncurrentDays")) return Malformed();
  auto days = ParsePositiveDays(e.child("NoncurrentDays"), "'NoncurrentDays' for NoncurrentVersionExpiration action");
  if (!days) return days.error();
  rule.noncurrent_days = *days;
  if (Node newer = e.child("NewerNoncurrentVersions")) {
    auto n = ParseInteger(newer);
    if (!n) return n.error();
    if (*n < 1 || *n > kMaxNewerNoncurrentVersions) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "NewerNoncurrentVersions must be between 1 and 100");
    }
    rule.newer_noncurrent_versions = static_cast<int>(*n);
  }
  return Ok();
}

Result<void> ParseAbort(Node e, LifecycleRule& rule) {
  if (!OnlyChildren(e, {"DaysAfterInitiation"}) || !e.child("DaysAfterInitiation")) return Malformed();
  auto days = ParsePositiveDays(e.child("DaysAfterInitiation"),
                                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action");
  if (!days) return days.error();
  rule.abort_days_after_initiation = *days;
  return Ok();
}

Result<void> ParseRuleFilter(Node r, LifecycleRule& rule) {
  Node filter = r.child("Filter"), prefix = r.child("Prefix");
  if (filter && prefix) return Malformed();
  if (!filter && !prefix) return Malformed();
  if (prefix) {
    rule.filter.form = LifecycleFilter::Form::kLegacyPrefix;
    rule.filter.prefix = prefix.child_value();
    return Ok();
  }
  auto parsed = ParseFilter(filter);
  if (!parsed) return parsed.error();
  rule.filter = std::move(*parsed);
  return Ok();
}

// Cross-field rules of one rule, checked once every element is read.
Result<void> CheckRuleActions(const LifecycleRule& rule) {
  bool any = rule.expiration_days || rule.expiration_date || rule.expired_object_delete_marker ||
             rule.noncurrent_days || rule.abort_days_after_initiation;
  if (!any) {
    return MakeError(ErrorCode::kInvalidRequest, "At least one action needs to be specified in a rule");
  }
  if (!rule.filter.tags.empty()) {
    if (rule.abort_days_after_initiation) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "AbortIncompleteMultipartUpload cannot be specified with Tags.");
    }
    if (rule.expired_object_delete_marker) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "ExpiredObjectDeleteMarker cannot be specified with Tags.");
    }
  }
  return Ok();
}

Result<LifecycleRule> ParseRule(Node r) {
  if (!OnlyChildren(r, {"ID", "Status", "Filter", "Prefix", "Expiration", "NoncurrentVersionExpiration",
                        "AbortIncompleteMultipartUpload", "Transition", "NoncurrentVersionTransition"})) {
    return Malformed();
  }
  if (r.child("Transition") || r.child("NoncurrentVersionTransition")) {
    return MakeError(ErrorCode::kInvalidStorageClass,
                     "The storage class you specified is not valid: kura stores every object in "
                     "STANDARD, so lifecycle transitions are not supported");
  }
  LifecycleRule rule;
  rule.id = r.child_value("ID");
  if (rule.id.size() > kMaxLifecycleRuleIdLength) {
    return MakeError(ErrorCode::kInvalidArgument, "ID length should not exceed allowed limit of 255");
  }
  std::string_view status = r.child_value("Status");
  if (status != "Enabled" && status != "Disabled") return Malformed();
  rule.enabled = status == "Enabled";
  KURA_TRY(ParseRuleFilter(r, rule));
  if (Node e = r.child("Expiration")) KURA_TRY(ParseExpiration(e, rule));
  if (Node e = r.child("NoncurrentVersionExpiration")) KURA_TRY(ParseNoncurrentExpiration(e, rule));
  if (Node e = r.child("AbortIncompleteMultipartUpload")) KURA_TRY(ParseAbort(e, rule));
  KURA_TRY(CheckRuleActions(rule));
  return rule;
}

void RenderTag(xml::Writer& w, const std::pair<std::string, std::string>& tag) {
  w.Open("Tag").Element("Key", tag.first).Element("Value", tag.second).Close("Tag");
}

void RenderFilter(xml::Writer& w, const LifecycleFilter& f) {
  using Form = LifecycleFilter::Form;
  if (f.form == Form::kLegacyPrefix) {
    w.Element("Prefix", f.prefix);
    return;
  }
  w.Open("Filter");
  switch (f.form) {
    case Form::kLegacyPrefix:
    case Form::kEmpty:
      break;
    case Form::kPrefix:
      w.Element("Prefix", f.prefix);
      break;
    case Form::kTag:
      RenderTag(w, f.tags.front());
      break;
    case Form::kSizeGreaterThan:
      w.Element("ObjectSizeGreaterThan", *f.size_greater_than);
      break;
    case Form::kSizeLessThan:
      w.Element("ObjectSizeLessThan", *f.size_less_than);
      break;
    case Form::kAnd:
      w.Open("And");
      if (!f.prefix.empty()) w.Element("Prefix", f.prefix);
      for (const auto& tag : f.tags) RenderTag(w, tag);
      if (f.size_greater_than) w.Element("ObjectSizeGreaterThan", *f.size_greater_than);
      if (f.size_less_than) w.Element("ObjectSizeLessThan", *f.size_less_than);
      w.Close("And");
      break;
  }
  w.Close("Filter");
}

void RenderRule(xml::Writer& w, const LifecycleRule& rule) {
  w.Open("Rule").Element("ID", rule.id);
  RenderFilter(w, rule.filter);
  w.Element("Status", rule.enabled ? "Enabled" : "Disabled");
  if (rule.expiration_days || rule.expiration_date || rule.expired_object_delete_marker) {
    w.Open("Expiration");
    if (rule.expiration_days) w.Element("Days", static_cast<uint64_t>(*rule.expiration_days));
    if (rule.expiration_date) w.Element("Date", FormatIso8601(*rule.expiration_date));
    if (rule.expired_object_delete_marker) {
      w.Bool("ExpiredObjectDeleteMarker", *rule.expired_object_delete_marker);
    }
    w.Close("Expiration");
  }
  if (rule.noncurrent_days) {
    w.Open("NoncurrentVersionExpiration")
        .Element("NoncurrentDays", static_cast<uint64_t>(*rule.noncurrent_days));
    if (rule.newer_noncurrent_versions) {
      w.Element("NewerNoncurrentVersions", static_cast<uint64_t>(*rule.newer_noncurrent_versions));
    }
    w.Close("NoncurrentVersionExpiration");
  }
  if (rule.abort_days_after_initiation) {
    w.Open("AbortIncompleteMultipartUpload")
        .Element("DaysAfterInitiation", static_cast<uint64_t>(*rule.abort_days_after_initiation))
        .Close("AbortIncompleteMultipartUpload");
  }
  w.Close("Rule");
}

bool HasTag(const store::Pairs& tags, const std::pair<std::string, std::string>& wanted) {
  for (const auto& tag : tags) {
    if (tag == wanted) return true;
  }
  return false;
}

}  // namespace

Result<LifecycleRules> ParseLifecycleConfiguration(std::string_view xml) {
  pugi::xml_document doc;
  auto parsed = ParseXmlBody(doc, xml, "LifecycleConfiguration");
  if (!parsed) return Malformed();
  Node root = *parsed;
  if (!OnlyChildren(root, {"Rule"}) || !root.child("Rule")) return Malformed();
  LifecycleRules rules;
  std::set<std::string> ids;
  for (Node r : root.children("Rule")) {
    if (rules.size() == kMaxLifecycleRules) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "The number of lifecycle rules must not exceed the allowed limit of 1000 rules");
    }
    auto rule = ParseRule(r);
    if (!rule) return rule.error();
    if (!rule->id.empty() && !ids.insert(rule->id).second) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Rule ID must be unique. Found same ID for more than one rule");
    }
    rules.push_back(std::move(*rule));
  }
  return rules;
}

std::string RenderLifecycleConfiguration(const LifecycleRules& rules) {
  xml::Writer w("LifecycleConfiguration", xml::kS3Namespace);
  for (const LifecycleRule& rule : rules) RenderRule(w, rule);
  return w.Finish();
}

bool RuleSelects(const LifecycleRule& rule, const store::ObjectRecord& object) {
  const LifecycleFilter& f = rule.filter;
  if (!rule.enabled || !object.key.starts_with(f.prefix)) return false;
  if (f.size_greater_than && !(object.size > *f.size_greater_than)) return false;
  if (f.size_less_than && !(object.size < *f.size_less_than)) return false;
  for (const auto& tag : f.tags) {
    if (!HasTag(object.tags, tag)) return false;
  }
  return true;
}

TimePoint LifecycleDue(TimePoint since, int days, std::chrono::seconds day) {
  using std::chrono::nanoseconds;
  int64_t day_ns = std::chrono::duration_cast<nanoseconds>(day).count();
  int64_t at = std::chrono::duration_cast<nanoseconds>(since.time_since_epoch()).count() +
               day_ns * days;
  int64_t rounded = (at + day_ns - 1) / day_ns * day_ns;  // up to the next day boundary
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(nanoseconds(rounded)));
}

std::optional<ObjectExpiry> ExpiryOf(const LifecycleRules& rules, const store::ObjectRecord& object,
                                     std::chrono::seconds day) {
  std::optional<ObjectExpiry> earliest;
  for (const LifecycleRule& rule : rules) {
    if (!(rule.expiration_days || rule.expiration_date) || !RuleSelects(rule, object)) continue;
    TimePoint when = rule.expiration_date ? *rule.expiration_date
                                          : LifecycleDue(object.last_modified, *rule.expiration_days, day);
    if (!earliest || when < earliest->when) earliest = ObjectExpiry{when, rule.id};
  }
  return earliest;
}

std::string ExpirationHeaderValue(const ObjectExpiry& expiry) {
  return "expiry-date=\"" + FormatHttpDate(expiry.when) + "\", rule-id=\"" + expiry.rule_id + "\"";
}

}  // namespace kura::s3
