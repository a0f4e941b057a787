#include "extract/grammar/items.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <string>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/columns.h"
#include "extract/grammar/normalize.h"
#include "extract/grammar/row_shapes.h"

namespace billwise::grammar_internal {
namespace {

struct ItemDraft {
  LineItem item;
  bool has_money = false;
  bool has_date = false;
  bool has_code = false;
  std::string label_text;  // the non-money text of the row, for total/payment tests
};

// On scans the J of a drug code is often read as 1 or 3 ("12405" for J2405). A line
// under a pharmacy revenue code (025x, 063x: drugs, which carry J codes) whose code is five
// digits starting with 1 or 3 gets its J back.
void RepairDrugCode(LineItem* item) {
  if (!item->revenue_code || !item->code || item->code->size() != 5) return;
  const std::string& rev = *item->revenue_code;
  bool pharmacy = rev.starts_with("025") || rev.starts_with("063");
  const std::string& c = *item->code;
  if (!pharmacy || (c[0] != '1' && c[0] != '3') ||
      !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return;
  std::string repaired = c;  // the first digit replaced (not "J" + substr: GCC 12 -Wrestrict)
  repaired[0] = 'J';
  item->code = std::move(repaired);
  item->code_type = CodeType::kHcpcs;
}

}  // namespace

std::optional<Date> TakeEdgeDate(std::string* text, DateOrder order) {
  size_t b = 0, e = 0;
  auto d = FindDate(*text, order, &b, &e);
  if (!d) return std::nullopt;
  std::string rest;
  if (b == 0 && e < text->size() && (*text)[e] == ' ') {
    rest = CollapseSpaces(text->substr(e));
  } else if (e == text->size() && b > 0 && (*text)[b - 1] == ' ') {
    rest = CollapseSpaces(text->substr(0, b));
  } else {
    return std::nullopt;
  }
  if (!HasLetters(rest, 2)) return std::nullopt;
  *text = std::move(rest);
  return d;
}

void PeelGluedCode(LineItem* item) {
  if (item->code || item->revenue_code) return;
  std::string& d = item->description;
  if (d.size() < 8) return;
  const size_t at = d.size() - 5;
  for (size_t k = at; k < d.size(); ++k) {
    if (d[k] < '0' || d[k] > '9') return;
  }
  const char before = d[at - 1];
  if (!((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') || before == ')')) return;
  auto code = ParseCodeCell(d.substr(at));
  if (!code || code->type != CodeType::kCpt) return;
  item->code = code->code;
  item->code_type = code->type;
  d = CollapseSpaces(d.substr(0, at));
}

void CodeFromDescription(LineItem* item) {
  if (item->code || item->revenue_code) return;
  size_t b = 0, e = 0;
  auto code = FindCodeInText(item->description, &b, &e);
  if (!code) return;
  item->code = code->code;
  item->code_type = code->type;
  item->modifiers = code->modifiers;
  std::string rest = item->description.substr(0, b) + " " + item->description.substr(e);
  std::string_view r = Trim(rest);
  auto junk = [](char c) { return c == '-' || c == ':' || c == '|' || c == ' ' || c == ','; };
  while (!r.empty() && junk(r.front())) r.remove_prefix(1);
  while (!r.empty() && junk(r.back())) r.remove_suffix(1);
  std::string cleaned = CollapseSpaces(r);
  // "Office Visit - 99213" leaves "Office Visit"; "(...)" leftovers are trimmed above.
  if (!cleaned.empty()) item->description = cleaned;
}

void ApplyCode(const std::string& raw, LineItem* item, bool* has_code) {
  if (Trim(raw).empty()) return;
  if (auto c = ParseCodeCell(raw)) {
    if (c->type == CodeType::kRevenue) {
      item->revenue_code = c->code;
      if (!item->code) {
        item->code = c->code;
        item->code_type = CodeType::kRevenue;
      }
    } else {
      item->code = c->code;
      item->code_type = c->type;
      item->modifiers = c->modifiers;
    }
    *has_code = true;
    return;
  }
  // An internal charge code ("FURN_7777", "CDM 4500123"): kept, typed internal.
  std::string t = CollapseSpaces(raw);
  if (IsInternalCode(t)) {
    std::string stripped = t;
    if (stripped.size() > 2 && stripped.front() == '[' && stripped.back() == ']')
      stripped = stripped.substr(1, stripped.size() - 2);
    item->code = stripped;
    item->code_type = CodeType::kInternal;
    *has_code = true;
  }
}

void TotalsSums::Add(Field f, Money m) {
  Money a{std::llabs(m.cents)};
  auto& slot = f == Field::kInsurancePaid ? insurance_paid
               : f == Field::kPatientPaid ? patient_paid
                                          : adjustments;
  slot = slot ? *slot + a : a;
}

// A patient's payment is tried first, then an adjustment, then a payer's payment (whose
// patterns may be the widest).
std::optional<Field> PaymentKind(const Layout& layout, std::string_view text) {
  for (Field want : {Field::kPatientPaid, Field::kAdjustments, Field::kInsurancePaid}) {
    for (const auto& [field, re] : layout.items.payments) {
      if (field == want && re.PartialMatch(text))
        return field;
    }
  }
  return std::nullopt;
}

bool IsTotalText(const Layout& layout, const FieldFinder& finder, std::string_view text) {
  std::string t(Trim(text));
  if (t.empty()) return false;
  if (Matches(layout.items.not_items, t)) return true;
  std::string label = NormalizeLabel(t);
  for (const auto& [field, rank] : finder.Lookup(label)) {
    (void)rank;
    if (KindOf(field) == FieldKind::kMoney) return true;
  }
  return false;
}

namespace {

class ItemReader {
 public:
  ItemReader(const Layout& layout, const FieldFinder& finder, const std::vector<Row>& rows,
             std::optional<Date> default_date)
      : layout_(layout), finder_(finder), rows_(rows), default_date_(default_date) {}

  std::vector<LineItem> items;
  TotalsSums sums;
  bool found_table = false;
  bool used_rows = false;
  std::set<int> consumed;  // rows read as items or as payment/adjustment rows
  // The amounts of the last "total" row of a table, by column ("Claim Totals  $334.00 ...").
  std::optional<LineItem> table_totals;

  void Run() {
    const ItemRules& r = layout_.items;
    size_t begin = 0, end = rows_.size();
    if (r.start) {
      begin = end;
      for (size_t i = 0; i < rows_.size(); ++i) {
        if (Matches(r.start, rows_[i].text)) {
          begin = i + 1;
          break;
        }
      }
    }
    if (r.end) {
      for (size_t i = begin; i < rows_.size(); ++i) {
        if (Matches(r.end, rows_[i].text)) {
          end = i;
          break;
        }
      }
    }
    if (r.infer_columns) ReadTables(begin, end);
    if (items.empty() && !r.rows.empty() && (!r.infer_columns || r.rows_fallback)) {
      used_rows = true;
      ReadRowPatterns(begin, end);
      ReadRowShapes(begin, end);
    }
  }

 private:
  // A whole-table total ("Totals", "Claim Totals", "Total Charges"), not a page or
  // section subtotal.
  static const re2::RE2& table_total_re() {
    static const re2::RE2 re(
        R"((?i)^\W*(?:(?:claim|grand|account|statement|invoice|bill|visit|encounter)\s+)?totals?\b)");
    return re;
  }

  // --- tables -----------------------------------------------------------------
  void ReadTables(size_t begin, size_t end) {
    size_t i = begin;
    while (i < end) {
      auto cols = HeaderAt(layout_.items, rows_, i);
      if (!cols) {
        ++i;
        continue;
      }
      found_table = true;
      // A header over two lines that each name columns ("CPT Units Billed Allow ..." over
      // "Service Dates Contr ..."): every record is printed over two lines the same way.
      second_cols_ = i + 1 < end && rows_[i + 1].page == rows_[i].page
                         ? HeaderAt(layout_.items, rows_, i + 1)
                         : std::nullopt;
      const size_t first_item = items.size();
      const bool priced = HasColumn(*cols, Column::kQuantity) && HasColumn(*cols, Column::kUnitPrice) &&
                          HasColumn(*cols, Column::kCharge);
      i = ReadTable(i + (second_cols_ ? 2 : 1), end, *cols);
      if (priced) SettleQuantityPriceAmount(items.begin() + static_cast<std::ptrdiff_t>(first_item), items.end());
      second_cols_.reset();
      FlushNote(&pending_note_);
    }
  }

  static bool HasColumn(const std::vector<ColumnDef>& cols, Column kind) {
    return std::any_of(cols.begin(), cols.end(), [kind](const ColumnDef& c) { return c.kind == kind; });
  }

  std::string Join(const Row& row, const std::vector<int>& assign, int col) const {
    std::string out;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      if (assign[c] != col) continue;
      if (!out.empty()) out += ' ';
      out += row.cells[c].text;
    }
    return out;
  }

  bool InBand(const Row& row, const std::vector<ColumnDef>& cols, Column kind) const {
    for (size_t j = 0; j < cols.size(); ++j) {
      if (cols[j].kind != kind) continue;
      double left = j > 0 ? cols[j - 1].x1 - 1 : -1e9;
      double right = j + 1 < cols.size() ? cols[j + 1].x0 + 1 : 1e9;
      bool all = std::all_of(row.cells.begin(), row.cells.end(), [&](const CellView& c) {
        return c.x0 >= left && c.x1 <= right;
      });
      if (all) return true;
    }
    return false;
  }

  // Reads rows after a header until the table ends; returns the next row to look at.
  size_t ReadTable(size_t i, size_t end, std::vector<ColumnDef> cols) {
    const ItemRules& r = layout_.items;
    bool closing = false;
    int quiet = 0;  // rows since the last item or total while closing
    int last_item_row = -2;
    std::optional<Date> carry_date;
    bool has_date_col = std::any_of(cols.begin(), cols.end(),
                                    [](const ColumnDef& c) { return c.kind == Column::kDate; });
    bool has_code_col = std::any_of(cols.begin(), cols.end(),
                                    [](const ColumnDef& c) { return c.kind == Column::kCode; });
    bool has_charge_col = std::any_of(cols.begin(), cols.end(),
                                      [](const ColumnDef& c) { return c.kind == Column::kCharge; });
    std::optional<ItemDraft> partial;  // date/code/description waiting for its amounts
    std::string& pending_note = pending_note_;
    int page = i < rows_.size() ? rows_[i].page : 0;
    bool page_top = false;
    for (; i < end; ++i) {
      const Row& row = rows_[i];
      if (row.page != page) {
        page = row.page;
        page_top = true;  // page furniture until a header or a strong row
        partial.reset();
      }
      if (Matches(r.end_table, row.text)) return i + 1;
      if (auto again = HeaderAt(r, rows_, i)) {
        cols = *again;
        if (second_cols_ && i + 1 < end && rows_[i + 1].page == row.page) {
          if (auto second = HeaderAt(r, rows_, i + 1)) {
            second_cols_ = second;
            ++i;
          }
        }
        page_top = false;
        closing = false;
        last_item_row = -2;
        continue;
      }
      if (Matches(r.skip, row.text)) continue;
      std::vector<int> assign = AssignCells(row.cells, cols, row.width, layout_.date_order);
      ItemDraft d = Draft(row, cols, assign);
      if (second_cols_ && last_item_row == static_cast<int>(i) - 1 && !(d.has_money && d.has_code)) {
        // The second line of a two-line record: its values complete the item above.
        std::vector<int> assign2 = AssignCells(row.cells, *second_cols_, row.width, layout_.date_order);
        ItemDraft d2 = Draft(row, *second_cols_, assign2);
        if (d2.has_date && !d2.has_code) {
          CompleteFromSecondLine(d2.item, &items.back());
          consumed.insert(static_cast<int>(i));
          continue;
        }
      }
      if (has_date_col && !d.has_date && d.has_money && carry_date && !d.item.date_of_service)
        d.item.date_of_service = carry_date;
      bool strong = d.has_money && (d.has_date || d.has_code);
      if (page_top && !strong) {
        // Lines above the continued table on a new page: a title, the account...
        if (!d.has_money && !d.has_date && !d.has_code) continue;
        if (d.has_money) continue;
      }
      page_top = false;
      // A dated payment row ("10/24/2026  Insurance payment - Aetna  (812.00)") is a
      // payment even when its words also name a total.
      std::optional<Field> pay =
          d.has_money && !d.has_code ? PaymentKind(layout_, d.label_text) : std::nullopt;
      const bool is_total =
          d.has_money && !d.has_code && !(pay && d.has_date) && IsTotalText(layout_, finder_, d.label_text);
      if (is_total) {
        FlushNote(&pending_note);
        if (re2::RE2::PartialMatch(d.label_text, table_total_re())) table_totals = d.item;
        if (Matches(r.grand_total, d.label_text)) closing = true;
        last_item_row = -2;
        continue;
      }
      if (pay) {
        if (auto amount = FirstAmount(d.item)) sums.Add(*pay, *amount);
        consumed.insert(static_cast<int>(i));
        last_item_row = -2;
        continue;
      }
      if (!d.has_money) {
        bool text_only = !d.has_date && !d.has_code;
        bool continues = text_only && last_item_row == static_cast<int>(i) - 1 && !items.empty() &&
                         !Matches(r.not_items, row.text) && row.text.find(':') == std::string::npos;
        std::string text = CollapseSpaces(row.text);
        if (text_only && InBand(row, cols, Column::kNotes) && !InBand(row, cols, Column::kDescription)) {
          // A note line: it belongs to the next item when that item's note continues
          // it (notes centred on their row), else to the item above.
          pending_note += (pending_note.empty() ? "" : " ") + text;
          last_item_row = static_cast<int>(i);
          continue;
        }
        FlushNote(&pending_note);
        bool heading = !HasLower(text) && HasLower(items.empty() ? "" : items.back().description);
        if (continues && !heading && InBand(row, cols, Column::kDescription)) {
          items.back().description += " " + text;
          last_item_row = static_cast<int>(i);
          continue;
        }
        if (d.has_date) carry_date = d.item.date_of_service;
        if ((d.has_date || d.has_code) && !d.item.description.empty()) {
          partial = d;
        } else if (d.has_date && has_date_col) {
          partial.reset();
        }
        if (closing && ++quiet > 2) return i + 1;
        continue;
      }
      // A row with amounts.
      if (closing && !d.has_date && !d.has_code) return i;
      if (!d.has_date && !d.has_code && partial) {
        // The amounts of a row whose date/code/description sat on the line above.
        LineItem merged = partial->item;
        if (!d.item.description.empty()) merged.description += " " + d.item.description;
        LineItem& src = d.item;
        merged.quantity = src.quantity;
        merged.unit_price = src.unit_price;
        merged.charge = src.charge;
        merged.allowed = src.allowed;
        merged.insurance_paid = src.insurance_paid;
        merged.adjustment = src.adjustment;
        merged.patient_responsibility = src.patient_responsibility;
        merged.source.confidence = std::min(merged.source.confidence, src.source.confidence);
        d.item = merged;
      }
      partial.reset();
      if (d.item.description.empty() && !d.item.code) continue;
      if (!d.item.charge && !has_charge_col && d.item.unit_price) {
        d.item.charge = d.item.unit_price->Scaled(d.item.quantity);
      }
      if (!d.item.charge && !d.item.patient_responsibility && !d.item.allowed) continue;
      if (!pending_note.empty()) {
        if (d.item.eob_note || items.empty()) {
          d.item.eob_note = d.item.eob_note ? pending_note + " " + *d.item.eob_note : pending_note;
          pending_note.clear();
        } else {
          FlushNote(&pending_note);
        }
      }
      if (d.item.date_of_service) carry_date = d.item.date_of_service;
      if (!d.item.date_of_service && !has_date_col) d.item.date_of_service = default_date_;
      if (has_code_col) PeelGluedCode(&d.item);
      CodeFromDescription(&d.item);
      if (row.ocr) RepairDrugCode(&d.item);
      items.push_back(std::move(d.item));
      consumed.insert(static_cast<int>(i));
      last_item_row = static_cast<int>(i);
      quiet = 0;
    }
    FlushNote(&pending_note);
    return i;
  }

  // Fills what the first line of a two-line record left empty from its second line.
  static void CompleteFromSecondLine(const LineItem& second, LineItem* item) {
    if (!item->date_of_service) item->date_of_service = second.date_of_service;
    if (!item->adjustment) item->adjustment = second.adjustment;
    if (!item->allowed) item->allowed = second.allowed;
    if (!item->insurance_paid) item->insurance_paid = second.insurance_paid;
    if (!item->patient_responsibility) item->patient_responsibility = second.patient_responsibility;
    if (!item->eob_note) item->eob_note = second.eob_note;
    else if (second.eob_note && *second.eob_note != *item->eob_note) *item->eob_note += " " + *second.eob_note;
    item->source.confidence = std::min(item->source.confidence, second.source.confidence);
  }

  void FlushNote(std::string* pending) {
    if (pending->empty() || items.empty()) return;
    auto& note = items.back().eob_note;
    note = note ? *note + " " + *pending : *pending;
    pending->clear();
  }

  static std::optional<Money> FirstAmount(const LineItem& it) {
    for (const auto* m : {&it.charge, &it.insurance_paid, &it.adjustment, &it.patient_responsibility,
                          &it.allowed, &it.unit_price}) {
      if (*m) return **m;
    }
    return std::nullopt;
  }

  ItemDraft Draft(const Row& row, const std::vector<ColumnDef>& cols,
                  const std::vector<int>& assign) const {
    ItemDraft d;
    LineItem& it = d.item;
    it.source.page = row.page;
    it.source.line = row.line;
    float conf = 100.f;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      const std::string& t = row.cells[c].text;
      if (assign[c] < 0) {
        if (!LooksLikeMoney(t)) d.label_text += (d.label_text.empty() ? "" : " ") + t;
        continue;
      }
      conf = std::min(conf, row.cells[c].confidence);
      Column kind = cols[assign[c]].kind;
      // A remark ("adj?", "see payment") says nothing of what the row is.
      if (!IsMoneyColumn(kind) && kind != Column::kQuantity && kind != Column::kDate &&
          kind != Column::kNotes)
        d.label_text += (d.label_text.empty() ? "" : " ") + t;
    }
    it.source.confidence = conf / 100.0;
    for (size_t j = 0; j < cols.size(); ++j) {
      std::string v = Join(row, assign, static_cast<int>(j));
      if (v.empty()) continue;
      switch (cols[j].kind) {
        case Column::kDate:
          if (auto dt = ParseDate(v, layout_.date_order)) {
            it.date_of_service = dt;
            d.has_date = true;
          } else if (auto from = DateRangeStart(v, layout_.date_order)) {
            it.date_of_service = from;
            d.has_date = true;
          }
          break;
        case Column::kRevenue:
          if (auto rc = NormalizeRevenueCode(v)) {
            it.revenue_code = rc;
            d.has_code = true;
          }
          break;
        case Column::kCode:
          ApplyCode(v, &it, &d.has_code);
          break;
        case Column::kModifiers: {
          std::string cur;
          for (char ch : v + " ") {
            if (std::isalnum(static_cast<unsigned char>(ch))) {
              cur.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
            } else if (!cur.empty()) {
              if (cur.size() == 2) it.modifiers.push_back(cur);
              cur.clear();
            }
          }
          break;
        }
        case Column::kDescription:
          it.description = CollapseSpaces(v);
          break;
        case Column::kQuantity:
          if (auto q = ParseQuantity(v)) it.quantity = *q;
          break;
        case Column::kNotes:
          it.eob_note = CollapseSpaces(v);
          break;
        case Column::kIgnore:
          break;
        default: {
          auto m = ParseMoney(v);
          if (!m) break;
          switch (cols[j].kind) {
            case Column::kUnitPrice: it.unit_price = m; break;
            case Column::kCharge: it.charge = m; d.has_money = true; break;
            case Column::kAllowed: it.allowed = m; d.has_money = true; break;
            // Payments and adjustments are amounts taken off, positive however printed.
            case Column::kInsurancePaid: it.insurance_paid = Money{std::llabs(m->cents)}; d.has_money = true; break;
            case Column::kAdjustment: it.adjustment = Money{std::llabs(m->cents)}; d.has_money = true; break;
            case Column::kPatientResp: it.patient_responsibility = m; d.has_money = true; break;
            case Column::kPatientPaid: d.has_money = true; break;
            default: break;  // running balance
          }
          if (cols[j].kind == Column::kUnitPrice) d.has_money = true;
        }
      }
    }
    // A date printed so close to the description that they share a cell ("01/05/2026
    // Office visit"): the date column's value, not part of the description.
    if (!d.has_date && !it.description.empty() &&
        std::any_of(cols.begin(), cols.end(), [](const ColumnDef& c) { return c.kind == Column::kDate; })) {
      if (auto dt = TakeEdgeDate(&it.description, layout_.date_order)) {
        it.date_of_service = dt;
        d.has_date = true;
      }
    }
    return d;
  }

  // Quantity, unit price and amount settled by arithmetic, not by the header alone. Over
  // the rows of one table that print all three values, each choice of the amount is
  // counted on the rows where the other two multiply out to it (to the cent), leaving out
  // rows where a factor is 1 (there the unit price and the amount agree whichever is
  // which). A choice that multiplies out on more rows than the header's, and on at least
  // two, replaces it on every such row; of the two factors, the quantity is the one that
  // is a whole number on more rows (the header's order on a tie).
  static void SettleQuantityPriceAmount(std::vector<LineItem>::iterator begin,
                                        std::vector<LineItem>::iterator end) {
    auto values = [](const LineItem& it) -> std::optional<std::array<double, 3>> {
      if (!it.unit_price || !it.charge) return std::nullopt;
      return std::array<double, 3>{it.quantity, it.unit_price->cents / 100.0, it.charge->cents / 100.0};
    };
    auto one = [](double x) { return std::fabs(x - 1) < 1e-9; };
    auto whole = [](double x) { return std::fabs(x - std::round(x)) < 1e-9; };
    // amount index -> the two factor indices, in the header's order.
    static constexpr int kFactors[3][2] = {{1, 2}, {0, 2}, {0, 1}};
    int votes[3] = {};
    for (auto it = begin; it != end; ++it) {
      auto v = values(*it);
      if (!v) continue;
      for (int a = 0; a < 3; ++a) {
        const double f1 = (*v)[kFactors[a][0]], f2 = (*v)[kFactors[a][1]];
        if (f1 <= 0 || f2 <= 0 || one(f1) || one(f2)) continue;
        votes[a] += std::fabs(f1 * f2 - (*v)[a]) <= 0.011;
      }
    }
    int amount = 2;
    for (int a = 0; a < 2; ++a) {
      if (votes[a] > votes[amount]) amount = a;
    }
    if (votes[amount] < 2) return;
    int whole_first = 0, whole_second = 0;
    for (auto it = begin; it != end; ++it) {
      auto v = values(*it);
      if (!v) continue;
      whole_first += whole((*v)[kFactors[amount][0]]);
      whole_second += whole((*v)[kFactors[amount][1]]);
    }
    const int qty = whole_second > whole_first ? kFactors[amount][1] : kFactors[amount][0];
    const int unit = qty == kFactors[amount][0] ? kFactors[amount][1] : kFactors[amount][0];
    if (amount == 2 && qty == 0) return;  // the header's reading
    for (auto it = begin; it != end; ++it) {
      auto v = values(*it);
      if (!v) continue;
      it->quantity = (*v)[qty];
      it->unit_price = Money{std::llround((*v)[unit] * 100)};
      it->charge = Money{std::llround((*v)[amount] * 100)};
    }
  }

  // --- row shapes -------------------------------------------------------------
  // Items recognised by their shape (row_shapes.h) when no table header was found: they
  // replace the row patterns' reading when they find more items. Not on EOBs and
  // collection notices, whose "label: amount" lines are header fields. Rows labelled
  // like a total or a header field are left out, payment rows summed; a "label: amount"
  // row counts only next to another such row (a list), and at least two rows must
  // have the shape.
  void ReadRowShapes(size_t begin, size_t end) {
    if (layout_.document_type == DocumentType::kEob ||
        layout_.document_type == DocumentType::kCollectionNotice)
      return;
    const ItemRules& r = layout_.items;
    struct Found {
      size_t row;
      ShapedRow shape;
      std::optional<Field> pay;
    };
    std::vector<Found> found;
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows_[i];
      if (Matches(r.skip, row.text) || Matches(r.not_items, row.text)) continue;
      // The values under a row of labels are header fields, not an item.
      if (i > 0 && rows_[i - 1].page == row.page && finder_.IsLabelRow(i - 1)) continue;
      auto shape = ReadRowShape(CollapseSpaces(row.text), layout_.date_order);
      if (!shape) continue;
      const std::string& label = shape->item.description;
      if (IsTotalText(layout_, finder_, label) || !finder_.Lookup(NormalizeLabel(label)).empty() ||
          Matches(r.grand_total, label))
        continue;
      std::optional<Field> pay = PaymentKind(layout_, label);
      found.push_back(Found{i, std::move(*shape), pay});
    }
    // "Label: amount" rows count in a run of at least two such rows.
    std::vector<LineItem> shaped;
    TotalsSums shaped_sums;
    std::set<int> shaped_rows;
    for (size_t k = 0; k < found.size(); ++k) {
      const Found& f = found[k];
      if (f.shape.label_colon && !f.shape.leading_value) {
        auto near = [&](size_t other) {
          const Found& o = found[other];
          return o.shape.label_colon && (o.row + 1 == f.row || f.row + 1 == o.row);
        };
        bool run = (k > 0 && near(k - 1)) || (k + 1 < found.size() && near(k + 1));
        if (!run) continue;
      }
      if (f.pay && !f.shape.item.code) {
        shaped_sums.Add(*f.pay, *f.shape.item.charge);
        shaped_rows.insert(static_cast<int>(f.row));
        continue;
      }
      LineItem it = f.shape.item;
      const Row& row = rows_[f.row];
      it.source = SourceRef{row.page, row.line, row.confidence / 100.0};
      if (!it.date_of_service) it.date_of_service = default_date_;
      CodeFromDescription(&it);
      if (row.ocr) RepairDrugCode(&it);
      shaped.push_back(std::move(it));
      shaped_rows.insert(static_cast<int>(f.row));
    }
    if (shaped.size() < 2 || shaped.size() <= items.size()) return;
    items = std::move(shaped);
    sums = shaped_sums;
    consumed = std::move(shaped_rows);
  }

  // --- row patterns -----------------------------------------------------------
  void ReadRowPatterns(size_t begin, size_t end) {
    const ItemRules& r = layout_.items;
    int last_item = -2;
    double item_x0 = 0;
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows_[i];
      if (Matches(r.skip, row.text)) continue;
      bool matched = false;
      for (const auto& re : r.rows) {
        std::vector<re2::StringPiece> sub(re->NumberOfCapturingGroups() + 1);
        if (!re->Match(row.text, 0, row.text.size(), re2::RE2::UNANCHORED, sub.data(),
                       static_cast<int>(sub.size())))
          continue;
        auto group = [&](const char* name) -> std::string {
          auto g = re->NamedCapturingGroups();
          auto it = g.find(name);
          if (it == g.end() || !sub[it->second].data()) return "";
          return std::string(Trim(std::string_view(sub[it->second].data(), sub[it->second].size())));
        };
        LineItem it;
        it.source = SourceRef{row.page, row.line, row.confidence / 100.0};
        it.description = CollapseSpaces(group("description"));
        std::string label = it.description;
        if (IsTotalText(layout_, finder_, label) || finder_.IsLabel(label)) break;
        if (auto pay = PaymentKind(layout_, label)) {
          if (auto m = ParseMoney(group("charge"))) sums.Add(*pay, *m);
          consumed.insert(static_cast<int>(i));
          matched = true;
          break;
        }
        bool has_code = false;
        ApplyCode(group("code"), &it, &has_code);
        if (auto rc = NormalizeRevenueCode(group("rev"))) it.revenue_code = rc;
        if (auto dt = ParseDate(group("date"), layout_.date_order)) it.date_of_service = dt;
        if (auto q = ParseQuantity(group("qty"))) it.quantity = *q;
        it.unit_price = ParseMoney(group("unit_price"));
        it.charge = ParseMoney(group("charge"));
        it.allowed = ParseMoney(group("allowed"));
        it.insurance_paid = ParseMoney(group("plan_paid"));
        it.adjustment = ParseMoney(group("adjustment"));
        it.patient_responsibility = ParseMoney(group("patient_resp"));
        std::string mods = group("modifiers");
        if (!mods.empty()) {
          if (auto pc = ParseCodeCell("00000 " + mods)) it.modifiers = pc->modifiers;
        }
        std::string note = group("note");
        if (!note.empty()) it.eob_note = note;
        if (!it.charge && it.unit_price) it.charge = it.unit_price->Scaled(it.quantity);
        if (!it.charge && !it.patient_responsibility) break;
        if (!it.date_of_service) it.date_of_service = default_date_;
        CodeFromDescription(&it);
        if (it.description.empty() && !it.code) break;
        items.push_back(std::move(it));
        consumed.insert(static_cast<int>(i));
        last_item = static_cast<int>(i);
        item_x0 = row.cells.front().x0;
        matched = true;
        break;
      }
      if (matched) continue;
      if (last_item == static_cast<int>(i) - 1 && r.continuation && !items.empty()) {
        const Row& prev = rows_[i - 1];
        bool adjacent = prev.page == row.page && row.line == prev.line + 1;
        std::string desc;
        re2::StringPiece sp(row.text);
        bool cont = r.continuation->NamedCapturingGroups().count("description")
                        ? re2::RE2::PartialMatch(sp, *r.continuation, &desc)
                        : re2::RE2::PartialMatch(sp, *r.continuation);
        if (adjacent && cont && row.cells.front().x0 > item_x0) {
          if (desc.empty()) desc = row.text;
          std::string& description = items.back().description;
          description += ' ';
          description += CollapseSpaces(desc);
          last_item = static_cast<int>(i);
        }
      }
    }
  }

  const Layout& layout_;
  const FieldFinder& finder_;
  const std::vector<Row>& rows_;
  std::optional<Date> default_date_;
  std::string pending_note_;  // note lines waiting for the item they belong to
  // The columns of a record's second line, when the table's header has two lines.
  std::optional<std::vector<ColumnDef>> second_cols_;
};

}  // namespace

std::vector<LineItem> ReadLabelListItems(const Layout& layout, const std::vector<Row>& rows) {
  std::vector<LineItem> out;
  LineItem item;
  std::set<Column> seen;
  bool described = false;
  auto flush = [&] {
    if (item.charge && described) out.push_back(item);
    item = LineItem{};
    seen.clear();
    described = false;
  };
  for (const Row& row : rows) {
    const std::string text = CollapseSpaces(row.text);
    const size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
      flush();
      continue;
    }
    const std::string value(Trim(std::string_view(text).substr(colon + 1)));
    auto column = LookupColumn(layout.items, HeaderWords(layout.items, text.substr(0, colon)));
    if (!column || value.empty()) {
      flush();
      continue;
    }
    if (*column != Column::kIgnore && seen.count(*column)) flush();  // the next claim line's list
    seen.insert(*column);
    if (item.source.page == 0) item.source = SourceRef{row.page, row.line, row.confidence / 100.0};
    switch (*column) {
      case Column::kDate:
        if (auto d = ParseDate(value, layout.date_order)) {
          item.date_of_service = d;
          described = true;
        }
        break;
      case Column::kCode: {
        bool has_code = false;
        ApplyCode(value, &item, &has_code);
        described = described || has_code;
        break;
      }
      case Column::kDescription:
        if (HasLetters(value, 3) && !ParseMoney(value)) {
          item.description = value;
          described = true;
        }
        break;
      case Column::kCharge: item.charge = ParseMoney(value); break;
      case Column::kAllowed: item.allowed = ParseMoney(value); break;
      case Column::kInsurancePaid: item.insurance_paid = ParseMoney(value); break;
      case Column::kAdjustment:
        if (auto m = ParseMoney(value)) item.adjustment = Money{std::llabs(m->cents)};
        break;
      case Column::kPatientResp: item.patient_responsibility = ParseMoney(value); break;
      default: break;
    }
  }
  flush();
  return out;
}

ItemReading ReadItems(const Layout& layout, const FieldFinder& finder, const std::vector<Row>& rows,
                      std::optional<Date> default_date) {
  ItemReader reader(layout, finder, rows, default_date);
  reader.Run();
  ItemReading out;
  out.items = std::move(reader.items);
  out.sums = reader.sums;
  out.found_table = reader.found_table;
  out.used_rows = reader.used_rows;
  out.consumed = std::move(reader.consumed);
  out.table_totals = std::move(reader.table_totals);
  return out;
}

}  // namespace billwise::grammar_internal
