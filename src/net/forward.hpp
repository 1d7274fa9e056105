// Relaying a captured request to the user's own app (listen --forward, --route) and bringing back
// its answer, over the project's libcurl client (net/client.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/show/capture.hpp"
#include "core/show/render.hpp"

namespace hooktool::net {

// Checks a --forward or --route URL: http(s)://HOST[:PORT][/PATH]; throws Error naming `where`.
void check_forward_url(const std::string& url, const std::string& where);

// The largest answer of the app that is relayed. Webhook senders read a status and perhaps a few
// bytes; every relayed answer is held whole (to show it, to send it on) while it is relayed, so
// 100 apps answering 5 MiB at once held 2.3 GB (issue 12). An app that sends more gets no answer
// relayed: the sender gets 502 and the output says why (a cut body would be an answer the app
// never gave, sent on with the app's status as if it had).
inline constexpr std::size_t kMaxForwardAnswer = 1u << 20;

// Sends the request's method, path and query (after the URL's own path), headers and body to
// `base_url`; the outcome has the app's status, body and latency, or the error. The whole answer
// must arrive within `timeout_ms` (else the outcome's timed_out is set), and be at most
// kMaxForwardAnswer bytes (else the outcome has no status and says so in its error).
ForwardOutcome forward_request(const std::string& base_url, const CapturedRequest& request,
                               std::int64_t timeout_ms, std::vector<Header>* response_headers);

} // namespace hooktool::net
