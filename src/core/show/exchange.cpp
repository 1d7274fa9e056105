// Rendering of a delivery attempt (see exchange.hpp).
#include "core/show/exchange.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/show/capture.hpp"
#include "core/show/render.hpp"
#include "core/show/style.hpp"
#include "core/util/bytes.hpp"

namespace hooktool {

namespace {

std::string fmt_ms(double ms) {
  char buffer[32];
  if (ms >= 1000 && static_cast<long long>(ms) % 1000 == 0)
    std::snprintf(buffer, sizeof buffer, "%.0f s", ms / 1000);
  else if (ms >= 1000)
    std::snprintf(buffer, sizeof buffer, "%.2f s", ms / 1000);
  else
    std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
  return buffer;
}

bool is_secret(const std::string& name, const std::vector<std::string>& secret_names) {
  if (iequals(name, "Authorization") || iequals(name, "Proxy-Authorization")) return true;
  for (const auto& s : secret_names)
    if (iequals(name, s)) return true;
  return false;
}

std::string redacted_value(const std::string& value) {
  auto space = value.find(' ');
  if (space != std::string::npos && (starts_with(value, "Basic ") || starts_with(value, "Bearer ")))
    return value.substr(0, space) + " <redacted>";
  return "<redacted>";
}

bool in_time(const Exchange& e, const Delivery* d) {
  return !d || d->timeout_ms <= 0 || e.timings.total_ms <= static_cast<double>(d->timeout_ms);
}

bool delivered_status(long status, const Delivery* d) {
  return d ? d->delivered(status) : status >= 200 && status < 300;
}

} // namespace

int exchange_exit_code(const Exchange& e, const Delivery* delivery) {
  if (!e.answered) return e.timed_out ? 1 : 3;
  return delivered_status(e.status, delivery) && in_time(e, delivery) ? 0 : 1;
}

std::string retry_reason(const Exchange& e, const Delivery* delivery) {
  if (e.answered)
    return exchange_exit_code(e, delivery) == 0 ? ""
           : in_time(e, delivery)               ? "http_error"
                                                : "http_timeout";
  if (e.timed_out) return "http_timeout";
  if (e.tls_failed) return "ssl_error";
  if (e.connect_failed) return "connection_failed";
  return "unknown_error";
}

std::string human_duration(double ms) {
  const auto whole = static_cast<long long>(ms);
  char buffer[32];
  if (static_cast<double>(whole) == ms) {
    if (whole >= 3'600'000 && whole % 3'600'000 == 0)
      return std::to_string(whole / 3'600'000) + " h";
    if (whole >= 60'000 && whole % 60'000 == 0) return std::to_string(whole / 60'000) + " min";
    if (whole >= 1000 && whole % 1000 == 0) return std::to_string(whole / 1000) + " s";
    if (whole < 1000) return std::to_string(whole) + " ms";
  }
  if (ms >= 1000)
    std::snprintf(buffer, sizeof buffer, "%.2f s", ms / 1000);
  else
    std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
  return buffer;
}

std::vector<Header> redact(const std::vector<Header>& headers,
                           const std::vector<std::string>& secret_names) {
  std::vector<Header> out = headers;
  for (auto& h : out)
    if (is_secret(h.name, secret_names)) h.value = redacted_value(h.value);
  return out;
}

std::string redact_head(const std::string& head, const std::vector<std::string>& secret_names) {
  if (trim(head).empty()) return {};
  std::string out;
  for (auto line : split(head, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto colon = line.find(':');
    if (colon != std::string_view::npos &&
        is_secret(std::string(trim(line.substr(0, colon))), secret_names))
      out += std::string(line.substr(0, colon)) + ": " +
             redacted_value(std::string(trim(line.substr(colon + 1))));
    else
      out += std::string(line);
    out += "\n";
  }
  while (ends_with(out, "\n\n"))
    out.pop_back();
  return out;
}

namespace {

// "(Wootric waits 15 s)", "(Wootric waits 15 s; --timeout 2 s)", "(--timeout 10 s)".
std::string wait_note(const std::string& who, const RenderOptions& o) {
  std::string parts;
  if (o.delivery && o.delivery->timeout_ms > 0)
    parts = who + " waits " + human_duration(static_cast<double>(o.delivery->timeout_ms));
  if (o.limit_ms > 0 && (o.limit_from_flag || !o.delivery))
    parts += (parts.empty() ? "" : "; ") + std::string("--timeout ") +
             human_duration(static_cast<double>(o.limit_ms));
  return parts.empty() ? "" : " (" + parts + ")";
}

std::string reason_phrase(const Exchange& e) {
  const auto space = e.status_line.find(' ', 9);
  return e.status_line.size() > 13 && space != std::string::npos
             ? visible_text(e.status_line.substr(space + 1))
             : "";
}

std::string timeout_verdict(const Exchange& e, const RenderOptions& o, const std::string& who) {
  const Style style{o.color};
  std::string line = style.bad("✗ timeout") + ": " + e.error;
  const std::int64_t vendor_wait = o.delivery ? o.delivery->timeout_ms : 0;
  if (o.limit_from_flag && vendor_wait > 0) {
    line += " (set by --timeout; " + who + " waits " +
            human_duration(static_cast<double>(vendor_wait)) + ")";
    // A --timeout shorter than the vendor's wait says nothing of what the vendor would decide.
    if (o.limit_ms < vendor_wait) return line;
  } else {
    line += wait_note(who, o);
  }
  return line + "; " + who + " counts this delivery as failed";
}

} // namespace

std::string verdict_line(const Exchange& e, const RenderOptions& o) {
  const Style style{o.color};
  const std::string who = o.vendor_title.empty() ? "the sender" : o.vendor_title;
  if (!e.answered) {
    if (e.timed_out) return timeout_verdict(e, o, who);
    if (!e.status_line.empty()) return style.bad("✗ broken answer") + ": " + e.error;
    return style.bad("✗ no answer") + ": " + e.error;
  }
  const std::string status = std::to_string(e.status);
  const std::string reason = reason_phrase(e);
  const std::string took = " in " + fmt_ms(e.timings.total_ms);
  const bool delivered = delivered_status(e.status, o.delivery);
  if (delivered && !in_time(e, o.delivery))
    return style.bad("✗ " + status + " " + reason) + took + ": longer than the " +
           human_duration(static_cast<double>(o.delivery->timeout_ms)) + " " + who + " waits; " +
           who + " counts this delivery as failed";
  if (delivered) {
    std::string slow;
    const double wait = o.delivery && o.delivery->timeout_ms > 0
                            ? static_cast<double>(o.delivery->timeout_ms)
                            : static_cast<double>(o.limit_ms);
    if (wait > 0 && e.timings.total_ms > 0.5 * wait)
      slow = style.warn(" — slow: " + fmt_ms(e.timings.total_ms) + " of the " + fmt_ms(wait) + " " +
                        who + " allows");
    return style.good("✓ " + status + " " + reason) + took + wait_note(who, o) + slow;
  }
  std::string why;
  if (e.status >= 200 && e.status < 300 && o.delivery)
    why = "; " + who + " counts only " + o.delivery->success_rule() + " as delivered";
  else if (e.status >= 300 && e.status < 400)
    why = e.redirect_url.empty()
              ? "; senders do not follow redirects"
              : ": redirects to " + visible_text(e.redirect_url) +
                    ", and senders do not follow redirects: point the hook at that URL";
  else
    why = "; " + who + " counts this delivery as failed";
  return style.bad("✗ " + status + " " + reason) + took + why;
}

namespace {

// The body sent: a form as its bytes (what was signed), then as the tree a receiver reads; other
// bodies as render_body shows them (JSON pretty-printed: the same values, spaced for reading).
std::string sent_body(const Exchange& e, bool color, const TextCut& cut) {
  const Style style{color};
  const Header* type = find_header(e.request_headers, "Content-Type");
  const std::string content_type = type ? type->value : "";
  if (classify_body(e.request_body, content_type) != BodyKind::Form)
    return render_body(e.request_body, content_type, color, cut);
  std::string out = visible_text(e.request_body) + "\n";
  out += style.dim("read as a form (Rack):") + "\n" +
         render_body(e.request_body, content_type, color, cut);
  return out;
}

std::string response_part(const Exchange& e, bool color, const TextCut& cut) {
  const Style style{color};
  std::string out = style.dim("< ") + style.bold(visible_text(e.status_line)) + "\n";
  for (const auto& h : e.response_headers)
    out += style.dim("< ") + style.name(visible_text(h.name)) + ": " + visible_text(h.value) + "\n";
  if (!e.response_body.empty()) {
    const Header* type = find_header(e.response_headers, "Content-Type");
    out += "\n" + render_body(e.response_body, type ? type->value : "", color, cut);
  }
  return out;
}

} // namespace

std::string render_exchange(const Exchange& e, const RenderOptions& o) {
  const Style style{o.color};
  std::string out;
  const std::string head = e.sent_head.empty() ? e.method + " " + e.url + "\n" : e.sent_head;
  for (auto line : split(head, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    out += style.dim("> ") + visible_text(line) + "\n"; // replay sends what a sender chose
  }
  if (o.show_body && !e.request_body.empty()) out += "\n" + sent_body(e, o.color, o.body_cut);
  out += "\n";
  if (e.answered) {
    out += response_part(e, o.color, o.body_cut) + "\n";
    const auto& t = e.timings;
    out += style.dim("dns " + fmt_ms(t.dns_ms) + " · connect " + fmt_ms(t.connect_ms) + " · tls " +
                     (t.tls_ms > 0 ? fmt_ms(t.tls_ms) : "-") + " · first byte " +
                     fmt_ms(t.first_byte_ms) + " · total " + fmt_ms(t.total_ms)) +
           "\n";
  } else if (!e.status_line.empty()) {
    out += response_part(e, o.color, o.body_cut) + "\n"; // the head came, the body did not finish
  }
  return out + verdict_line(e, o) + "\n";
}

nlohmann::ordered_json exchange_json(const Exchange& e, const Delivery* delivery) {
  using json = nlohmann::ordered_json;
  auto pairs = [](const std::vector<Header>& headers) {
    json out = json::array();
    for (const auto& h : headers)
      out.push_back(json::array({h.name, h.value}));
    return out;
  };
  auto body_json = [](const std::string& body) {
    return is_utf8(body) ? json(body) : json({{"base64", base64_encode(body)}});
  };
  json out;
  out["request"] = {{"method", e.method},
                    {"url", e.url},
                    {"headers", pairs(e.request_headers)},
                    {"body", body_json(e.request_body)}};
  if (e.answered || !e.status_line.empty()) {
    out["response"] = {{"status", e.status},
                       {"status_line", e.status_line},
                       {"headers", pairs(e.response_headers)},
                       {"body", body_json(e.response_body)},
                       {"complete", e.answered}};
    if (!e.redirect_url.empty()) out["response"]["redirect_url"] = e.redirect_url;
  } else {
    out["response"] = nullptr;
  }
  out["error"] = e.answered ? json(nullptr) : json(e.error);
  out["timed_out"] = e.timed_out;
  const auto& t = e.timings;
  out["timings_ms"] = {{"dns", t.dns_ms},
                       {"connect", t.connect_ms},
                       {"tls", t.tls_ms},
                       {"first_byte", t.first_byte_ms},
                       {"total", t.total_ms}};
  out["exit_code"] = exchange_exit_code(e, delivery);
  return out;
}

namespace {

double burst_percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, i == 0 ? 0 : i - 1)];
}

int burst_failed(const BurstSummary& b) {
  int failed = 0;
  for (const auto& [why, n] : b.errors)
    failed += n;
  return failed;
}

} // namespace

std::string burst_text(const BurstSummary& b, const Delivery* delivery, bool color) {
  const Style style{color};
  std::vector<double> sorted = b.latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  const double rps = b.wall_s > 0 ? b.answered / b.wall_s : 0;
  char line[512];
  if (b.answered == b.count)
    std::snprintf(line, sizeof line,
                  "%d requests to %s in %.2f s: %.0f requests/s at concurrency %d\n", b.answered,
                  b.url.c_str(), b.wall_s, rps, b.concurrency);
  else if (b.answered > 0)
    std::snprintf(
        line, sizeof line,
        "%d of %d requests to %s completed in %.2f s: %.0f completed/s at concurrency %d; "
        "%d got no answer\n",
        b.answered, b.count, b.url.c_str(), b.wall_s, rps, b.concurrency, burst_failed(b));
  else
    std::snprintf(
        line, sizeof line,
        "0 of %d requests to %s completed (%.2f s at concurrency %d): none got an answer\n",
        b.count, b.url.c_str(), b.wall_s, b.concurrency);
  std::string out = line;
  if (sorted.empty()) {
    out += "latency  none: no request completed\n";
  } else {
    std::snprintf(line, sizeof line,
                  "latency  p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms\n",
                  burst_percentile(sorted, 50), burst_percentile(sorted, 90),
                  burst_percentile(sorted, 99), sorted.back());
    out += line;
  }
  out += "status  ";
  for (const auto& [status, n] : b.statuses) {
    const std::string cell = " " + std::to_string(status) + " ×" + std::to_string(n);
    out += delivered_status(status, delivery) ? style.good(cell) : style.bad(cell);
  }
  out += std::string(b.statuses.empty() ? " none" : "") + "\nerrors  ";
  for (const auto& [why, n] : b.errors)
    out += " " + std::to_string(n) + "× " + why + ";";
  return out + (b.errors.empty() ? " none" : "") + "\n";
}

nlohmann::ordered_json burst_json(const BurstSummary& b) {
  using json = nlohmann::ordered_json;
  std::vector<double> sorted = b.latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  auto latency = [&](double p) {
    return sorted.empty() ? json(nullptr) : json(burst_percentile(sorted, p));
  };
  json statuses = json::object();
  for (const auto& [status, n] : b.statuses)
    statuses[std::to_string(status)] = n;
  return {{"vendor", b.vendor},
          {"url", b.url},
          {"count", b.count},
          {"concurrency", b.concurrency},
          {"completed", b.answered},
          {"failed", burst_failed(b)},
          {"seconds", b.wall_s},
          {"requests_per_second", b.wall_s > 0 ? b.answered / b.wall_s : 0},
          {"latency_ms",
           {{"p50", latency(50)},
            {"p90", latency(90)},
            {"p99", latency(99)},
            {"max", sorted.empty() ? json(nullptr) : json(sorted.back())}}},
          {"statuses", statuses},
          {"errors", b.errors}};
}

int burst_exit_code(const BurstSummary& b, const Delivery* delivery) {
  if (burst_failed(b) > b.timeouts) return 3; // some never got an answer
  int bad = 0;
  for (const auto& [status, n] : b.statuses)
    if (!delivered_status(status, delivery)) bad += n;
  return bad > 0 || b.timeouts > 0 ? 1 : 0;
}

DeliveryQueue::DeliveryQueue(int deliveries, int max_attempts, bool ordered)
    : m_state(static_cast<size_t>(std::max(0, deliveries))),
      m_max_attempts(std::max(1, max_attempts)), m_ordered(ordered) {}

bool DeliveryQueue::gave_up(int delivery) const {
  const State& s = m_state[static_cast<size_t>(delivery)];
  return !s.delivered && s.attempts >= m_max_attempts;
}

std::optional<DeliveryQueue::Next> DeliveryQueue::next(std::int64_t now_ms) const {
  auto make = [&](size_t i) {
    return Next{static_cast<int>(i), m_state[i].attempts + 1,
                m_state[i].attempts == 0 ? now_ms : m_state[i].due_ms};
  };
  if (m_ordered) {
    for (size_t i = 0; i < m_state.size(); ++i) {
      if (m_state[i].delivered) continue;
      if (gave_up(static_cast<int>(i))) return std::nullopt; // the later ones wait for it for ever
      return make(i);
    }
    return std::nullopt;
  }
  std::optional<size_t> due_retry, fresh, earliest;
  for (size_t i = 0; i < m_state.size(); ++i) {
    const State& s = m_state[i];
    if (s.delivered || gave_up(static_cast<int>(i))) continue;
    if (s.attempts == 0) {
      if (!fresh) fresh = i;
      continue;
    }
    if (!earliest || s.due_ms < m_state[*earliest].due_ms) earliest = i;
    if (s.due_ms <= now_ms && (!due_retry || s.due_ms < m_state[*due_retry].due_ms)) due_retry = i;
  }
  if (due_retry) return make(*due_retry);
  if (fresh) return make(*fresh);
  if (earliest) return make(*earliest);
  return std::nullopt;
}

void DeliveryQueue::record(const Next& sent, bool delivered, std::int64_t now_ms,
                           std::int64_t retry_delay_ms) {
  State& s = m_state[static_cast<size_t>(sent.delivery)];
  s.attempts = sent.attempt;
  s.delivered = delivered;
  s.due_ms = now_ms + retry_delay_ms;
}

int DeliveryQueue::held_behind(int delivery) const {
  if (!m_ordered) return 0;
  int held = 0;
  for (size_t i = static_cast<size_t>(delivery) + 1; i < m_state.size(); ++i)
    if (m_state[i].attempts == 0) ++held;
  return held;
}

} // namespace hooktool
