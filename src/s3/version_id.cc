#include "s3/version_id.h"

namespace kura::s3 {

std::string NewVersionId(Random& random) {
  // Letters, digits, '.' and '_': the characters of AWS's version ids, none needing escaping in
  // a query string or an XML text node.
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  return random.Chars(kVersionIdLength, kAlphabet);
}

}  // namespace kura::s3
