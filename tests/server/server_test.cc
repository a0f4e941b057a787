// Local server: API, size cap, content sniffing, Origin and Host checks, security
// headers, loopback binding, log privacy, the estimate, good-faith-estimate request and
// case routes, and the ZIP writer, with a fake backend.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <atomic>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "pipeline/report/bill_json.h"
#include "pipeline/server/server.h"
#include "pipeline/server/web_assets.h"
#include "pipeline/server/zip_writer.h"
#include "pipeline/tables/gzip.h"
#include "tests/server/fake_backend.h"

namespace billwise {
namespace {

constexpr const char* kPatient = "Jordan Q. Patientname";

FakeBackend FakeHooks() {
  FakeBackend h;
  h.analyze = [](std::string_view bytes, const std::string& name, const std::optional<Profile>& profile) -> Expected<Bill> {
    if (bytes.find("encrypted") != std::string_view::npos) return Fail(ErrorCode::kEncrypted, "PDF is encrypted");
    Bill b;
    b.source.path = name;
    b.provider.name = "Mercy General";
    b.patient.name = kPatient;
    b.amount_due = Money{123456};
    if (profile) {
      b.plan.emplace();
      b.plan->reference_total = Money{5000};
    }
    return b;
  };
  h.applicable = [](const Bill&, const std::optional<Profile>&) {
    return std::vector<std::string>{"dispute", "lump-sum"};
  };
  h.letters = [](const Bill&, const std::optional<Profile>& profile, const std::vector<std::string>& kinds,
                 const std::string& lang) -> Expected<std::vector<OutputFile>> {
    std::vector<OutputFile> out;
    for (const std::string& k : kinds) {
      out.push_back({"letter-" + k + ".pdf", "%PDF-1.7 " + k + " " + lang + " " + profile.value_or(Profile{}).name.value_or("-")});
    }
    return out;
  };
  // Echoes the query so the tests see what the server parsed.
  h.estimate = [](const EstimateQuery& q) -> Expected<std::string> {
    for (const std::string& c : q.codes) {
      if (c == "BAD") return Fail(ErrorCode::kUsage, "not a CPT/HCPCS code: BAD");
    }
    nlohmann::json j = {{"codes", q.codes}, {"zip", q.zip ? nlohmann::json(*q.zip) : nlohmann::json(nullptr)},
                        {"state", q.state ? nlohmann::json(*q.state) : nlohmann::json(nullptr)}, {"services", {}}};
    return j.dump();
  };
  h.gfe_request = [](const std::string& estimate_json, const std::string& provider,
                     const std::optional<Profile>& profile, const std::string& lang) -> Expected<OutputFile> {
    return OutputFile{"letter-gfe-request.pdf", "%PDF-1.7 gfe " + provider + " " + lang + " " +
                                                    profile.value_or(Profile{}).name.value_or("-") + " " + estimate_json};
  };
  return h;
}

// The case file: `recorded` counts the bills recorded.
void AddFakeCaseHooks(FakeBackend& h, std::shared_ptr<std::atomic<int>> recorded, bool fail_record = false) {
  h.record = [recorded, fail_record](const Bill& bill) -> Expected<std::vector<Finding>> {
    if (fail_record) return Fail(ErrorCode::kIo, "database is locked");
    ++*recorded;
    Finding f;
    f.kind = FindingKind::kCollectionAmountMismatch;
    f.explanation = "cross-document check for " + bill.provider.name.value_or("?");
    return std::vector<Finding>{f};
  };
  h.record_letters = [recorded, fail_record](const Bill&, const std::vector<std::string>& kinds) -> Expected<void> {
    if (fail_record) return Fail(ErrorCode::kIo, "database is locked");
    *recorded += 100 * static_cast<int>(kinds.size());
    return {};
  };
  h.cases = []() -> Expected<std::string> {
    return std::string(R"({"cases":[{"id":1,"provider":"Mercy General","account_number":"A-1","status":"open",)"
                       R"("balance":1234.56,"documents":[],"next_deadline":{"what":"validation window ends",)"
                       R"("date":"2025-07-01"},"next_payment":null}]})");
  };
  h.due = [](std::string_view format) -> Expected<std::string> {
    if (format == "ics") return std::string("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    return std::string(R"({"deadlines":[{"case":1,"what":"validation window ends","date":"2025-07-01","kind":"validation"}]})");
  };
}

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) { Start(options, FakeHooks()); }
  void Start(ServerOptions options, FakeBackend backend) {
    options.port = 0;
    options.log = [this](const std::string& line) {
      std::lock_guard lock(mu_);
      log_ += line + "\n";
    };
    auto s = WebServer::Bind(options, std::make_shared<const FakeBackend>(std::move(backend)));
    ASSERT_TRUE(s.has_value()) << s.error().message;
    server_ = std::move(*s);
    thread_ = std::thread([this] { (void)server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    for (int i = 0; i < 200 && !client_->Get("/api/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  httplib::Result PostFile(const std::string& path, const std::string& bytes, httplib::Headers headers = {},
                           httplib::MultipartFormDataItems extra = {}) {
    httplib::MultipartFormDataItems items = {{"file", bytes, "statement.pdf", "application/pdf"}};
    items.insert(items.end(), extra.begin(), extra.end());
    return client_->Post(path.c_str(), headers, items);
  }
  httplib::Result PostJson(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Post(path.c_str(), headers, body, "application/json");
  }
  std::string Log() {
    std::lock_guard lock(mu_);
    return log_;
  }
  // The log once it holds every `wanted` line start (or after a second): each line is
  // written after its response is sent, by the worker thread of that request.
  std::string LogWith(const std::vector<std::string>& wanted) {
    std::string log;
    for (int i = 0; i < 100; ++i) {
      log = Log();
      if (std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return log.find(w) != std::string::npos; })) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log;
  }

  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::mutex mu_;
  std::string log_;
};

TEST_F(ServerTest, HealthAndPageWithSecurityHeaders) {
  Start();
  auto health = client_->Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"ok\""), std::string::npos);
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>billwise</title>"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Security-Policy").rfind("default-src 'self'", 0), 0u);
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  auto js = client_->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type").rfind("text/javascript", 0), 0u);
  EXPECT_EQ(client_->Get("/nope.js")->status, 404);
}

TEST_F(ServerTest, AnalyzeAnswersTheBillJson) {
  Start();
  auto res = PostFile("/api/analyze", "%PDF-1.7 a bill", {{"Origin", Origin()}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto bill = BillFromJson(res->body);
  ASSERT_TRUE(bill.has_value());
  EXPECT_EQ(bill->amount_due, Money{123456});
  EXPECT_EQ(bill->source.path, "statement.pdf");
  EXPECT_FALSE(bill->plan.has_value());
  EXPECT_EQ(res->get_header_value("X-Billwise-Letters"), "dispute,lump-sum");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");

  auto with_profile = PostFile("/api/analyze", "%PDF-1.7 a bill", {}, {{"profile", R"({"name":"A"})", "", ""}});
  ASSERT_TRUE(with_profile);
  EXPECT_TRUE(BillFromJson(with_profile->body)->plan.has_value());
  auto bad_profile = PostFile("/api/analyze", "%PDF-1.7 a bill", {}, {{"profile", R"({"nmae":"A"})", "", ""}});
  EXPECT_EQ(bad_profile->status, 400);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7 encrypted")->status, 422);
  EXPECT_EQ(client_->Post("/api/analyze", "x", "text/plain")->status, 400);
}

TEST_F(ServerTest, UploadsAreSniffedByContent) {
  Start();
  EXPECT_EQ(PostFile("/api/analyze", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10))->status, 415);
  EXPECT_EQ(PostFile("/api/analyze", "\x89PNG\r\n\x1a\nrest")->status, 200);
  EXPECT_EQ(PostFile("/api/analyze", "ACME HOSPITAL\nTotal due 12.00\n")->status, 200);
  EXPECT_EQ(SniffUpload(std::string_view("II*\0x", 5)), "tiff");
  EXPECT_EQ(SniffUpload("\xff\xd8\xff\xe0"), "jpeg");
  EXPECT_EQ(SniffUpload(""), "");
}

TEST_F(ServerTest, UploadsOverTheCapGet413) {
  ServerOptions o;
  o.max_upload_bytes = 4096;
  Start(o);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-" + std::string(1000, 'x'))->status, 200);
  auto res = PostFile("/api/analyze", "%PDF-" + std::string(20000, 'x'));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST_F(ServerTest, ForeignOriginAndHostAreRefused) {
  Start();
  std::string port = std::to_string(server_->port());
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7", {{"Origin", "https://evil.example"}})->status, 403);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7", {{"Origin", "http://127.0.0.1:1"}})->status, 403);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7", {{"Origin", "null"}})->status, 403);
  EXPECT_EQ(client_->Get("/api/health", {{"Origin", "http://evil.example"}})->status, 403);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7", {{"Origin", Origin()}})->status, 200);
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7", {{"Origin", "http://localhost:" + port}})->status, 200);
  // DNS rebinding: a foreign name resolving to 127.0.0.1 still carries its own Host.
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "evil.example:" + port}})->status, 403);
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "localhost:" + port}})->status, 200);
}

TEST_F(ServerTest, LettersComeAsOnePdfOrAZip) {
  Start();
  auto one = PostFile("/api/letters", "%PDF-1.7", {}, {{"kinds", "dispute", "", ""}, {"lang", "es", "", ""},
                                                      {"profile", R"({"name":"From Form"})", "", ""}});
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_EQ(one->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(one->body, "%PDF-1.7 dispute es From Form");
  EXPECT_NE(one->get_header_value("Content-Disposition").find("letter-dispute.pdf"), std::string::npos);

  auto all = PostFile("/api/letters", "%PDF-1.7", {}, {{"kinds", "all", "", ""}});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(all->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(all->body.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(PostFile("/api/letters", "%PDF-1.7", {}, {{"lang", "fr", "", ""}})->status, 400);
}

TEST_F(ServerTest, ListensOnLoopbackOnly) {
  Start();
  // /proc/net/tcp: local address of each socket as HEXIP:HEXPORT; state 0A is LISTEN.
  std::ifstream tcp("/proc/net/tcp");
  std::string line, want_port;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", server_->port());
  want_port = buf;
  bool found = false;
  while (std::getline(tcp, line)) {
    std::istringstream in(line);
    std::string slot, local, remote, state;
    in >> slot >> local >> remote >> state;
    if (state != "0A" || local.size() < 13 || local.substr(9) != want_port) continue;
    found = true;
    EXPECT_EQ(local.substr(0, 8), "0100007F") << "listening on " << local;
  }
  EXPECT_TRUE(found);
  std::ifstream tcp6("/proc/net/tcp6");
  while (std::getline(tcp6, line)) {
    std::istringstream in(line);
    std::string slot, local, remote, state;
    in >> slot >> local >> remote >> state;
    EXPECT_FALSE(state == "0A" && local.size() > 4 && local.substr(local.size() - 4) == want_port) << line;
  }
}

TEST_F(ServerTest, LogsCarryNoPatientData) {
  Start();
  ASSERT_EQ(PostFile("/api/analyze", "%PDF-1.7 a bill")->status, 200);
  ASSERT_EQ(PostFile("/api/letters", "%PDF-1.7", {}, {{"profile", R"({"name":"From Form"})", "", ""}})->status, 200);
  const std::string log = LogWith({"POST /api/analyze", "POST /api/letters"});
  EXPECT_NE(log.find("POST /api/analyze 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("POST /api/letters 200 "), std::string::npos) << log;
  for (const char* secret : {kPatient, "Mercy", "statement.pdf", "From Form", "1234.56"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ServerTest, EstimateParsesTheQueryAndAnswersTheEstimateJson) {
  Start();
  auto res = PostJson("/api/estimate", R"({"codes":["99213","80053x2"],"zip":"10001"})", {{"Origin", Origin()}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["codes"], nlohmann::json({"99213", "80053x2"}));
  EXPECT_EQ(j["zip"], "10001");
  EXPECT_TRUE(j["state"].is_null());
  auto by_state = PostJson("/api/estimate", R"({"codes":["J1885x4"],"state":"NY","zip":null})");
  ASSERT_EQ(by_state->status, 200) << by_state->body;
  EXPECT_EQ(nlohmann::json::parse(by_state->body)["state"], "NY");
}

TEST_F(ServerTest, EstimateRefusesMalformedRequests) {
  Start();
  auto code_of = [](const httplib::Result& r) -> std::string {
    if (!r) return "";
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  };
  auto bad = PostJson("/api/estimate", R"({"codes":["BAD"]})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(code_of(bad), "usage");
  EXPECT_NE(bad->body.find("BAD"), std::string::npos);  // the engine's message reaches the page
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":[]})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":"99213"})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":[99213]})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"zip":"10001"})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":["99213"],"zip":"10001","state":"NY"})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":["99213"],"state":"New York"})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"({"codes":["99213"],"zip":10001})")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", R"(["99213"])")->status, 400);
  EXPECT_EQ(PostJson("/api/estimate", "{not json")->status, 400);
  nlohmann::json many = {{"codes", std::vector<std::string>(51, "99213")}};
  EXPECT_EQ(PostJson("/api/estimate", many.dump())->status, 400);
  // A form post (what a foreign page could send without a preflight) is not JSON: 415.
  EXPECT_EQ(client_->Post("/api/estimate", "codes=99213", "application/x-www-form-urlencoded")->status, 415);
  EXPECT_EQ(client_->Post("/api/estimate", R"({"codes":["99213"]})", "text/plain")->status, 415);
  EXPECT_EQ(client_->Get("/api/estimate")->status, 404);
}

TEST_F(ServerTest, GoodFaithEstimateRequestIsAPdfFromTheEstimateAndProfile) {
  Start();
  auto res = PostJson("/api/gfe-request",
                      R"({"codes":["99213"],"zip":"10001","provider":"Uptown Clinic","lang":"es",)"
                      R"("profile":{"name":"From Form"}})",
                      {{"Origin", Origin()}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/pdf");
  EXPECT_NE(res->get_header_value("Content-Disposition").find("letter-gfe-request.pdf"), std::string::npos);
  EXPECT_EQ(res->body.rfind("%PDF-1.7 gfe Uptown Clinic es From Form {", 0), 0u) << res->body;
  EXPECT_NE(res->body.find(R"("codes":["99213"])"), std::string::npos) << "the letter is written from the estimate";
  auto no_profile = PostJson("/api/gfe-request", R"({"codes":["99213"],"profile":{}})");
  ASSERT_EQ(no_profile->status, 200);
  EXPECT_EQ(no_profile->body.rfind("%PDF-1.7 gfe   - {", 0), 0u) << no_profile->body;
  EXPECT_EQ(PostJson("/api/gfe-request", R"({"codes":["99213"],"profile":{"nmae":"x"}})")->status, 400);
  EXPECT_EQ(PostJson("/api/gfe-request", R"({"codes":["99213"],"profile":"Jordan"})")->status, 400);
  EXPECT_EQ(PostJson("/api/gfe-request", R"({"codes":["99213"],"lang":"fr"})")->status, 400);
  EXPECT_EQ(PostJson("/api/gfe-request", R"({"codes":["BAD"]})")->status, 400);
  EXPECT_EQ(PostJson("/api/gfe-request", R"({"codes":["99213"]})", {{"Origin", "http://evil.example"}})->status, 403);
}

TEST_F(ServerTest, CasesDueAndCalendarComeFromTheCaseFile) {
  FakeBackend h = FakeHooks();
  auto recorded = std::make_shared<std::atomic<int>>(0);
  AddFakeCaseHooks(h, recorded);
  Start({}, std::move(h));
  auto health = nlohmann::json::parse(client_->Get("/api/health")->body);
  EXPECT_EQ(health["cases"], true);
  EXPECT_EQ(health["estimate"], true);

  auto cases = client_->Get("/api/cases", {{"Origin", Origin()}});
  ASSERT_TRUE(cases);
  ASSERT_EQ(cases->status, 200) << cases->body;
  EXPECT_EQ(cases->get_header_value("Content-Type"), "application/json");
  auto cj = nlohmann::json::parse(cases->body);
  ASSERT_EQ(cj["cases"].size(), 1u);
  EXPECT_EQ(cj["cases"][0]["provider"], "Mercy General");
  EXPECT_EQ(cj["cases"][0]["next_deadline"]["date"], "2025-07-01");

  auto due = client_->Get("/api/due");
  ASSERT_EQ(due->status, 200);
  auto dj = nlohmann::json::parse(due->body);
  ASSERT_EQ(dj["deadlines"].size(), 1u);
  EXPECT_EQ(dj["deadlines"][0]["case"], 1);

  auto ics = client_->Get("/api/due.ics");
  ASSERT_EQ(ics->status, 200);
  EXPECT_EQ(ics->get_header_value("Content-Type").rfind("text/calendar", 0), 0u);
  EXPECT_NE(ics->get_header_value("Content-Disposition").find("attachment; filename=\"billwise-deadlines.ics\""),
            std::string::npos);
  EXPECT_EQ(ics->body.rfind("BEGIN:VCALENDAR", 0), 0u);
  EXPECT_EQ(ics->get_header_value("Cache-Control"), "no-store");

  // A foreign page may not read the cases or the calendar.
  EXPECT_EQ(client_->Get("/api/cases", {{"Origin", "http://evil.example"}})->status, 403);
  EXPECT_EQ(client_->Get("/api/due", {{"Origin", "http://evil.example"}})->status, 403);
  EXPECT_EQ(client_->Get("/api/due.ics", {{"Origin", "null"}})->status, 403);
  EXPECT_EQ(client_->Get("/api/cases", {{"Host", "evil.example:" + std::to_string(server_->port())}})->status, 403);
}

TEST_F(ServerTest, AnalyzeRecordsTheBillAndAddsCrossDocumentFindings) {
  FakeBackend h = FakeHooks();
  auto recorded = std::make_shared<std::atomic<int>>(0);
  AddFakeCaseHooks(h, recorded);
  Start({}, std::move(h));
  auto res = PostFile("/api/analyze", "%PDF-1.7 a bill");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(recorded->load(), 1);
  auto bill = BillFromJson(res->body);
  ASSERT_TRUE(bill.has_value());
  ASSERT_EQ(bill->findings.size(), 1u);
  EXPECT_EQ(bill->findings[0].kind, FindingKind::kCollectionAmountMismatch);
  // Letters see the same findings (recording again is idempotent in the real store), and the
  // letters written are recorded in the case.
  auto letters = PostFile("/api/letters", "%PDF-1.7", {}, {{"kinds", "dispute,lump-sum", "", ""}});
  ASSERT_EQ(letters->status, 200);
  EXPECT_EQ(recorded->load(), 2 + 200);
  EXPECT_EQ(letters->get_header_value("X-Billwise-Case-File"), "recorded");
}

TEST_F(ServerTest, AFailedRecordIsADiagnosticNotAnError) {
  FakeBackend h = FakeHooks();
  AddFakeCaseHooks(h, std::make_shared<std::atomic<int>>(0), /*fail_record=*/true);
  Start({}, std::move(h));
  auto res = PostFile("/api/analyze", "%PDF-1.7 a bill");
  ASSERT_EQ(res->status, 200) << res->body;
  auto bill = BillFromJson(res->body);
  ASSERT_TRUE(bill.has_value());
  EXPECT_TRUE(bill->findings.empty());
  ASSERT_FALSE(bill->diagnostics.empty());
  EXPECT_EQ(bill->diagnostics.back().stage, "cases");
  EXPECT_NE(bill->diagnostics.back().message.find("database is locked"), std::string::npos);
  auto letters = PostFile("/api/letters", "%PDF-1.7", {}, {{"kinds", "dispute", "", ""}});
  ASSERT_EQ(letters->status, 200);
  EXPECT_EQ(letters->get_header_value("X-Billwise-Case-File"), "not recorded");
}

TEST_F(ServerTest, WithoutACaseFileTheCaseRoutesSayNoStore) {
  Start();  // FakeHooks() keeps no case file: `billwise --no-store serve`
  EXPECT_EQ(nlohmann::json::parse(client_->Get("/api/health")->body)["cases"], false);
  for (const char* path : {"/api/cases", "/api/due", "/api/due.ics"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(nlohmann::json::parse(res->body)["error"]["code"], "no_store") << path;
  }
  auto res = PostFile("/api/analyze", "%PDF-1.7 a bill");
  ASSERT_EQ(res->status, 200);
  EXPECT_TRUE(BillFromJson(res->body)->diagnostics.empty());
  auto letters = PostFile("/api/letters", "%PDF-1.7", {}, {{"kinds", "dispute", "", ""}});
  ASSERT_EQ(letters->status, 200);
  EXPECT_FALSE(letters->has_header("X-Billwise-Case-File"));
}

TEST_F(ServerTest, NewRoutesLogNoPatientData) {
  FakeBackend h = FakeHooks();
  AddFakeCaseHooks(h, std::make_shared<std::atomic<int>>(0));
  Start({}, std::move(h));
  ASSERT_EQ(PostJson("/api/estimate", R"({"codes":["99213"],"zip":"10001"})")->status, 200);
  ASSERT_EQ(PostJson("/api/gfe-request", R"({"codes":["99213"],"provider":"Uptown Clinic","profile":{"name":"From Form"}})")
                ->status, 200);
  ASSERT_EQ(client_->Get("/api/cases")->status, 200);
  ASSERT_EQ(client_->Get("/api/due.ics")->status, 200);
  const std::string log = LogWith({"POST /api/estimate", "POST /api/gfe-request", "GET /api/cases", "GET /api/due.ics"});
  EXPECT_NE(log.find("POST /api/estimate 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("GET /api/cases 200 "), std::string::npos) << log;
  for (const char* secret : {"99213", "10001", "Uptown", "From Form", "Mercy", "A-1", "1234.56"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ServerTest, AnExceptionInTheBackendIsA500WithoutItsMessage) {
  FakeBackend h = FakeHooks();
  h.analyze = [](std::string_view, const std::string&, const std::optional<Profile>&) -> Expected<Bill> {
    throw std::runtime_error("boom: Jordan Q. Patientname");
  };
  Start({}, std::move(h));
  auto res = PostFile("/api/analyze", "%PDF-1.7 a bill");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"]["code"], "internal");
  EXPECT_EQ(res->get_header_value("Content-Security-Policy").rfind("default-src 'self'", 0), 0u);
  for (const auto& [name, value] : res->headers) EXPECT_EQ(value.find("boom"), std::string::npos) << name;
  EXPECT_EQ(res->body.find("boom"), std::string::npos);
  EXPECT_EQ(client_->Get("/api/health")->status, 200);  // the server keeps serving
}

// ---- limits: what a client or a page cannot take ---------------------------------------

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// A plain TCP connection to the server, for what httplib's client will not send.
class RawConnection {
 public:
  explicit RawConnection(int port, const char* address = "127.0.0.1") : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address, &addr.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { close(fd_); }
  bool connected() const { return connected_; }
  // Sends all of `bytes`; false once the server has closed or reset the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // True when the server has answered or closed (readable within `ms`).
  bool Answered(int ms) {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, ms) > 0;
  }
  // Everything the server sends until it closes (or `ms` of silence).
  std::string ReadAll(int ms = 5000) {
    std::string out;
    char buf[4096];
    while (Answered(ms)) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // The server closed the connection (seen by ReadAll).
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

std::string Chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + std::string(data) + "\r\n";
}

// A multipart body with one `file` part, and the header naming its boundary.
constexpr const char* kMultipartType = "multipart/form-data; boundary=XyZ";
std::string MultipartHead() {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bill.pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n";
}
std::string MultipartTail() { return "\r\n--XyZ--\r\n"; }

std::string Gzip(std::string_view bytes) {
  auto deflated = RawDeflate(bytes);
  if (!deflated) return "";
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  out += *deflated;
  uint32_t trailer[2] = {Crc32(bytes), static_cast<uint32_t>(bytes.size())};
  out.append(reinterpret_cast<const char*>(trailer), sizeof trailer);
  return out;
}

TEST_F(ServerTest, AChunkedUploadIsCountedAsItIsReadAndRefusedEarly) {
  ServerOptions o;
  o.max_upload_bytes = 1 << 20;
  Start(o);
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
                     "\r\nContent-Type: " + kMultipartType + "\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     Chunk(MultipartHead())));
  // Up to 300 MB in 64 KB chunks; the server must answer long before.
  const std::string chunk = Chunk(std::string(64 << 10, 'x'));
  int64_t sent = 0;
  while (sent < (300LL << 20) && !c.Answered(0) && c.Send(chunk)) sent += 64 << 10;
  const std::string answer = c.ReadAll();
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find("\"limit_exceeded\""), std::string::npos);
  EXPECT_NE(answer.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_LT(sent, 16LL << 20) << "the body was read far past the limit";
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7 a bill")->status, 200);  // the server goes on
}

TEST_F(ServerTest, AGzipBodyIsCountedAfterDecompression) {
  ServerOptions o;
  o.max_upload_bytes = 1 << 20;
  Start(o);
  // 64 MB of multipart body in about 64 KB of gzip.
  const std::string body = MultipartHead() + std::string(64 << 20, ' ') + MultipartTail();
  const std::string gz = Gzip(body);
  ASSERT_FALSE(gz.empty());
  ASSERT_LT(gz.size(), 1u << 20);
  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  auto res = client_->Post("/api/analyze", headers, gz, kMultipartType);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  // Small enough once decompressed: read as usual.
  auto small = client_->Post("/api/analyze", headers, Gzip(MultipartHead() + "a bill" + MultipartTail()), kMultipartType);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200) << small->body;
  // A Content-Length over the limit is refused before the body is read.
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
                     "\r\nContent-Type: " + kMultipartType + "\r\nContent-Length: 300000000\r\n\r\n"));
  EXPECT_EQ(c.ReadAll().rfind("HTTP/1.1 413", 0), 0u);
}

TEST_F(ServerTest, OtherMethodsAndUnknownPostsAreRefusedWithoutReadingTheBody) {
  Start();
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    RawConnection c(server_->port());
    ASSERT_TRUE(c.Send(std::string(method) + " /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:" +
                       std::to_string(server_->port()) + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunk("abc")));
    EXPECT_EQ(c.ReadAll().rfind("HTTP/1.1 405", 0), 0u) << method;
  }
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
                     "\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunk("abc")));
  EXPECT_EQ(c.ReadAll().rfind("HTTP/1.1 404", 0), 0u);
}

TEST_F(ServerTest, SlowClientsAreCutOffAndGoodClientsStillAnswered) {
  ServerOptions o;
  o.connection_threads = 8;
  o.header_timeout_ms = 1000;
  Start(o);
  // 30 clients sending one header line every 300 ms, never finishing: 8 hold the threads,
  // the others wait for one (up to 32 may).
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 30; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server_->port()));
    ASSERT_TRUE(slow.back()->Send("GET /api/health HTTP/1.1\r\n"));
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (int line = 0; !stop; ++line) {
      for (auto& c : slow) (void)c->Send("X-Slow-" + std::to_string(line) + ": 1\r\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  const auto start = std::chrono::steady_clock::now();
  httplib::Client good("127.0.0.1", server_->port());
  good.set_read_timeout(std::chrono::seconds(30));
  auto res = good.Get("/api/health");
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // The slow ones ahead of it get 1 s from their connection each, and the time they waited
  // for a thread counts.
  EXPECT_LT(waited, 5.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  stop = true;
  trickle.join();
  int closed = 0;
  for (auto& c : slow) {
    (void)c->ReadAll(100);  // a 400 for the unfinished request, then the end
    closed += c->closed() ? 1 : 0;
  }
  EXPECT_EQ(closed, 30);
}

TEST_F(ServerTest, AFullQueueGets503Busy) {
  ServerOptions o;
  o.analysis.workers = 1;
  o.analysis.queue = 1;
  FakeBackend h = FakeHooks();
  auto fake = h.analyze;
  h.analyze = [fake](std::string_view bytes, const std::string& name, const std::optional<Profile>& p) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return fake(bytes, name, p);
  };
  Start(o, std::move(h));
  std::vector<std::thread> clients;
  std::mutex mu;
  std::vector<int> statuses;
  std::vector<std::string> bodies;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_read_timeout(std::chrono::seconds(30));
      httplib::MultipartFormDataItems items = {{"file", "%PDF-1.7 a bill", "a.pdf", "application/pdf"}};
      auto r = c.Post("/api/analyze", items);
      std::lock_guard lock(mu);
      statuses.push_back(r ? r->status : -1);
      if (r && r->status == 503) bodies.push_back(r->body + "|" + r->get_header_value("Retry-After"));
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 2) << ::testing::PrintToString(statuses);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 503), 2) << ::testing::PrintToString(statuses);
  for (const std::string& b : bodies) {
    EXPECT_NE(b.find("\"busy\""), std::string::npos) << b;
    EXPECT_NE(b.find("|5"), std::string::npos) << b;
  }
}

TEST_F(ServerTest, ALongFileNameReachesTheBill) {
  Start();
  const std::string name = std::string(6000, 'n') + ".pdf";
  httplib::MultipartFormDataItems items = {{"file", "%PDF-1.7 a bill", name, "application/pdf"}};
  auto res = client_->Post("/api/analyze", items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(BillFromJson(res->body)->source.path, name);
}

TEST_F(ServerTest, UploadsHeldTogetherAreBounded) {
  ServerOptions o;
  o.max_buffered_bytes = 100 << 10;
  o.analysis.workers = 1;
  FakeBackend h = FakeHooks();
  auto fake = h.analyze;
  h.analyze = [fake](std::string_view bytes, const std::string& name, const std::optional<Profile>& p) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return fake(bytes, name, p);
  };
  Start(o, std::move(h));
  const std::string upload = "%PDF-1.7 " + std::string(60 << 10, 'x');
  std::thread first([&] {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(std::chrono::seconds(30));
    httplib::MultipartFormDataItems items = {{"file", upload, "a.pdf", "application/pdf"}};
    auto r = c.Post("/api/analyze", items);
    EXPECT_TRUE(r && r->status == 200);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the first one is held
  auto second = PostFile("/api/analyze", upload);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_NE(second->body.find("\"busy\""), std::string::npos) << second->body;
  first.join();
  EXPECT_EQ(PostFile("/api/analyze", upload)->status, 200);  // given back
}

TEST_F(ServerTest, EachAnalysisRunsInAWorkerWithTimeAndMemoryLimits) {
  ServerOptions o;
  o.analysis.max_seconds = 1;
  o.analysis.max_memory_bytes = 512LL << 20;
  FakeBackend h = FakeHooks();
  auto fake = h.analyze;
  const pid_t server_pid = getpid();
  h.analyze = [fake, server_pid](std::string_view bytes, const std::string& name,
                                 const std::optional<Profile>& p) -> Expected<Bill> {
    if (getpid() == server_pid) return Fail(ErrorCode::kInternal, "ran in the server process");
    if (bytes.find("hang") != std::string_view::npos) std::this_thread::sleep_for(std::chrono::seconds(30));
    if (bytes.find("crash") != std::string_view::npos) std::abort();
    if (bytes.find("bomb") != std::string_view::npos) {
      // 4 GB of address space, one page of each block touched (quick to run into the cap).
      std::vector<std::unique_ptr<char[]>> hog;
      for (int i = 0; i < 64; ++i) {
        hog.emplace_back(new char[64 << 20]);
        hog.back()[0] = static_cast<char>(i);
      }
      return Fail(ErrorCode::kInternal, "allocated " + std::to_string(hog.size() + hog[5][0]));
    }
    return fake(bytes, name, p);
  };
  Start(o, std::move(h));
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7 a bill")->status, 200);
  const auto start = std::chrono::steady_clock::now();
  auto hang = PostFile("/api/analyze", "%PDF-1.7 hang");
  ASSERT_TRUE(hang);
  EXPECT_EQ(hang->status, 413) << hang->body;
  EXPECT_NE(hang->body.find("time limit"), std::string::npos) << hang->body;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  auto crash = PostFile("/api/analyze", "%PDF-1.7 crash");
  ASSERT_TRUE(crash);
  EXPECT_EQ(crash->status, 500) << crash->body;
  if (!kAsan) {  // no address-space limit under AddressSanitizer
    auto bomb = PostFile("/api/analyze", "%PDF-1.7 bomb");
    ASSERT_TRUE(bomb);
    EXPECT_EQ(bomb->status, 500) << bomb->body;
    EXPECT_EQ(bomb->body.find("allocated"), std::string::npos) << bomb->body;
  }
  EXPECT_EQ(PostFile("/api/analyze", "%PDF-1.7 a bill")->status, 200);
}

TEST(ServerHostTest, ANonLoopbackHostKeepsHostAndOriginChecksWithTheAllowList) {
  // 127.0.0.2 is not one of the loopback names the server knows, and stays on this machine.
  ServerOptions o;
  o.host = "127.0.0.2";
  o.port = 0;
  o.allowed_hosts = {"billwise.lan"};
  o.log = [](const std::string&) {};
  auto server = WebServer::Bind(o, std::make_shared<const FakeBackend>(FakeHooks()));
  ASSERT_TRUE(server.has_value()) << server.error().message;
  std::thread serving([&] { (void)(*server)->Serve(); });
  const std::string port = std::to_string((*server)->port());
  httplib::Client c("127.0.0.2", (*server)->port());
  auto health = c.Get("/api/health");
  for (int i = 0; i < 200 && !health; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    health = c.Get("/api/health");
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);  // Host: 127.0.0.2:PORT, the address given
  EXPECT_EQ(c.Get("/api/health", {{"Host", "billwise.lan:" + port}})->status, 200);
  EXPECT_EQ(c.Get("/api/health", {{"Host", "evil.example:" + port}})->status, 403);
  EXPECT_EQ(c.Get("/api/health", {{"Origin", "http://billwise.lan:" + port}})->status, 200);
  EXPECT_EQ(c.Get("/api/health", {{"Origin", "http://evil.example:" + port}})->status, 403);
  EXPECT_EQ(c.Get("/api/health", {{"Host", "evil.example:" + port}, {"Origin", "http://evil.example:" + port}})->status,
            403);
  (*server)->Stop();
  serving.join();
}

TEST(ZipWriterTest, PythonZipfileReadsItBack) {
  std::vector<OutputFile> files = {{"letter-dispute.pdf", "%PDF-1.7\n" + std::string(5000, 'a')},
                                   {"notes.txt", "tiny"}, {"empty.txt", ""}};
  auto zip = MakeZip(files);
  ASSERT_TRUE(zip.has_value());
  EXPECT_EQ(*MakeZip(files), *zip);  // deterministic
  std::string path = (std::filesystem::temp_directory_path() / ("billwise-zip-" + std::to_string(getpid()) + ".zip")).string();
  std::ofstream(path, std::ios::binary) << *zip;
  std::string cmd = "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                    "assert z.read('letter-dispute.pdf').startswith(b'%PDF-1.7'); assert len(z.read('letter-dispute.pdf'))==5009; "
                    "assert z.read('notes.txt')==b'tiny'; assert z.read('empty.txt')==b''; "
                    "assert z.getinfo('letter-dispute.pdf').compress_type==8\" " + path;
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::filesystem::remove(path);
}

TEST(WebAssetsTest, PageIsBuiltInAndSelfContained) {
  for (const char* p : {"/", "/index.html", "/app.js", "/style.css"}) {
    const WebAsset* a = FindWebAsset(p);
    ASSERT_NE(a, nullptr) << p;
    std::string body(reinterpret_cast<const char*>(a->data), a->size);
    EXPECT_EQ(body.find("https://"), std::string::npos) << p << " refers to an outside resource";
    EXPECT_EQ(body.find("<script>"), std::string::npos) << p << " has an inline script (CSP forbids it)";
    EXPECT_EQ(body.find("style=\""), std::string::npos) << p << " has an inline style (CSP forbids it)";
  }
  EXPECT_EQ(FindWebAsset("/../etc/passwd"), nullptr);
}

}  // namespace
}  // namespace billwise
