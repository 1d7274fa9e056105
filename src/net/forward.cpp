// Forwarding (see forward.hpp).
#include "net/forward.hpp"

#include <httplib.h>

#include <chrono>
#include <cmath>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"

namespace hooktool::net {

namespace {

struct Target {
  std::string origin; // scheme://host[:port]
  std::string path;   // "" or "/app" (no trailing slash)
};

std::optional<Target> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = to_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const auto path_start = url.find('/', scheme_end + 3);
  Target t;
  t.origin = url.substr(0, path_start);
  if (t.origin.size() == scheme_end + 3) return std::nullopt;
  if (path_start != std::string::npos) t.path = url.substr(path_start);
  while (!t.path.empty() && t.path.back() == '/')
    t.path.pop_back();
  return t;
}

// The library's error, in the words a user needs (its own names are one word: "Connection").
std::string plain_error(httplib::Error error, const std::string& origin, std::int64_t timeout_ms) {
  const std::string host = origin.substr(origin.find("://") + 3);
  switch (error) {
  case httplib::Error::Connection:
    return "could not connect to " + host + ": connection refused or unreachable";
  case httplib::Error::ConnectionTimeout:
    return "could not connect to " + host + " within " + std::to_string(timeout_ms) + " ms";
  case httplib::Error::Read:
    return host + " closed the connection without an HTTP answer, or answered with bytes that are "
                  "not HTTP";
  case httplib::Error::Write:
    return "the connection to " + host + " broke while the request was sent";
  case httplib::Error::SSLConnection:
    return "the TLS handshake with " + host +
           " failed (if it speaks plain HTTP, forward to http://)";
  case httplib::Error::SSLLoadingCerts: return "cannot load the TLS certificates to reach " + host;
  default: return "could not relay to " + host + " (" + httplib::to_string(error) + ")";
  }
}

} // namespace

void check_forward_url(const std::string& url, const std::string& where) {
  if (!split_url(url))
    throw Error("'" + url + "' is not an http:// or https:// URL (" + where + ")");
}

ForwardOutcome forward_request(const std::string& base_url, const CapturedRequest& request,
                               std::int64_t timeout_ms, std::vector<Header>* response_headers) {
  ForwardOutcome out;
  const auto target = split_url(base_url);
  out.url = base_url;
  if (!target) {
    out.error = "not an http:// or https:// URL";
    return out;
  }
  httplib::Request req;
  req.method = request.method;
  req.path = target->path + request.target();
  out.url = target->origin + req.path;
  for (const auto& h : request.headers)
    if (!is_hop_by_hop(h.name)) req.headers.emplace(h.name, h.value);
  req.body = request.body;

  httplib::Client client(target->origin);
  const time_t seconds = static_cast<time_t>(timeout_ms / 1000);
  const time_t micros = static_cast<time_t>(timeout_ms % 1000 * 1000);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  client.set_decompress(false);
  client.set_follow_location(false);
  client.set_keep_alive(false);
  client.enable_server_certificate_verification(false); // a local app's own certificate
  const auto start = std::chrono::steady_clock::now();
  // The read time-out holds for each read; this holds for the whole answer, so that an app that
  // trickles it does not keep the sender waiting longer.
  const auto deadline = start + std::chrono::milliseconds(timeout_ms);
  req.progress = [deadline](std::uint64_t, std::uint64_t) {
    return std::chrono::steady_clock::now() < deadline;
  };
  auto result = client.send(req);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  out.latency_ms = std::round(ms * 10) / 10;
  if (!result) {
    out.timed_out = result.error() == httplib::Error::Canceled ||
                    elapsed >= std::chrono::milliseconds(timeout_ms);
    out.error = out.timed_out ? "no whole answer within " + std::to_string(timeout_ms) + " ms"
                              : plain_error(result.error(), target->origin, timeout_ms);
    return out;
  }
  out.status = result->status;
  out.body = result->body;
  out.content_type = result->get_header_value("Content-Type");
  if (response_headers)
    for (const auto& [name, value] : result->headers)
      if (!is_hop_by_hop(name) && !iequals(name, "Content-Type"))
        response_headers->push_back({name, value});
  return out;
}

} // namespace hooktool::net
