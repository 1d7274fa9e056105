// One delivery attempt as `send` and `replay` show it: what was sent, what came back, how long it
// took, and the verdict a vendor would reach. Text (colours optional) or JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/util/http.hpp"
#include "core/show/render.hpp"

namespace hooktool {

struct ExchangeTimings {
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, first_byte_ms = 0, total_ms = 0;
};

struct Exchange {
  // Request
  std::string method;
  std::string url;
  std::string sent_head;  // request line and headers as sent (may be empty when never sent)
  std::vector<Header> request_headers;
  std::string request_body;
  // Response
  bool answered = false;
  bool timed_out = false;
  std::string error;  // why there was no answer
  long status = 0;
  std::string status_line;
  std::vector<Header> response_headers;
  std::string response_body;
  std::string redirect_url;
  ExchangeTimings timings;
};

// 0 for a 2xx, 1 for another status or a timeout, 3 when there was no answer.
int exchange_exit_code(const Exchange& exchange);

// Header values that are secrets (Authorization, the --auth header) are replaced by "<redacted>".
std::vector<Header> redact(const std::vector<Header>& headers, const std::vector<std::string>& secret_names);
std::string redact_head(const std::string& head, const std::vector<std::string>& secret_names);

struct RenderOptions {
  bool color = false;
  bool show_body = false;
  std::string vendor_title;     // "Wisepops"; empty for none
  std::int64_t limit_ms = 0;    // the vendor's timeout, to compare the answer time against
  TextCut body_cut;             // where text bodies are cut (a terminal without --full)
};

std::string render_exchange(const Exchange& exchange, const RenderOptions& options);
std::string verdict_line(const Exchange& exchange, const RenderOptions& options);
nlohmann::ordered_json exchange_json(const Exchange& exchange);

}  // namespace hooktool
