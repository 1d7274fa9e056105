// Forwarding (see forward.hpp).
#include "net/forward.hpp"

#include <chrono>
#include <cmath>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"
#include "net/client.hpp"

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
  HttpRequest req;
  req.method = request.method;
  req.url = target->origin + target->path + request.target();
  out.url = req.url;
  for (const auto& h : request.headers)
    if (!is_hop_by_hop(h.name)) req.headers.push_back(h);
  req.body = request.body;
  req.timeout_ms = timeout_ms; // for the whole answer: an app that trickles it is cut off too
  req.insecure = true;         // a local app's own certificate
  req.relay = true;
  req.max_answer = kMaxForwardAnswer;

  const auto start = std::chrono::steady_clock::now();
  HttpResponse result = send_request(req);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  out.latency_ms = std::round(ms * 10) / 10;
  if (result.failure != Failure::None) {
    out.timed_out = result.failure == Failure::Timeout;
    out.error = out.timed_out ? "no whole answer within " + std::to_string(timeout_ms) + " ms"
                              : result.error;
    return out;
  }
  if (result.body_cut) {
    const Header* length = find_header(result.headers, "Content-Length");
    out.error = "its answer (" + std::to_string(result.status) +
                (length ? ", " + length->value + " bytes" : "") + ") is above " +
                std::to_string(kMaxForwardAnswer >> 20) + " MiB, the most that is relayed";
    return out;
  }
  out.status = static_cast<int>(result.status);
  out.body = std::move(result.body);
  if (const Header* type = find_header(result.headers, "Content-Type"))
    out.content_type = type->value;
  if (response_headers)
    for (auto& h : result.headers)
      if (!is_hop_by_hop(h.name) && !iequals(h.name, "Content-Type"))
        response_headers->push_back(std::move(h));
  return out;
}

} // namespace hooktool::net
