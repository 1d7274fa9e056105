// Unit tests for src/core/exchange: how send and replay show a delivery attempt.
#include <doctest/doctest.h>

#include "core/show/exchange.hpp"

using namespace hooktool;

namespace {
Exchange answered_exchange() {
  Exchange e;
  e.method = "POST";
  e.url = "http://127.0.0.1:8080/hook";
  e.sent_head = "POST /hook HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n";
  e.answered = true;
  e.status = 200;
  e.status_line = "HTTP/1.1 200 OK";
  return e;
}
} // namespace

TEST_CASE("render_exchange shows the answer's control characters as escapes") {
  Exchange e = answered_exchange();
  e.status_line = "HTTP/1.1 200 OK\x1b]0;pwned\x07";
  e.response_headers = {{"X-\x1b[2JName", "a\rb"}};
  e.sent_head += "X-Replayed: \x1b[2J\r\n"; // replay sends the headers a sender chose
  const std::string text = render_exchange(e, RenderOptions{});
  CHECK(text.find("< HTTP/1.1 200 OK\\x1b]0;pwned\\x07\n") != std::string::npos);
  CHECK(text.find("< X-\\x1b[2JName: a\\x0db\n") != std::string::npos);
  CHECK(text.find("> X-Replayed: \\x1b[2J\n") != std::string::npos);
  CHECK(text.find("> Host: 127.0.0.1:8080\n") != std::string::npos);
  for (unsigned char c : text)
    CHECK_FALSE(((c < 0x20 && c != '\n') || c == 0x7f));
  CHECK(verdict_line(e, RenderOptions{}).find("200 OK\\x1b]0;pwned\\x07 in") != std::string::npos);
}

TEST_CASE("exchange_exit_code: 0 for a 2xx, 1 for another status or a timeout, 3 for no answer") {
  Exchange e = answered_exchange();
  CHECK(exchange_exit_code(e) == 0);
  e.status = 500;
  CHECK(exchange_exit_code(e) == 1);
  Exchange none;
  none.error = "connection refused";
  CHECK(exchange_exit_code(none) == 3);
  none.timed_out = true;
  CHECK(exchange_exit_code(none) == 1);
}

TEST_CASE("exchange_exit_code and the verdict follow the vendor's success rule") {
  Delivery only200;
  only200.success = {200};
  only200.timeout_ms = 10'000;
  RenderOptions o;
  o.vendor_title = "eSputnik";
  o.delivery = &only200;
  o.limit_ms = 10'000;
  Exchange e = answered_exchange();
  e.timings.total_ms = 3;
  CHECK(exchange_exit_code(e, &only200) == 0);
  CHECK(verdict_line(e, o) == "✓ 200 OK in 3.0 ms (eSputnik waits 10 s)");
  for (long status : {201L, 202L, 204L}) {
    e.status = status;
    e.status_line = "HTTP/1.1 " + std::to_string(status) + " Fine";
    CHECK(exchange_exit_code(e) == 0); // any 2xx without a rule
    CHECK(exchange_exit_code(e, &only200) == 1);
    CHECK(retry_reason(e, &only200) == "http_error");
    CHECK(verdict_line(e, o) == "✗ " + std::to_string(status) +
                                    " Fine in 3.0 ms; eSputnik counts only HTTP 200 as delivered");
  }
  SUBCASE("a 2xx after the time the vendor waits is not delivered") {
    e = answered_exchange();
    e.timings.total_ms = 12'000;
    CHECK(exchange_exit_code(e, &only200) == 1);
    CHECK(retry_reason(e, &only200) == "http_timeout");
    CHECK(verdict_line(e, o).find("longer than the 10 s eSputnik waits") != std::string::npos);
  }
}

TEST_CASE("retry_reason names why an attempt failed in Slack's words") {
  Exchange e = answered_exchange();
  CHECK(retry_reason(e).empty());
  e.status = 500;
  CHECK(retry_reason(e) == "http_error");
  Exchange none;
  none.timed_out = true;
  CHECK(retry_reason(none) == "http_timeout");
  none.timed_out = false;
  none.connect_failed = true;
  CHECK(retry_reason(none) == "connection_failed");
  none.connect_failed = false;
  none.tls_failed = true;
  CHECK(retry_reason(none) == "ssl_error");
  none.tls_failed = false;
  CHECK(retry_reason(none) == "unknown_error");
}

TEST_CASE("a timeout says what the vendor waits and what --timeout set") {
  Delivery d;
  d.timeout_ms = 15'000;
  RenderOptions o;
  o.vendor_title = "Wootric";
  o.delivery = &d;
  Exchange e;
  e.timed_out = true;
  e.error = "no answer within 2 s";
  o.limit_ms = 2000;
  o.limit_from_flag = true;
  CHECK(verdict_line(e, o) ==
        "✗ timeout: no answer within 2 s (set by --timeout; Wootric waits 15 s)");
  o.limit_ms = 20'000;
  CHECK(verdict_line(e, o) == "✗ timeout: no answer within 2 s (set by --timeout; Wootric waits 15 "
                              "s); Wootric counts this delivery as failed");
  o.limit_ms = 15'000;
  o.limit_from_flag = false;
  e.error = "no answer within 15 s";
  CHECK(verdict_line(e, o) == "✗ timeout: no answer within 15 s (Wootric waits 15 s); Wootric "
                              "counts this delivery as failed");
  Exchange ok = answered_exchange();
  ok.timings.total_ms = 1;
  o.limit_ms = 2000;
  o.limit_from_flag = true;
  CHECK(verdict_line(ok, o) == "✓ 200 OK in 1.0 ms (Wootric waits 15 s; --timeout 2 s)");
}

TEST_CASE("render_exchange shows the head of an answer whose body did not finish") {
  Exchange e;
  e.method = "POST";
  e.url = "http://127.0.0.1:1/";
  e.timed_out = true;
  e.status = 200;
  e.status_line = "HTTP/1.1 200 OK";
  e.response_body = "half";
  e.error = "answer started (200), body unfinished after 5 s";
  const std::string text = render_exchange(e, RenderOptions{});
  CHECK(text.find("< HTTP/1.1 200 OK\n") != std::string::npos);
  CHECK(text.find("✗ timeout: answer started (200), body unfinished after 5 s") !=
        std::string::npos);
  CHECK(exchange_json(e)["response"]["complete"] == false);
  CHECK(exchange_exit_code(e) == 1);
}

TEST_CASE("--show-body shows a form as the bytes sent, then as a tree") {
  Exchange e = answered_exchange();
  e.request_headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  e.request_body = "a[b]=1&c=%20";
  RenderOptions o;
  o.show_body = true;
  const std::string text = render_exchange(e, o);
  const auto bytes = text.find("\na[b]=1&c=%20\n");
  const auto tree = text.find("read as a form (Rack):\n{");
  CHECK(bytes != std::string::npos);
  CHECK(tree != std::string::npos);
  CHECK(bytes < tree);
}

namespace {
// Runs a queue where attempt `fails[d]` times fail for delivery d; returns "d.attempt" in order.
std::string drive(DeliveryQueue& q, std::vector<int> fails) {
  std::string out;
  std::int64_t now = 0;
  while (auto next = q.next(now)) {
    now = std::max(now, next->due_ms);
    out += (out.empty() ? "" : " ") + std::to_string(next->delivery + 1) + "." +
           std::to_string(next->attempt);
    const bool ok = next->attempt > fails[static_cast<size_t>(next->delivery)];
    q.record(*next, ok, now, 100);
    now += 1;
  }
  return out;
}
} // namespace

TEST_CASE("DeliveryQueue: ordered deliveries wait for the one being retried") {
  DeliveryQueue q(3, 3, true);
  CHECK(drive(q, {2, 0, 0}) == "1.1 1.2 1.3 2.1 3.1");
  CHECK(q.delivered(0));
  CHECK(q.delivered(2));
  SUBCASE("held_behind counts the later ones not sent") {
    DeliveryQueue h(3, 2, true);
    auto first = h.next(0);
    REQUIRE(first);
    h.record(*first, false, 0, 100);
    CHECK(h.held_behind(0) == 2);
    auto retry = h.next(1);
    REQUIRE(retry);
    CHECK(retry->delivery == 0);
    CHECK(retry->due_ms == 100);
  }
  SUBCASE("one that runs out of attempts holds the rest for ever") {
    DeliveryQueue g(3, 2, true);
    CHECK(drive(g, {5, 0, 0}) == "1.1 1.2");
    CHECK(g.gave_up(0));
    CHECK_FALSE(g.sent(1));
    CHECK_FALSE(g.sent(2));
  }
}

TEST_CASE("DeliveryQueue: unordered deliveries go on while one waits for its retry") {
  DeliveryQueue q(3, 2, false);
  CHECK(drive(q, {1, 1, 0}) == "1.1 2.1 3.1 1.2 2.2");
  SUBCASE("a retry that is due goes before a fresh delivery") {
    DeliveryQueue r(3, 2, false);
    auto a = r.next(0);
    r.record(*a, false, 0, 10);
    auto b = r.next(50);
    REQUIRE(b);
    CHECK(b->delivery == 0);
    CHECK(b->attempt == 2);
  }
}

TEST_CASE("burst reports count completed requests only") {
  BurstSummary dead;
  dead.url = "http://127.0.0.1:1/";
  dead.count = 100;
  dead.concurrency = 4;
  dead.wall_s = 0.002;
  dead.errors = {{"could not connect", 100}};
  const std::string text = burst_text(dead, nullptr, false);
  CHECK(text.find("0 of 100 requests to http://127.0.0.1:1/ completed (0.00 s at concurrency 4)") ==
        0);
  CHECK(text.find("latency  none: no request completed\n") != std::string::npos);
  const auto j = burst_json(dead);
  CHECK(j["completed"] == 0);
  CHECK(j["failed"] == 100);
  CHECK(j["requests_per_second"] == 0.0);
  CHECK(j["latency_ms"]["p50"].is_null());
  CHECK(j["latency_ms"]["max"].is_null());
  CHECK(burst_exit_code(dead, nullptr) == 3);

  BurstSummary half = dead;
  half.answered = 50;
  half.wall_s = 1;
  half.errors = {{"could not connect", 50}};
  half.statuses = {{201, 50}};
  half.latencies_ms.assign(50, 2.0);
  CHECK(
      burst_text(half, nullptr, false)
          .find("50 of 100 requests to http://127.0.0.1:1/ completed in 1.00 s: 50 completed/s") ==
      0);
  CHECK(burst_json(half)["latency_ms"]["p50"] == 2.0);
  half.errors.clear();
  half.count = 50;
  Delivery only200;
  only200.success = {200};
  CHECK(burst_exit_code(half, nullptr) == 0);
  CHECK(burst_exit_code(half, &only200) == 1);
}
