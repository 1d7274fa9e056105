// Relaying a captured request to the user's own app (listen --forward, --route) and bringing back
// its answer. It uses cpp-httplib's client, not the project's libcurl client (net/client.hpp),
// which came later.
#pragma once

#include <string>
#include <vector>

#include "core/show/capture.hpp"
#include "core/show/render.hpp"

namespace hooktool::net {

// Checks a --forward or --route URL: http(s)://HOST[:PORT][/PATH]; throws Error naming `where`.
void check_forward_url(const std::string& url, const std::string& where);

// Sends the request's method, path and query (after the URL's own path), headers and body to
// `base_url`; the outcome has the app's status, body and latency, or the error. The whole answer
// must arrive within `timeout_ms` (else the outcome's timed_out is set).
ForwardOutcome forward_request(const std::string& base_url, const CapturedRequest& request,
                               std::int64_t timeout_ms, std::vector<Header>* response_headers);

} // namespace hooktool::net
