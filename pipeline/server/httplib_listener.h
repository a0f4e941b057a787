// The cpp-httplib implementation of HttpBackend (http_listener.h). Only httplib_listener.cc
// includes httplib.h; this header names no httplib type. Programs reach it through
// GetHttpBackend().
#ifndef BILLWISE_PIPELINE_SERVER_HTTPLIB_LISTENER_H_
#define BILLWISE_PIPELINE_SERVER_HTTPLIB_LISTENER_H_

#include "pipeline/server/http_listener.h"

namespace billwise {

// The process-wide backend (immutable, never destroyed, thread-safe).
const HttpBackend& HttplibBackend();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_HTTPLIB_LISTENER_H_
