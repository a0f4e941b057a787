// The page's writes to the case file (pipeline/server/case_routes.h): POST /api/sent marks a
// letter as sent with its method and tracking number, POST /api/call logs a call with its
// follow-up date; malformed requests are 400, unknown cases 404, foreign origins 403, and
// without a case file 404 "no_store". A fake backend records what the server passed it.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "pipeline/server/server.h"
#include "tests/server/fake_backend.h"

namespace billwise {
namespace {

struct Seen {
  std::mutex mu;
  std::vector<SentRequest> sent;
  std::vector<CallRequest> calls;
};

FakeBackend CaseWriteHooks(std::shared_ptr<Seen> seen) {
  FakeBackend h;
  h.cases = [] { return Expected<std::string>(std::string(R"({"cases":[]})")); };
  h.due = [](std::string_view) { return Expected<std::string>(std::string(R"({"deadlines":[]})")); };
  h.mark_sent = [seen](const SentRequest& r) -> Expected<Date> {
    if (r.case_id != 1 || r.letter_id != 3) return Fail(ErrorCode::kNotFound, "case 1 has no letter 4");
    std::lock_guard lock(seen->mu);
    seen->sent.push_back(r);
    return r.date.value_or(Date{2026, 12, 7});
  };
  h.record_call = [seen](const CallRequest& r) -> Expected<LoggedCall> {
    if (r.case_id != 1) return Fail(ErrorCode::kNotFound, "no case 2");
    if (r.follow_up && r.date && *r.follow_up < *r.date) return Fail(ErrorCode::kUsage, "follow-up before the call");
    std::lock_guard lock(seen->mu);
    seen->calls.push_back(r);
    return LoggedCall{5, r.follow_up.value_or(r.date.value_or(Date{2026, 12, 7}).AddDays(14))};
  };
  return h;
}

class CaseRoutesTest : public ::testing::Test {
 protected:
  void Start(FakeBackend backend) {
    ServerOptions options;
    options.port = 0;
    options.log = [](const std::string&) {};
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
  httplib::Result Post(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Post(path.c_str(), headers, body, "application/json");
  }
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(CaseRoutesTest, MarksALetterSentWithMethodAndTracking) {
  auto seen = std::make_shared<Seen>();
  Start(CaseWriteHooks(seen));
  auto res = Post("/api/sent", R"({"case": 1, "letter": 3, "method": "certified", "tracking": "9400 1000 0000",
                                   "date": "2026-12-08"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["sent"], "2026-12-08");
  EXPECT_EQ(j["letter"], 3);
  ASSERT_EQ(seen->sent.size(), 1u);
  EXPECT_EQ(seen->sent[0].method, "certified");
  EXPECT_EQ(seen->sent[0].tracking, "9400 1000 0000");
  EXPECT_EQ(seen->sent[0].date, (Date{2026, 12, 8}));
  // No date: the hook's today; no tracking: none.
  res = Post("/api/sent", R"({"case": 1, "letter": 3, "method": "mail"})");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_FALSE(seen->sent[1].date);
  EXPECT_FALSE(seen->sent[1].tracking);
}

TEST_F(CaseRoutesTest, RefusesBadSentRequests) {
  auto seen = std::make_shared<Seen>();
  Start(CaseWriteHooks(seen));
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": 3, "method": "pigeon"})")->status, 400);
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "method": "mail"})")->status, 400);
  EXPECT_EQ(Post("/api/sent", R"({"case": "1", "letter": 3, "method": "mail"})")->status, 400);
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": -3, "method": "mail"})")->status, 400);
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": 3, "method": "mail", "date": "12/08/2026"})")->status, 400);
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": 3, "method": "mail", "tracking": 42})")->status, 400);
  EXPECT_EQ(Post("/api/sent", "[1, 2]")->status, 400);
  EXPECT_EQ(Post("/api/sent", "not json")->status, 400);
  EXPECT_EQ(client_->Post("/api/sent", R"({"case":1})", "text/plain")->status, 415);
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": 4, "method": "mail"})")->status, 404);
  // A foreign page may not write to the case file.
  EXPECT_EQ(Post("/api/sent", R"({"case": 1, "letter": 3, "method": "mail"})", {{"Origin", "http://evil.example"}})
                ->status,
            403);
  EXPECT_TRUE(seen->sent.empty());
}

TEST_F(CaseRoutesTest, LogsACallWithItsFollowUp) {
  auto seen = std::make_shared<Seen>();
  Start(CaseWriteHooks(seen));
  auto res = Post("/api/call", R"({"case": 1, "date": "2026-12-07", "with": "Dana, billing", "reference": "R-77",
                                   "note": "account on hold for 30 days"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["call"], 5);
  EXPECT_EQ(j["follow_up"], "2026-12-21");
  ASSERT_EQ(seen->calls.size(), 1u);
  EXPECT_EQ(seen->calls[0].with, "Dana, billing");
  EXPECT_EQ(seen->calls[0].reference, "R-77");
  EXPECT_EQ(seen->calls[0].note, "account on hold for 30 days");
  res = Post("/api/call", R"({"case": 1, "date": "2026-12-07", "with": "Lee", "note": "n", "follow_up": "2027-01-05"})");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(nlohmann::json::parse(res->body)["follow_up"], "2027-01-05");

  EXPECT_EQ(Post("/api/call", R"({"case": 1, "note": "n"})")->status, 400);                // who is required
  EXPECT_EQ(Post("/api/call", R"({"case": 1, "with": "Lee"})")->status, 400);              // what was said too
  EXPECT_EQ(Post("/api/call", R"({"case": 1, "with": "Lee", "note": "n", "follow_up": "soon"})")->status, 400);
  EXPECT_EQ(Post("/api/call", R"({"case": 1, "with": ")" + std::string(300, 'x') + R"(", "note": "n"})")->status, 400);
  EXPECT_EQ(Post("/api/call", R"({"case": 2, "with": "Lee", "note": "n"})")->status, 404);
  EXPECT_EQ(Post("/api/call", R"({"case": 1, "date": "2026-12-07", "with": "Lee", "note": "n",
                                  "follow_up": "2026-12-01"})")->status,
            400);
  EXPECT_EQ(seen->calls.size(), 2u);
}

TEST_F(CaseRoutesTest, WithoutACaseFileTheWritesSayNoStore) {
  FakeBackend h;  // no case file (`billwise --no-store serve`)
  Start(std::move(h));
  auto res = Post("/api/sent", R"({"case": 1, "letter": 3, "method": "mail"})");
  ASSERT_EQ(res->status, 404);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"]["code"], "no_store");
  EXPECT_EQ(Post("/api/call", R"({"case": 1, "with": "Lee", "note": "n"})")->status, 404);
}

}  // namespace
}  // namespace billwise
