#include "pipeline/batch/summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "pipeline/model/utf8.h"
#include "pipeline/report/html_report.h"
#include "pipeline/report/json_text.h"

namespace billwise {
namespace {

using nlohmann::json;

// Parses "1234.56" / "-45.00" (our own Plain() form) back to cents; nullopt otherwise.
std::optional<Money> ParsePlain(const std::string& s) {
  if (s.empty()) return std::nullopt;
  bool neg = s[0] == '-';
  size_t i = neg ? 1 : 0;
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (dot) {
        if (++frac_digits > 2) return std::nullopt;
        frac = frac * 10 + (c - '0');
      } else {
        if (whole > kMaxAmount.cents) return std::nullopt;  // far past any plausible amount
        whole = whole * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (frac_digits == 1) frac *= 10;
  int64_t cents = whole * 100 + frac;
  return Money{neg ? -cents : cents};
}

std::string PlainOr(const std::optional<Money>& m) { return m ? m->Plain() : ""; }

json MoneyOrNull(const std::string& s) {
  auto m = ParsePlain(s);
  if (!m) return nullptr;
  return json::number_float_t(m->Dollars());
}

// An amount of a row read back; "" (unknown) when it is not a plausible amount.
std::string MoneyFromJson(const json& j) {
  if (!j.is_number()) return "";
  auto money = PlausibleDollars(j.get<double>());
  return money ? money->Plain() : "";
}

// More shards than this is not a real split of a folder (and would make a merge list
// billions of missing shards).
constexpr int kMaxShards = 1'000'000;

// A count of a row read back: 0 unless a non-negative integer that fits an int.
int IntFromJson(const json& j) {
  if (!j.is_number_unsigned()) return 0;
  return static_cast<int>(std::min<uint64_t>(j.get<uint64_t>(), 1'000'000'000));
}

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
std::string StringFromJson(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

json RowJson(const BatchRow& r) {
  json j = json::object();
  PutName(j, "path", r.path);
  j["status"] = r.ok ? "ok" : "error";
  PutName(j, "output_dir", r.output_dir);
  j["sha256"] = StringOrNull(r.sha256);
  j["pages"] = r.pages;
  j["document_type"] = StringOrNull(r.document_type);
  j["provider"] = StringOrNull(r.provider);
  j["amount_due"] = MoneyOrNull(r.amount_due);
  j["total_charges"] = MoneyOrNull(r.total_charges);
  j["reference_total"] = MoneyOrNull(r.reference_total);
  j["findings"] = r.findings;
  j["dollars_at_stake"] = MoneyOrNull(r.dollars_at_stake);
  j["error_code"] = StringOrNull(r.error_code);
  j["error"] = StringOrNull(r.error);
  j["files"] = r.files;
  j["reading"] = StringOrNull(r.reading);
  if (!r.documents.empty()) {
    j["documents"] = json::array();
    for (const BatchRow& d : r.documents) j["documents"].push_back(RowJson(d));
  }
  return j;
}

Expected<BatchRow> RowFrom(const json& j) {
  auto path = GetName(j, "path");
  if (!path || !j.contains("status")) return Fail(ErrorCode::kInvalidInput, "a result row lacks path or status");
  BatchRow r;
  r.path = std::move(*path);
  r.ok = j["status"] == "ok";
  r.output_dir = GetName(j, "output_dir").value_or("");
  r.sha256 = StringFromJson(j.value("sha256", json()));
  r.pages = IntFromJson(j.value("pages", json()));
  r.document_type = StringFromJson(j.value("document_type", json()));
  r.provider = StringFromJson(j.value("provider", json()));
  r.amount_due = MoneyFromJson(j.value("amount_due", json()));
  r.total_charges = MoneyFromJson(j.value("total_charges", json()));
  r.reference_total = MoneyFromJson(j.value("reference_total", json()));
  r.findings = IntFromJson(j.value("findings", json()));
  r.dollars_at_stake = MoneyFromJson(j.value("dollars_at_stake", json()));
  r.error_code = StringFromJson(j.value("error_code", json()));
  r.error = StringFromJson(j.value("error", json()));
  r.reading = StringFromJson(j.value("reading", json()));
  if (j.contains("files") && j["files"].is_array()) {
    for (const json& f : j["files"]) {
      if (f.is_string()) r.files.push_back(f.get<std::string>());
    }
  }
  if (j.contains("documents") && j["documents"].is_array()) {
    for (const json& d : j["documents"]) {
      auto doc = RowFrom(d);
      if (!doc) return std::unexpected(doc.error());
      doc->documents.clear();  // documents do not nest further
      r.documents.push_back(std::move(*doc));
    }
  }
  return r;
}

}  // namespace

BatchRow RowFromBill(const Bill& bill) {
  BatchRow r;
  r.ok = true;
  r.sha256 = bill.source.sha256;
  r.pages = bill.source.pages;
  r.document_type = DocumentTypeName(bill.document_type);
  r.provider = bill.provider.name.value_or("");
  r.amount_due = PlainOr(bill.amount_due);
  r.total_charges = PlainOr(bill.totals.charges);
  if (bill.plan) {
    r.reference_total = bill.plan->reference_total.Plain();
  } else {
    std::optional<Money> sum;
    for (const Pricing& p : bill.pricing) {
      if (p.reference) sum = sum.value_or(Money{}) + *p.reference;
    }
    r.reference_total = PlainOr(sum);
  }
  r.findings = static_cast<int>(bill.findings.size());
  Money stake;
  for (const Finding& f : bill.findings) {
    if (!f.check_by_hand) stake += f.amount_at_stake;  // a note on a partial reading is not at stake
  }
  r.dollars_at_stake = stake.Plain();
  if (bill.read_quality) r.reading = ReadStatusName(bill.read_quality->status);
  return r;
}

std::string RowToJson(const BatchRow& row) {
  json j = RowJson(row);
  j["schema"] = "billwise.batch-result/1";
  j["outputs"] = row.outputs;
  return DumpJson(j, 2) + "\n";
}

Expected<BatchRow> RowFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(ErrorCode::kInvalidInput, "result marker is not valid JSON");
  if (!j.is_object()) return Fail(ErrorCode::kInvalidInput, "result marker is not a JSON object");
  if (j.value("schema", json()) != "billwise.batch-result/1") {
    return Fail(ErrorCode::kInvalidInput, "result marker has an unknown schema");
  }
  auto row = RowFrom(j);
  if (row) row->outputs = StringFromJson(j.value("outputs", json()));
  return row;
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string SpreadsheetText(std::string_view text) {
  std::string out = ToValidUtf8(text);
  if (!out.empty() && std::string_view("=+-@\t\r").find(out.front()) != std::string_view::npos) out.insert(0, 1, '\'');
  return out;
}

namespace {

// One row per document: each input's row, then its later documents.
std::vector<BatchRow> DocumentRows(const std::vector<BatchRow>& rows) {
  std::vector<BatchRow> out;
  for (const BatchRow& r : rows) {
    out.push_back(r);
    out.back().documents.clear();
    out.insert(out.end(), r.documents.begin(), r.documents.end());
  }
  return out;
}

}  // namespace

std::string SummaryCsv(const std::vector<BatchRow>& input_rows) {
  const std::vector<BatchRow> rows = DocumentRows(input_rows);
  std::string out = "path,status,document_type,provider,amount_due,total_charges,reference_total,findings,"
                    "dollars_at_stake,error,reading\r\n";
  for (const BatchRow& r : rows) {
    std::string error = r.error_code.empty() ? r.error : r.error_code + ": " + r.error;
    const std::string fields[] = {SpreadsheetText(r.path), r.ok ? "ok" : "error", SpreadsheetText(r.document_type),
                                  SpreadsheetText(r.provider), r.amount_due, r.total_charges, r.reference_total,
                                  r.ok ? std::to_string(r.findings) : "", r.dollars_at_stake, SpreadsheetText(error),
                                  r.reading};
    bool first = true;
    for (const std::string& f : fields) {
      if (!first) out += ',';
      out += CsvField(f);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

std::string SummaryJson(const std::vector<BatchRow>& rows, const SummaryScope& scope) {
  json j = json::object();
  j["schema"] = "billwise.batch/1";
  j["shard"] = {{"index", scope.shard_index}, {"count", scope.shard_count}};
  j["listed_inputs"] = scope.listed_inputs;
  int ok = 0;
  for (const BatchRow& r : rows) ok += r.ok ? 1 : 0;
  Money due, charges, reference, stake;
  int findings = 0;
  const std::vector<BatchRow> documents = DocumentRows(rows);
  for (const BatchRow& r : documents) {
    if (!r.ok) continue;
    findings += r.findings;
    due += ParsePlain(r.amount_due).value_or(Money{});
    charges += ParsePlain(r.total_charges).value_or(Money{});
    reference += ParsePlain(r.reference_total).value_or(Money{});
    stake += ParsePlain(r.dollars_at_stake).value_or(Money{});
  }
  j["inputs"] = rows.size();
  j["ok"] = ok;
  j["errors"] = static_cast<int>(rows.size()) - ok;
  j["documents"] = documents.size();
  j["totals"] = {{"amount_due", due.Dollars()},           {"total_charges", charges.Dollars()},
                 {"reference_total", reference.Dollars()}, {"findings", findings},
                 {"dollars_at_stake", stake.Dollars()}};
  j["rows"] = json::array();
  for (const BatchRow& r : rows) j["rows"].push_back(RowJson(r));
  return DumpJson(j, 2) + "\n";
}

namespace {

Expected<ParsedSummary> SummaryFrom(const json& j) {
  if (j.value("schema", json()) != "billwise.batch/1") {
    return Fail(ErrorCode::kInvalidInput, "summary.json has an unknown schema");
  }
  ParsedSummary s;
  if (j.contains("shard") && j["shard"].is_object()) {
    const json index = j["shard"].value("index", json(0u)), count = j["shard"].value("count", json(1u));
    if (!index.is_number_unsigned() || !count.is_number_unsigned()) {
      return Fail(ErrorCode::kInvalidInput, "summary.json has a shard that is not two counts");
    }
    s.scope.shard_index = IntFromJson(index);
    s.scope.shard_count = IntFromJson(count);
    if (s.scope.shard_count < 1 || s.scope.shard_count > kMaxShards || s.scope.shard_index >= s.scope.shard_count) {
      return Fail(ErrorCode::kInvalidInput, "summary.json has an impossible shard");
    }
  }
  const json listed = j.value("listed_inputs", json(0u));
  if (!listed.is_number_unsigned()) return Fail(ErrorCode::kInvalidInput, "summary.json has listed_inputs that is not a count");
  s.scope.listed_inputs = IntFromJson(listed);
  if (!j.contains("rows") || !j["rows"].is_array()) return Fail(ErrorCode::kInvalidInput, "summary.json has no rows");
  for (const json& r : j["rows"]) {
    auto row = RowFrom(r);
    if (!row) return std::unexpected(row.error());
    s.rows.push_back(std::move(*row));
  }
  return s;
}

}  // namespace

Expected<ParsedSummary> SummaryFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(ErrorCode::kInvalidInput, "summary.json is not valid JSON");
  if (!j.is_object()) return Fail(ErrorCode::kInvalidInput, "summary.json is not a JSON object");
  try {
    return SummaryFrom(j);
  } catch (const json::exception&) {  // a value of the wrong type, e.g. "shard": {"index": "x"}
    return Fail(ErrorCode::kInvalidInput, "summary.json has a value of the wrong type");
  }
}

std::string SummaryHtml(const std::vector<BatchRow>& input_rows) {
  using Node = TemplateNode;
  int ok = 0;
  for (const BatchRow& r : input_rows) ok += r.ok ? 1 : 0;
  const int inputs = static_cast<int>(input_rows.size());
  const std::vector<BatchRow> rows = DocumentRows(input_rows);
  Money charges, reference, stake;
  std::vector<ChartBar> bars;
  for (const BatchRow& r : rows) {
    if (!r.ok) continue;
    auto billed = ParsePlain(r.total_charges), ref = ParsePlain(r.reference_total);
    charges += billed.value_or(Money{});
    reference += ref.value_or(Money{});
    stake += ParsePlain(r.dollars_at_stake).value_or(Money{});
    if (billed && ref) bars.push_back({r.path, *billed, *ref});
  }
  Node page = Node::Object();
  page.Set("input_count", Node::Str(fmt::format("{} input{}", inputs, inputs == 1 ? "" : "s")));
  page.Set("read", Node::Str(std::to_string(ok)));
  page.Set("failed", Node::Str(std::to_string(inputs - ok)));
  Node& totals = page.Set("totals", Node::List());
  for (auto [label, value] : {std::pair{"Total charges", charges}, {"Reference total", reference}, {"Dollars at stake", stake}}) {
    Node row = Node::Object();
    row.Set("label", Node::Str(label));
    row.Set("value", Node::Str(value.Display()));
    totals.items.push_back(std::move(row));
  }
  if (!bars.empty()) page.Set("bar_chart", BilledVsReferenceChart(bars));
  Node& list = page.Set("rows", Node::List());
  for (const BatchRow& r : rows) {
    Node n = Node::Object();
    auto money = [&n](const char* key, const std::string& s) {
      if (auto m = ParsePlain(s)) n.Set(key, Node::Str(m->Display()));
    };
    for (const std::string& f : r.files) {  // report.html, or document-N-report.html for a file's later documents
      if (f == "report.html" || (f.starts_with("document-") && f.ends_with("-report.html"))) {
        n.Set("report_href", Node::Str(RelativeHref(r.output_dir + "/" + f)));
      }
    }
    n.Set("path", Node::Str(r.path));
    n.Set("status_class", Node::Str(r.ok ? "" : "sev-error"));
    n.Set("status", Node::Str(r.ok ? "ok" : "error"));
    n.Set("document_type", Node::Str(r.document_type));
    n.Set("provider", Node::Str(r.provider));
    money("amount_due", r.amount_due);
    money("total_charges", r.total_charges);
    money("reference_total", r.reference_total);
    n.Set("findings", Node::Str(r.ok ? std::to_string(r.findings) : ""));
    money("at_stake", r.dollars_at_stake);
    n.Set("error", Node::Str(r.error));
    n.Set("reading", Node::Str(r.reading));
    list.items.push_back(std::move(n));
  }
  return RenderHtmlPage("summary.html.mustache", page);
}

}  // namespace billwise
