// The web page's writes to the case file: mark a letter as sent and log a phone call.
//
//   POST /api/sent  JSON {"case": 1, "letter": 3, "method": "certified", "tracking"?: "9400...",
//                         "date"?: "2026-12-07"}  -> {"case": 1, "letter": 3, "sent": "2026-12-07"}
//   POST /api/call  JSON {"case": 1, "with": "Dana, billing", "note": "...", "reference"?: "A-17",
//                         "date"?: "2026-12-07", "follow_up"?: "2026-12-21"}
//                   -> {"case": 1, "call": 5, "follow_up": "2026-12-21"}
// A missing date is today; a call's follow-up defaults to 14 days later (the store's rule).
// Bad JSON, a wrong type, an unknown method or a bad date: 400; no such case or letter: 404;
// no case file (`--no-store`): 404 "no_store". server.cc registers the routes; these
// functions only parse, validate and call the backend (server_backend.h). Thread-safe.
#ifndef BILLWISE_PIPELINE_SERVER_CASE_ROUTES_H_
#define BILLWISE_PIPELINE_SERVER_CASE_ROUTES_H_

#include "pipeline/server/http_listener.h"
#include "pipeline/server/server_backend.h"

namespace billwise {

void MarkSentRoute(const ServerBackend& backend, const HttpRequest& req, HttpResponse& res);
void RecordCallRoute(const ServerBackend& backend, const HttpRequest& req, HttpResponse& res);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_CASE_ROUTES_H_
