#include "store/preconditions.h"

#include <chrono>
#include <string_view>

namespace kura::store {
namespace {

std::string_view Unquoted(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    return etag.substr(1, etag.size() - 2);
  }
  return etag;
}

}  // namespace

Result<void> CheckPrecondition(const WritePrecondition& precondition, const ObjectRecord* current) {
  if (precondition.if_none_match_any && current != nullptr) {
    return ErrorCode::kPreconditionFailed;
  }
  if (precondition.if_match_etag) {
    if (current == nullptr) return ErrorCode::kNoSuchKey;
    std::string_view wanted = Unquoted(*precondition.if_match_etag);
    if (wanted != "*" && wanted != Unquoted(current->etag)) return ErrorCode::kPreconditionFailed;
  }
  return Ok();
}

Result<void> CheckPrecondition(const DeletePrecondition& precondition, const ObjectRecord* current) {
  if (precondition.if_match_etag) {
    KURA_TRY(CheckPrecondition(WritePrecondition{.if_match_etag = precondition.if_match_etag}, current));
  }
  if (current == nullptr) return Ok();
  if (precondition.if_match_last_modified &&
      std::chrono::floor<std::chrono::seconds>(current->last_modified) !=
          std::chrono::floor<std::chrono::seconds>(*precondition.if_match_last_modified)) {
    return ErrorCode::kPreconditionFailed;
  }
  if (precondition.if_match_size && *precondition.if_match_size != current->size) {
    return ErrorCode::kPreconditionFailed;
  }
  return Ok();
}

}  // namespace kura::store
