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
  for (unsigned char c : text) CHECK_FALSE(((c < 0x20 && c != '\n') || c == 0x7f));
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
