// The HTTP client over libcurl: one request with full detail (what was sent, what came back, how
// long each phase took), and bursts of many requests over a pool of kept-alive connections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/util/http.hpp"

namespace hooktool::net {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::string target; // when not empty, sent as the request target verbatim (url gives the host)
  std::vector<Header> headers;
  std::string body;
  std::int64_t timeout_ms = 10'000;
  std::string cacert;
  bool insecure = false;
  bool trace = false; // keep libcurl's account of the connection (HttpResponse::trace)
  // Relaying a received request (listen --forward): the headers given are all that is sent besides
  // Host and Content-Length (libcurl adds no User-Agent, Accept or form Content-Type of its own),
  // the path goes as it is (no "/../" resolved), a GET keeps its body and a HEAD expects none.
  bool relay = false;
  // The most of the answer's body kept; past it the transfer stops (HttpResponse::body_cut). 0:
  // all.
  std::size_t max_answer = 0;
};

struct Timings {
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, first_byte_ms = 0, total_ms = 0;
};

// Timeout: no whole answer in time (the status line and headers are kept when they came);
// Connect: DNS, refused or unreachable; Tls: the handshake or the certificate check; NotHttp: the
// server answered with bytes that are not an HTTP response; Network: anything else.
enum class Failure { None, Timeout, Connect, Tls, NotHttp, Network };

struct HttpResponse {
  Failure failure = Failure::None;
  std::string error; // plain words, when failure != None
  long status = 0;
  std::string status_line;     // "HTTP/1.1 200 OK"
  std::vector<Header> headers; // in arrival order
  std::string body;
  bool body_cut = false;    // more than HttpRequest::max_answer came: `body` holds that much
  std::string sent_head;    // the request line and headers exactly as sent
  std::string redirect_url; // Location of a 3xx, resolved
  Timings timings;
  std::string trace; // with HttpRequest::trace: libcurl's lines ("Trying ...", TLS)
};

// Throws Error (exit 2) for a URL curl cannot use; never for network trouble (see failure).
void check_url(const std::string& url);
HttpResponse send_request(const HttpRequest& request);

struct BurstOptions {
  int count = 1;
  int concurrency = 1;
  double rate = 0; // requests per second over all connections; 0 = as fast as possible
  std::function<HttpRequest(int index)> make_request;
  std::function<void(int done, int total)> progress; // called as requests finish
  bool trace_first = false; // keep the first request's head as sent, its answer's head, the trace
};

struct BurstResult {
  std::vector<double> latencies_ms; // of the requests that got an answer
  std::map<long, int> statuses;
  std::map<std::string, int> errors; // by reason, timeouts included
  int timeouts = 0;
  double wall_s = 0;
  int finished = 0; // answered or failed
  int answered = 0; // got a whole answer (any status): the completed requests
  std::string first_sent_head, first_answer_head, first_trace; // with trace_first
};

BurstResult burst(const BurstOptions& options);

} // namespace hooktool::net
