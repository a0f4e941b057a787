#include "pipeline/run/run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "extract/grammar/document_type.h"
#include "extract/grammar/parse.h"
#include "extract/grammar/read_quality.h"
#include "extract/ocr/document_reader.h"
#include "pipeline/audit/audit.h"
#include "pipeline/audit/plan.h"
#include "pipeline/refdata/hospital_match.h"
#include "pipeline/refdata/pricing.h"
#include "pipeline/run/engine_impl.h"
#include "pipeline/run/sha256.h"

#ifndef BILLWISE_SOURCE_ROOT
#define BILLWISE_SOURCE_ROOT ""
#endif
#ifndef BILLWISE_INSTALL_DATA_DIR
#define BILLWISE_INSTALL_DATA_DIR ""
#endif

namespace billwise {
namespace fs = std::filesystem;

namespace {

bool HasTemplates(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_directory(fs::path(dir) / "templates" / "layouts", ec);
}

}  // namespace

std::string FindDataRoot() {
  if (const char* env = std::getenv("BILLWISE_DATA_DIR"); env && HasTemplates(env)) return env;
  // Beside the executable: <prefix>/bin/billwise -> <prefix>/share/billwise.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "billwise";
    if (HasTemplates(installed.string())) return installed.string();
  }
  if (HasTemplates(BILLWISE_SOURCE_ROOT)) return BILLWISE_SOURCE_ROOT;
  if (HasTemplates(BILLWISE_INSTALL_DATA_DIR)) return BILLWISE_INSTALL_DATA_DIR;
  return "";
}

std::optional<int64_t> SourceDateEpoch() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch == nullptr) return std::nullopt;
  char* end = nullptr;
  long long v = std::strtoll(epoch, &end, 10);
  if (end == epoch || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(v);
}

Date Today() {
  int64_t now = SourceDateEpoch().value_or(static_cast<int64_t>(std::time(nullptr)));
  return Date::FromDayNumber(static_cast<long>(now / 86400));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const std::string& Engine::data_dir() const { return impl_->data_dir; }

Expected<Estimate> Engine::EstimateServices(const EstimateRequest& request) const {
  auto estimate = billwise::EstimateServices(*impl_->reference, request);
  if (auto ok = impl_->reference->Status(); !ok) return std::unexpected(ok.error());
  return estimate;
}

Expected<std::shared_ptr<const Engine>> Engine::Load(const EngineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->data_dir = options.data_dir.empty() ? FindDataRoot() : options.data_dir;
  if (!HasTemplates(impl->data_dir)) {
    return Fail(ErrorCode::kNotFound, "no templates/layouts folder found (set --data-dir or BILLWISE_DATA_DIR)");
  }
  auto load_layouts = [dir = (fs::path(impl->data_dir) / "templates" / "layouts").string()]()
      -> Expected<std::shared_ptr<const LayoutSet>> {
    auto layouts = LayoutSet::LoadDir(dir);
    if (!layouts) return std::unexpected(layouts.error());
    return std::make_shared<const LayoutSet>(std::move(*layouts));
  };
  {
    std::promise<Expected<std::shared_ptr<const LayoutSet>>> now;
    now.set_value(load_layouts());
    impl->layouts = now.get_future().share();
    if (!impl->Layouts()) return std::unexpected(impl->Layouts().error());
    // A long-lived engine (the server) compiles every pattern now, so that no request
    // pays for a first use; a one-shot command compiles a pattern when a document needs it.
    if (options.tables == TableLoading::kEager) (*impl->Layouts())->CompileAll();
  }
  auto types = DocumentTypeRules::LoadFile((fs::path(impl->data_dir) / "templates" / "document_types.yaml").string());
  if (!types) return std::unexpected(types.error());
  impl->document_types = std::make_shared<const DocumentTypeRules>(std::move(*types));
  auto reference = ReferenceData::Load(impl->data_dir, options.tables);
  if (!reference) return std::unexpected(reference.error());
  impl->reference = std::move(*reference);
  auto audit = AuditData::Load(impl->data_dir, options.tables);
  if (!audit) return std::unexpected(audit.error());
  impl->audit = std::move(*audit);
  return std::shared_ptr<const Engine>(new Engine(std::move(impl)));
}

namespace {

Expected<std::string> ReadInput(const std::string& path, const Limits& limits) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec) return std::unexpected(ErrorFromErrno(ec.value(), ""));  // permission denied, a symlink loop...
  if (!fs::exists(st)) return Fail(ErrorCode::kNotFound, "no such file");
  if (fs::is_directory(st)) return Fail(ErrorCode::kInvalidInput, "is a folder, not a file");
  auto size = fs::file_size(path, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot read the file size");
  if (static_cast<int64_t>(size) > limits.max_file_bytes) {
    return Fail(ErrorCode::kLimitExceeded, "file is larger than the " +
                std::to_string(limits.max_file_bytes >> 20) + " MB limit");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(ErrorFromErrno(errno ? errno : EIO, "cannot open the file for reading"));
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) return Fail(ErrorCode::kIo, "short read");
  return bytes;
}

}  // namespace

Expected<Bill> Engine::AnalyzeFile(const std::string& path, const AnalyzeOptions& options) const {
  auto bytes = ReadInput(path, options.limits);
  if (!bytes) return std::unexpected(bytes.error());
  return AnalyzeBytes(*bytes, path, options);
}

Expected<std::vector<Bill>> Engine::AnalyzeFileDocuments(const std::string& path,
                                                         const AnalyzeOptions& options) const {
  auto bytes = ReadInput(path, options.limits);
  if (!bytes) return std::unexpected(bytes.error());
  return AnalyzeBytesDocuments(*bytes, path, options);
}

Expected<Bill> Engine::AnalyzeBytes(std::string_view bytes, const std::string& name,
                                    const AnalyzeOptions& options) const {
  auto bills = Analyze(bytes, name, options, /*split=*/false);
  if (!bills) return std::unexpected(bills.error());
  return std::move(bills->front());
}

Expected<std::vector<Bill>> Engine::AnalyzeBytesDocuments(std::string_view bytes, const std::string& name,
                                                          const AnalyzeOptions& options) const {
  return Analyze(bytes, name, options, /*split=*/true);
}

Expected<std::vector<Bill>> Engine::Analyze(std::string_view bytes, const std::string& name,
                                            const AnalyzeOptions& options, bool split) const {
  if (bytes.empty()) return Fail(ErrorCode::kInvalidInput, "file is empty");
  if (static_cast<int64_t>(bytes.size()) > options.limits.max_file_bytes) {
    return Fail(ErrorCode::kLimitExceeded,
                "file is larger than the " + std::to_string(options.limits.max_file_bytes >> 20) + " MB limit");
  }

  // Source and pages: the text layer where a page has one, OCR where it does not.
  ReadOptions read;
  read.ocr_mode = options.ocr_mode;
  read.workers = impl_->options.ocr_workers;
  read.ocr = impl_->options.ocr;
  read.max_pages = options.limits.max_pages;
  read.max_pixels_per_page = options.limits.max_pixels_per_page;
  auto document = ReadDocument(bytes, read);
  if (!document) return std::unexpected(document.error());

  Bill file;
  file.source.path = name;
  auto digest = Sha256Hex(bytes);
  if (!digest) return std::unexpected(digest.error());
  file.source.sha256 = *digest;
  file.source.text_origin = document->text_origin;
  file.source.ocr_confidence = document->ocr_confidence;
  file.diagnostics = std::move(document->diagnostics);

  auto layouts = impl_->Layouts();
  if (!layouts) return std::unexpected(layouts.error());
  const DocumentTypeRules& types = *impl_->document_types;

  std::optional<Bill> eob;
  if (options.eob_path) {
    AnalyzeOptions eob_options = options;
    eob_options.eob_path.reset();
    eob_options.profile.reset();
    auto parsed = AnalyzeFile(*options.eob_path, eob_options);
    if (!parsed) {
      return Fail(parsed.error().code, "the EOB " + *options.eob_path + " could not be read: " + parsed.error().message);
    }
    eob = std::move(*parsed);
  }

  std::vector<std::vector<Page>> parts;
  if (split) {
    parts = SplitDocuments(types, std::move(document->pages));
  } else {
    parts.push_back(std::move(document->pages));
  }
  if (parts.empty()) parts.emplace_back();  // a file without pages is still one (unreadable) document

  std::vector<Bill> bills;
  for (size_t i = 0; i < parts.size(); ++i) {
    Bill bill = file;
    bill.source.document_index = static_cast<int>(i) + 1;
    bill.source.document_count = static_cast<int>(parts.size());
    bill.source.first_page = parts[i].empty() ? 1 : parts[i].front().number;
    bill.source.last_page = parts[i].empty() ? 1 : parts[i].back().number;
    if (parts.size() > 1) {
      bill.diagnostics.push_back(Diagnostic{
          Severity::kInfo, "split",
          "document " + std::to_string(i + 1) + " of " + std::to_string(parts.size()) + " in the file (pages " +
              std::to_string(bill.source.first_page) + "-" + std::to_string(bill.source.last_page) + ")",
          std::nullopt});
    }

    // Lines to Bill: the kind of document from weighed evidence, then the layout template
    // for that kind fills header, items and document type.
    const KindDecision kind = ClassifyDocument(types, parts[i]);
    ParseBill(**layouts, std::move(parts[i]), &bill, TypeOfKind(kind.kind));
    bill.read_quality = AssessReading(bill);
    SettleStatementType(kind, &bill);
    bill.diagnostics.push_back(Diagnostic{
        Severity::kInfo, "type",
        std::string("document type ") + DocumentTypeName(bill.document_type) + " from " + kind.Explain(),
        std::nullopt});
    if (auto ok = AnalyzeBill(&bill, options, eob ? &*eob : nullptr); !ok) return std::unexpected(ok.error());
    bills.push_back(std::move(bill));
  }
  return bills;
}

Expected<void> Engine::AnalyzeBill(Bill* bill, const AnalyzeOptions& options, const Bill* eob) const {
  // Audit: reference prices, then the checks that read them.
  PricingOptions pricing;
  pricing.price_file = options.price_file;
  if (options.profile) {
    pricing.plan_payer = options.profile->plan_payer;
    pricing.plan_name = options.profile->plan_name;
    pricing.patient_zip = PatientZip(*options.profile);
    pricing.patient_state = options.profile->state;
  }
  pricing.setting = options.setting;
  pricing.zip = options.zip;
  pricing.state = options.state;
  PriceBill(*impl_->reference, pricing, bill);
  if (auto ok = impl_->reference->Status(); !ok) return std::unexpected(ok.error());
  AuditBill(*impl_->audit, AuditOptions{.eob = eob}, bill);
  if (auto ok = impl_->audit->Status(); !ok) return std::unexpected(ok.error());

  // Plan: only with a patient profile (it needs household, income and budget).
  if (options.profile) {
    PlanOptions plan;
    plan.today = options.today.value_or(Today());
    plan.good_faith_estimate = options.good_faith_estimate;
    // Section 501(r) binds tax-exempt hospitals: a provider CMS lists as a voluntary non-profit
    // hospital. For-profit and government hospitals and unmatched providers get no 501(r).
    std::optional<CmsHospitalMatch> hospital = MatchBillHospital(*impl_->reference, *bill);
    plan.nonprofit_hospital = hospital && hospital->hospital.NonProfit();
    PlanBill(*impl_->audit, *options.profile, plan, bill);
  }
  // Billing errors before price warnings before notes, so reports and dispute letters
  // lead with what is plainly wrong; the order within a severity is the checks' order.
  std::stable_sort(bill->findings.begin(), bill->findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  return {};
}

}  // namespace billwise
