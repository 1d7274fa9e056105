// Rendering of a delivery attempt (see exchange.hpp).
#include "core/show/exchange.hpp"

#include <cstdio>

#include "core/util/bytes.hpp"
#include "core/show/capture.hpp"
#include "core/show/render.hpp"

namespace hooktool {

namespace {

std::string paint(bool color, const std::string& text, const char* sgr) {
  return color ? "\033[" + std::string(sgr) + "m" + text + "\033[0m" : text;
}

std::string fmt_ms(double ms) {
  char buffer[32];
  if (ms >= 1000 && static_cast<long long>(ms) % 1000 == 0) std::snprintf(buffer, sizeof buffer, "%.0f s", ms / 1000);
  else if (ms >= 1000) std::snprintf(buffer, sizeof buffer, "%.2f s", ms / 1000);
  else std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
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

}  // namespace

int exchange_exit_code(const Exchange& e) {
  if (!e.answered) return e.timed_out ? 1 : 3;
  return e.status >= 200 && e.status < 300 ? 0 : 1;
}

std::vector<Header> redact(const std::vector<Header>& headers, const std::vector<std::string>& secret_names) {
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
    if (colon != std::string_view::npos && is_secret(std::string(trim(line.substr(0, colon))), secret_names))
      out += std::string(line.substr(0, colon)) + ": " + redacted_value(std::string(trim(line.substr(colon + 1))));
    else
      out += std::string(line);
    out += "\n";
  }
  while (ends_with(out, "\n\n")) out.pop_back();
  return out;
}

std::string verdict_line(const Exchange& e, const RenderOptions& o) {
  const std::string who = o.vendor_title.empty() ? "the sender" : o.vendor_title;
  std::string limit;
  if (o.limit_ms > 0) limit = " (" + who + " waits " + fmt_ms(static_cast<double>(o.limit_ms)) + ")";
  if (!e.answered) {
    if (e.timed_out)
      return paint(o.color, "✗ timeout", "1;31") + ": " + e.error + limit + "; " + who +
             " counts this delivery as failed";
    return paint(o.color, "✗ no answer", "1;31") + ": " + e.error;
  }
  const std::string status = std::to_string(e.status);
  const std::string reason =
      e.status_line.size() > 13 ? visible_text(e.status_line.substr(e.status_line.find(' ', 9) + 1)) : "";
  const std::string took = " in " + fmt_ms(e.timings.total_ms);
  if (e.status >= 200 && e.status < 300) {
    std::string slow;
    if (o.limit_ms > 0 && e.timings.total_ms > 0.5 * static_cast<double>(o.limit_ms))
      slow = paint(o.color, " — slow: " + fmt_ms(e.timings.total_ms) + " of the " +
                                fmt_ms(static_cast<double>(o.limit_ms)) + " " + who + " allows", "33");
    return paint(o.color, "✓ " + status + " " + reason, "1;32") + took + limit + slow;
  }
  std::string why;
  if (e.status >= 300 && e.status < 400)
    why = e.redirect_url.empty() ? "; senders do not follow redirects"
                                 : ": redirects to " + visible_text(e.redirect_url) +
                                       ", and senders do not follow redirects: point the hook at that URL";
  else
    why = "; " + who + " counts this delivery as failed";
  return paint(o.color, "✗ " + status + " " + reason, "1;31") + took + why;
}

std::string render_exchange(const Exchange& e, const RenderOptions& o) {
  std::string out;
  const std::string head = e.sent_head.empty() ? e.method + " " + e.url + "\n" : e.sent_head;
  for (auto line : split(head, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    out += paint(o.color, "> ", "2") + visible_text(line) + "\n"; // replay sends what a sender chose
  }
  if (o.show_body && !e.request_body.empty()) {
    const Header* type = find_header(e.request_headers, "Content-Type");
    out += "\n" + render_body(e.request_body, type ? type->value : "", o.color, o.body_cut);
  }
  out += "\n";
  if (e.answered) {
    out += paint(o.color, "< ", "2") + paint(o.color, visible_text(e.status_line), "1") + "\n";
    for (const auto& h : e.response_headers)
      out += paint(o.color, "< ", "2") + paint(o.color, visible_text(h.name), "36") + ": " + visible_text(h.value) +
             "\n";
    if (!e.response_body.empty()) {
      const Header* type = find_header(e.response_headers, "Content-Type");
      out += "\n" + render_body(e.response_body, type ? type->value : "", o.color, o.body_cut);
    }
    out += "\n";
    const auto& t = e.timings;
    out += paint(o.color, "dns " + fmt_ms(t.dns_ms) + " · connect " + fmt_ms(t.connect_ms) + " · tls " +
                              (t.tls_ms > 0 ? fmt_ms(t.tls_ms) : "-") + " · first byte " +
                              fmt_ms(t.first_byte_ms) + " · total " + fmt_ms(t.total_ms),
                 "2") +
           "\n";
  }
  return out + verdict_line(e, o) + "\n";
}

nlohmann::ordered_json exchange_json(const Exchange& e) {
  using json = nlohmann::ordered_json;
  auto pairs = [](const std::vector<Header>& headers) {
    json out = json::array();
    for (const auto& h : headers) out.push_back(json::array({h.name, h.value}));
    return out;
  };
  auto body_json = [](const std::string& body) {
    return is_utf8(body) ? json(body) : json({{"base64", base64_encode(body)}});
  };
  json out;
  out["request"] = {{"method", e.method}, {"url", e.url}, {"headers", pairs(e.request_headers)},
                    {"body", body_json(e.request_body)}};
  if (e.answered) {
    out["response"] = {{"status", e.status}, {"status_line", e.status_line},
                       {"headers", pairs(e.response_headers)}, {"body", body_json(e.response_body)}};
    if (!e.redirect_url.empty()) out["response"]["redirect_url"] = e.redirect_url;
  } else {
    out["response"] = nullptr;
  }
  out["error"] = e.answered ? json(nullptr) : json(e.error);
  out["timed_out"] = e.timed_out;
  const auto& t = e.timings;
  out["timings_ms"] = {{"dns", t.dns_ms}, {"connect", t.connect_ms}, {"tls", t.tls_ms},
                       {"first_byte", t.first_byte_ms}, {"total", t.total_ms}};
  out["exit_code"] = exchange_exit_code(e);
  return out;
}

}  // namespace hooktool
