// One delivery attempt as `send` and `replay` show it: what was sent, what came back, how long it
// took, and the verdict a vendor would reach by its own rule (what counts as delivered, how long it
// waits). Text (colours optional) or JSON. Also the order in which `send --count N --retry K`
// sends its attempts (DeliveryQueue), as pure logic: the caller sends and sleeps.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/show/render.hpp"
#include "core/util/http.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool {

struct ExchangeTimings {
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, first_byte_ms = 0, total_ms = 0;
};

struct Exchange {
  // Request
  std::string method;
  std::string url;
  std::string sent_head; // request line and headers as sent (may be empty when never sent)
  std::vector<Header> request_headers;
  std::string request_body;
  // Response
  bool answered = false;       // a whole answer arrived
  bool timed_out = false;      // no whole answer in time (status_line is set when its head came)
  bool connect_failed = false; // no connection (DNS, refused, unreachable)
  bool tls_failed = false;     // the TLS handshake or certificate check failed
  std::string error;           // why there was no (whole) answer
  long status = 0;
  std::string status_line;
  std::vector<Header> response_headers;
  std::string response_body; // with a timeout after the head: what arrived of it
  std::string redirect_url;
  ExchangeTimings timings;
};

// 0 when the vendor counts the answer as delivered (its success statuses, any 2xx without
// `delivery`; and, with `delivery`, within the time it waits), 1 for another answer or a timeout,
// 3 when there was no answer.
int exchange_exit_code(const Exchange& exchange, const Delivery* delivery = nullptr);

// Why an attempt failed, in the words of Slack's X-Slack-Retry-Reason, the one vendor that says:
// http_timeout, http_error (an answer not counted as delivered), connection_failed, ssl_error,
// unknown_error. Empty when it was delivered.
std::string retry_reason(const Exchange& exchange, const Delivery* delivery = nullptr);

// Header values that are secrets (Authorization, the --auth header) are replaced by "<redacted>".
std::vector<Header> redact(const std::vector<Header>& headers,
                           const std::vector<std::string>& secret_names);
std::string redact_head(const std::string& head, const std::vector<std::string>& secret_names);

struct RenderOptions {
  bool color = false;
  bool show_body = false;
  std::string vendor_title; // "Wisepops"; empty for none
  const Delivery* delivery =
      nullptr;                  // the vendor's rule (statuses, how long it waits); null: any 2xx
  std::int64_t limit_ms = 0;    // how long this attempt waited (--timeout or the vendor's)
  bool limit_from_flag = false; // limit_ms was set by --timeout, not the vendor's
  TextCut body_cut;             // where text bodies are cut (a terminal without --full)
};

std::string render_exchange(const Exchange& exchange, const RenderOptions& options);
std::string verdict_line(const Exchange& exchange, const RenderOptions& options);
nlohmann::ordered_json exchange_json(const Exchange& exchange, const Delivery* delivery = nullptr);

// What a burst (send --count without --retry) got, and its report. Completed requests are those
// that got an answer, of any status: rates and latencies are theirs alone, since a refused
// connection fails in microseconds and would make a dead port look fast.
struct BurstSummary {
  std::string vendor, url;
  int count = 0, concurrency = 1;
  int answered = 0, timeouts = 0;
  double wall_s = 0;
  std::vector<double> latencies_ms; // of the completed requests
  std::map<long, int> statuses;
  std::map<std::string, int> errors; // reason -> count, timeouts included
};
// `delivery` colours the statuses the vendor counts as delivered (null: 2xx).
std::string burst_text(const BurstSummary& burst, const Delivery* delivery, bool color);
nlohmann::ordered_json burst_json(const BurstSummary& burst);
// 3 when a request got no answer (a timeout aside), else 1 for a timeout or an answer the
// vendor does not count as delivered, else 0.
int burst_exit_code(const BurstSummary& burst, const Delivery* delivery);

// "1 min", "2 s", "250 ms", "1.50 s"
std::string human_duration(double ms);

// The attempts of N deliveries with up to `max_attempts` each, one at a time. A retry is due its
// delay after the attempt that failed. Unordered (most vendors): a retry that is due goes first,
// else the next fresh delivery, else the earliest retry, so later deliveries go on while one
// waits for its retry. Ordered (eSputnik): only the first delivery not yet delivered is sent;
// while it is retried the later ones are held, and when it runs out of attempts they are never
// sent (the vendor would keep retrying it).
class DeliveryQueue {
public:
  DeliveryQueue(int deliveries, int max_attempts, bool ordered);

  struct Next {
    int delivery = 0; // from 0
    int attempt = 1;  // from 1
    std::int64_t due_ms = 0;
  };
  // What to send next at `now_ms` (it may be due later: wait until due_ms); none when done.
  std::optional<Next> next(std::int64_t now_ms) const;
  // The outcome of the attempt `next` gave; a failure is retried `retry_delay_ms` after now_ms
  // while attempts remain.
  void record(const Next& sent, bool delivered, std::int64_t now_ms, std::int64_t retry_delay_ms);

  int deliveries() const { return static_cast<int>(m_state.size()); }
  bool delivered(int delivery) const { return m_state[static_cast<size_t>(delivery)].delivered; }
  bool sent(int delivery) const { return m_state[static_cast<size_t>(delivery)].attempts > 0; }
  bool gave_up(int delivery) const; // out of attempts, not delivered
  int attempts(int delivery) const { return m_state[static_cast<size_t>(delivery)].attempts; }
  bool ordered() const { return m_ordered; }
  // Ordered: the later deliveries not sent yet, held back by `delivery`.
  int held_behind(int delivery) const;

private:
  struct State {
    int attempts = 0;
    bool delivered = false;
    std::int64_t due_ms = 0;
  };
  std::vector<State> m_state;
  int m_max_attempts;
  bool m_ordered;
};

} // namespace hooktool
