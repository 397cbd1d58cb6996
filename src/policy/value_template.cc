#include "policy/value_template.h"

#include "common/text.h"

namespace kura::policy {
namespace {

// Splits "key, 'default'" into key and default; false if the default is not single-quoted.
bool SplitDefault(std::string_view body, std::string_view& key, std::string_view& def,
                  bool& has_default) {
  size_t comma = body.find(',');
  has_default = comma != std::string_view::npos;
  key = TrimAsciiWhitespace(body.substr(0, comma));
  if (!has_default) return !key.empty();
  std::string_view quoted = TrimAsciiWhitespace(body.substr(comma + 1));
  if (quoted.size() < 2 || quoted.front() != '\'' || quoted.back() != '\'') return false;
  def = quoted.substr(1, quoted.size() - 2);
  return !key.empty();
}

}  // namespace

ValueTemplate::ValueTemplate(std::string_view text, bool substitute_variables, bool glob)
    : text_(text), glob_(glob) {
  std::string pending;
  auto flush = [&] {
    if (!pending.empty()) pieces_.push_back({PieceKind::kText, std::move(pending), false, {}});
    pending.clear();
  };
  size_t i = 0;
  bool may_close = substitute_variables;  // false once no '}' remains: keeps parsing linear
  while (i < text.size()) {
    size_t close = std::string_view::npos;
    if (may_close && text.compare(i, 2, "${") == 0) {
      close = text.find('}', i + 2);
      may_close = close != std::string_view::npos;
    }
    if (close == std::string_view::npos) {
      pending.push_back(text[i++]);
      continue;
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::string_view key, def;
    bool has_default = false;
    if (body == "*" || body == "?" || body == "$") {
      flush();
      pieces_.push_back({PieceKind::kLiteralChar, std::string(body), false, {}});
    } else if (SplitDefault(body, key, def, has_default)) {
      flush();
      pieces_.push_back({PieceKind::kVariable, AsciiLower(key), has_default, std::string(def)});
      has_variables_ = true;
    } else {
      pending.append(text.substr(i, close + 1 - i));  // not a variable: keep as written
    }
    i = close + 1;
  }
  flush();
  if (!has_variables_) {
    (void)ResolveUnits(RequestContext(), units_);
    (void)ResolveString(RequestContext(), literal_);
  }
}

const std::string* ValueTemplate::Lookup(const Piece& piece, const RequestContext& context) const {
  const std::vector<std::string>* values = context.GetLowered(piece.text);
  if (values != nullptr && values->size() == 1) return &values->front();
  if (piece.has_default) return &piece.default_value;
  return nullptr;
}

bool ValueTemplate::ResolveUnits(const RequestContext& context,
                                 std::vector<PatternUnit>& out) const {
  for (const Piece& piece : pieces_) {
    switch (piece.kind) {
      case PieceKind::kText:
        if (glob_) {
          AppendGlobUnits(piece.text, out);
        } else {
          AppendLiteralUnits(piece.text, out);
        }
        break;
      case PieceKind::kLiteralChar:
        AppendLiteralUnits(piece.text, out);
        break;
      case PieceKind::kVariable: {
        const std::string* value = Lookup(piece, context);
        if (value == nullptr) return false;
        AppendLiteralUnits(*value, out);
        break;
      }
    }
  }
  return true;
}

bool ValueTemplate::ResolveString(const RequestContext& context, std::string& out) const {
  for (const Piece& piece : pieces_) {
    if (piece.kind != PieceKind::kVariable) {
      out += piece.text;
      continue;
    }
    const std::string* value = Lookup(piece, context);
    if (value == nullptr) return false;
    out += *value;
  }
  return true;
}

}  // namespace kura::policy
