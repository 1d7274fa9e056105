// One request sent and its answer, for the renderer (see exchange.hpp).
#include "cli/exchange.hpp"

namespace hooktool::cli {

Exchange to_exchange(const net::HttpRequest& request, const net::HttpResponse& response,
                     const std::vector<std::string>& secret_headers) {
  Exchange e;
  e.method = request.method;
  e.url = request.url;
  e.sent_head = redact_head(response.sent_head, secret_headers);
  e.request_headers = redact(request.headers, secret_headers);
  e.request_body = request.body;
  e.answered = response.failure == net::Failure::None;
  e.timed_out = response.failure == net::Failure::Timeout;
  e.connect_failed = response.failure == net::Failure::Connect;
  e.tls_failed = response.failure == net::Failure::Tls;
  e.error = response.error;
  e.status = response.status;
  e.status_line = response.status_line;
  e.response_headers = response.headers;
  e.response_body = response.body;
  e.redirect_url = response.redirect_url;
  const auto& t = response.timings;
  e.timings = {t.dns_ms, t.connect_ms, t.tls_ms, t.first_byte_ms, t.total_ms};
  return e;
}

} // namespace hooktool::cli
