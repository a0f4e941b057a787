#include "pipeline/server/case_routes.h"

#include <nlohmann/json.hpp>

namespace billwise {
namespace {

void Answer(HttpResponse& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  res.SetContent(nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(), "application/json");
}

void Answer(HttpResponse& res, const Error& e) {
  int status = e.code == ErrorCode::kNotFound                                    ? 404
               : e.code == ErrorCode::kUsage || e.code == ErrorCode::kBadData ? 400
                                                                                 : 500;
  Answer(res, status, ErrorCodeName(e.code), e.message);
}

// The JSON object body; false (answered) when it is not one.
bool ReadBody(const HttpRequest& req, HttpResponse& res, nlohmann::json* body) {
  if (!req.Header("Content-Type").starts_with("application/json")) {
    Answer(res, 415, "unsupported", "send a JSON body (Content-Type: application/json)");
    return false;
  }
  *body = nlohmann::json::parse(req.body.begin(), req.body.end(), nullptr, /*allow_exceptions=*/false);
  if (body->is_discarded() || !body->is_object()) {
    Answer(res, 400, "usage", "the body is not a JSON object");
    return false;
  }
  return true;
}

// A positive integer id under `key`; nullopt when missing or not one.
std::optional<int64_t> Id(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) return std::nullopt;
  return it->get<int64_t>();
}

// A string of at most `max` bytes; absent, null or "" = nullopt. False when of a wrong type
// or too long.
bool Text(const nlohmann::json& body, const char* key, size_t max, std::optional<std::string>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string() || it->get_ref<const std::string&>().size() > max) return false;
  if (!it->get_ref<const std::string&>().empty()) *out = it->get<std::string>();
  return true;
}

// An ISO date under `key`; absent = nullopt. False when present but not a date.
bool DateField(const nlohmann::json& body, const char* key, std::optional<Date>* out) {
  std::optional<std::string> text;
  if (!Text(body, key, 10, &text)) return false;
  if (!text) return true;
  *out = Date::FromIso(*text);
  return out->has_value();
}

bool CaseWritesKept(const ServerBackend& backend, HttpResponse& res) {
  if (backend.keeps_cases()) return true;
  Answer(res, 404, "no_store", "the case file is off (billwise --no-store serve)");
  return false;
}

}  // namespace

void MarkSentRoute(const ServerBackend& backend, const HttpRequest& req, HttpResponse& res) {
  if (!CaseWritesKept(backend, res)) return;
  nlohmann::json body;
  if (!ReadBody(req, res, &body)) return;
  SentRequest sent;
  auto case_id = Id(body, "case");
  auto letter_id = Id(body, "letter");
  if (!case_id || !letter_id) return Answer(res, 400, "usage", "case and letter are the ids the case list shows");
  sent.case_id = *case_id;
  sent.letter_id = *letter_id;
  std::optional<std::string> method;
  if (!Text(body, "method", 16, &method) || !method ||
      (*method != "mail" && *method != "certified" && *method != "fax" && *method != "portal")) {
    return Answer(res, 400, "usage", "method is mail, certified, fax or portal");
  }
  sent.method = *method;
  if (!Text(body, "tracking", 100, &sent.tracking)) {
    return Answer(res, 400, "usage", "tracking is a string of at most 100 characters");
  }
  if (!DateField(body, "date", &sent.date)) return Answer(res, 400, "usage", "date is YYYY-MM-DD");
  auto done = backend.MarkSent(sent);
  if (!done) return Answer(res, done.error());
  res.SetContent(nlohmann::json{{"case", sent.case_id}, {"letter", sent.letter_id}, {"sent", done->Iso()}}.dump(),
                 "application/json");
}

void RecordCallRoute(const ServerBackend& backend, const HttpRequest& req, HttpResponse& res) {
  if (!CaseWritesKept(backend, res)) return;
  nlohmann::json body;
  if (!ReadBody(req, res, &body)) return;
  CallRequest call;
  auto case_id = Id(body, "case");
  if (!case_id) return Answer(res, 400, "usage", "case is the id the case list shows");
  call.case_id = *case_id;
  std::optional<std::string> with, note;
  if (!Text(body, "with", 200, &with) || !with) {
    return Answer(res, 400, "usage", "with: who you spoke with (at most 200 characters)");
  }
  if (!Text(body, "note", 4000, &note) || !note) {
    return Answer(res, 400, "usage", "note: what was said or promised (at most 4000 characters)");
  }
  call.with = *with;
  call.note = *note;
  if (!Text(body, "reference", 100, &call.reference)) {
    return Answer(res, 400, "usage", "reference is a string of at most 100 characters");
  }
  if (!DateField(body, "date", &call.date) || !DateField(body, "follow_up", &call.follow_up)) {
    return Answer(res, 400, "usage", "date and follow_up are YYYY-MM-DD");
  }
  auto logged = backend.RecordCall(call);
  if (!logged) return Answer(res, logged.error());
  res.SetContent(nlohmann::json{{"case", call.case_id}, {"call", logged->id}, {"follow_up", logged->follow_up.Iso()}}
                     .dump(),
                 "application/json");
}

}  // namespace billwise
