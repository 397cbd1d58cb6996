#include "s3/version_id.h"

namespace kura::s3 {
namespace {

// Letters, digits, '.' and '_': the characters of AWS's version ids, none needing escaping in
// a query string or an XML text node.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

}  // namespace

std::string NewVersionId(Random& random) { return random.Chars(kVersionIdLength, kAlphabet); }

bool IsWellFormedVersionId(std::string_view id) {
  if (id == "null") return true;
  return id.size() == kVersionIdLength && id.find_first_not_of(kAlphabet) == std::string_view::npos;
}

}  // namespace kura::s3
