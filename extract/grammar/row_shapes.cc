#include "extract/grammar/row_shapes.h"

#include <cmath>
#include <string>
#include <vector>

#include "extract/grammar/cell_text.h"

namespace billwise::grammar_internal {
namespace {

// "....", "-----", "___": a leader between a description and its amount.
bool IsLeader(std::string_view t) {
  if (t.size() < 2) return false;
  for (char c : t) {
    if (c != '.' && c != '-' && c != '_' && c != '*' && c != ' ') return false;
  }
  return true;
}

// "1.", "12", "3)", "#4", "(5)": a serial number before the row.
bool IsSerial(std::string_view t) {
  std::string_view s = t;
  if (!s.empty() && s.front() == '#') s.remove_prefix(1);
  if (!s.empty() && s.front() == '(') s.remove_prefix(1);
  if (!s.empty() && (s.back() == '.' || s.back() == ')')) s.remove_suffix(1);
  if (s.empty() || s.size() > 3) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Money the row ends with: a mark or cents; a bare integer is not enough.
std::optional<Money> AmountToken(std::string_view t) {
  if (!LooksLikeMoney(t)) return std::nullopt;
  return ParseMoney(t);
}

}  // namespace

std::optional<ShapedRow> ReadRowShape(std::string_view text, DateOrder order) {
  std::vector<std::string> tok = Tokens(text);
  if (tok.size() < 2) return std::nullopt;
  // "USD 1,020.42", "$ 45.00": a currency word split from its amount.
  size_t end = tok.size();
  auto money_at = [&](size_t k) -> std::optional<Money> {
    auto m = AmountToken(tok[k]);
    if (!m && k > 0) {
      const std::string& prev = tok[k - 1];
      if (prev == "$" || prev == "USD" || prev == "Rs." || prev == "INR") m = AmountToken(prev + tok[k]);
    }
    return m;
  };
  auto amount = money_at(end - 1);
  if (!amount) return std::nullopt;
  --end;
  if (end > 0 && (tok[end - 1] == "$" || tok[end - 1] == "USD" || tok[end - 1] == "Rs." || tok[end - 1] == "INR")) --end;
  ShapedRow out;
  LineItem& it = out.item;
  it.charge = amount;
  // Up to two numbers before the amount: quantity and unit price, when they multiply out.
  std::optional<Money> unit;
  std::optional<double> qty;
  if (end >= 2) {
    auto u = money_at(end - 1);
    if (u) {
      auto q = ParseQuantity(tok[end - 2]);
      bool q_plain = q && !LooksLikeMoney(tok[end - 2]);
      if (q_plain && std::llround(*q * static_cast<double>(u->cents)) == amount->cents) {
        unit = u;
        qty = q;
        end -= 2;
      }
    } else if (auto q = ParseQuantity(tok[end - 1]); q && !LooksLikeMoney(tok[end - 1]) && *q > 0 &&
                                                       *q <= 999 && tok[end - 1].find('.') == std::string::npos &&
                                                       end >= 2 && HasLetters(tok[end - 2], 1)) {
      // "Office Visit   1   $350.00": a count before the amount.
      qty = q;
      --end;
    }
  }
  while (end > 0 && IsLeader(tok[end - 1])) --end;
  // Leading values.
  size_t b = 0;
  if (b < end && IsSerial(tok[b]) && end - b >= 2) {
    ++b;
    out.leading_value = true;
  }
  if (b < end) {
    if (auto d = ParseDate(tok[b], order)) {
      it.date_of_service = d;
      ++b;
      out.leading_value = true;
    }
  }
  if (b + 1 < end && (tok[b] == "CPT" || tok[b] == "HCPCS" || tok[b] == "CPT:" || tok[b] == "HCPCS:")) {
    if (auto c = ParseCodeCell(tok[b + 1]); c && c->type != CodeType::kRevenue) {
      it.code = c->code;
      it.code_type = c->type;
      it.modifiers = c->modifiers;
      b += 2;
      out.leading_value = true;
    }
  } else if (b < end) {
    if (auto c = ParseCodeCell(tok[b]); c && c->type != CodeType::kRevenue && c->type != CodeType::kNone) {
      it.code = c->code;
      it.code_type = c->type;
      it.modifiers = c->modifiers;
      ++b;
      out.leading_value = true;
    }
  }
  std::string desc;
  for (size_t k = b; k < end; ++k) desc += (desc.empty() ? "" : " ") + tok[k];
  while (!desc.empty() && (desc.back() == ':' || desc.back() == '.' || desc.back() == ' ' || desc.back() == '-')) {
    out.label_colon = out.label_colon || desc.back() == ':';
    desc.pop_back();
  }
  if (!HasLetters(desc, 3)) return std::nullopt;
  it.description = CollapseSpaces(desc);
  it.unit_price = unit;
  if (qty) it.quantity = *qty;
  return out;
}

}  // namespace billwise::grammar_internal
