// The request head and chunked body as RFC 9112 frames them (core/util/http_parse).
#include <doctest/doctest.h>

#include <string>

#include "core/util/http_parse.hpp"

using namespace hooktool;

namespace {

HeadResult parse(const std::string& text, RequestHead& head, HeadLimits limits = {}) {
  return parse_request_head(text, limits, head);
}

// The status a head is refused with, 0 when it is complete, -1 when incomplete.
int refusal(const std::string& text, HeadLimits limits = {}) {
  RequestHead head;
  const HeadResult r = parse(text, head, limits);
  if (r.state == ParseState::Complete) return 0;
  if (r.state == ParseState::Incomplete) return -1;
  return r.status;
}

} // namespace

TEST_CASE("http_parse: a head is read with its fields as sent and its framing") {
  RequestHead head;
  const std::string text =
      "POST /hook?a=1 HTTP/1.1\r\nHost: x\r\nX-Zeta:  v 1 \r\ncontent-length: 5\r\n\r\nhello";
  const HeadResult r = parse(text, head);
  REQUIRE(r.state == ParseState::Complete);
  CHECK(r.size == text.size() - 5);
  CHECK(head.method == "POST");
  CHECK(head.target == "/hook?a=1");
  CHECK(head.version == "HTTP/1.1");
  REQUIRE(head.headers.size() == 3);
  CHECK(head.headers[1].name == "X-Zeta");
  CHECK(head.headers[1].value == "v 1");
  CHECK(head.framing == BodyFraming::Length);
  CHECK(head.content_length == 5);
  CHECK(head.keep_alive);
  CHECK_FALSE(head.expect_continue);
}

TEST_CASE("http_parse: a field keeps its name's case and its value as sent") {
  RequestHead head;
  REQUIRE(parse("GET / HTTP/1.1\r\nHost: x\r\nX-Zeta: 1\r\ncontent-type:application/json\r\n"
                "X-Encoded: a%20b \t\r\nX-Colon: a:b: c\r\nX-Empty:\r\n\r\n",
                head)
              .state == ParseState::Complete);
  REQUIRE(head.headers.size() == 6);
  CHECK(head.headers[1].name == "X-Zeta");
  CHECK(head.headers[1].value == "1");
  CHECK(head.headers[2].name == "content-type");
  CHECK(head.headers[2].value == "application/json");
  CHECK(head.headers[3].value == "a%20b"); // not percent-decoded
  CHECK(head.headers[4].value == "a:b: c");
  CHECK(head.headers[5].name == "X-Empty");
  CHECK(head.headers[5].value.empty());
}

TEST_CASE("http_parse: incomplete until the empty line; CRLFs before the request line skipped") {
  RequestHead head;
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n", head).state == ParseState::Incomplete);
  CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n\r", head).state == ParseState::Incomplete);
  CHECK(parse("", head).state == ParseState::Incomplete);
  const HeadResult r = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", head);
  REQUIRE(r.state == ParseState::Complete);
  CHECK(r.size == 4 + 27);
  CHECK(head.framing == BodyFraming::None);
}

TEST_CASE("http_parse: what smuggles a request is refused, never skipped") {
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 40\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length\t: 40\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\nContent-Length: 4\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  // A bare LF is refused as soon as its line is there, before the head ends.
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: "
                "chunked\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n") ==
        400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  CHECK(refusal("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\n\r\n") == 400);                       // no Host
  CHECK(refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400); // two
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\n: no name\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\nX(A): 1\r\n\r\n") == 400);
}

TEST_CASE("http_parse: the request line") {
  CHECK(refusal("GET  / HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("GET / extra HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("GET /\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/2.0\r\nHost: x\r\n\r\n") == 505);
  CHECK(refusal("GET / HTTP/1.2\r\nHost: x\r\n\r\n") == 505);
  CHECK(refusal("GET / http/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("G{T / HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.0\r\n\r\n") == 0); // HTTP/1.0 needs no Host
}

TEST_CASE("http_parse: bytes that are not UTF-8 are kept as they arrived") {
  RequestHead head;
  const std::string text =
      "GET /caf\xe9?q=\xff HTTP/1.1\r\nHost: x\r\nX-Name: \xc3\x28 \x80\r\n\r\n";
  REQUIRE(parse(text, head).state == ParseState::Complete);
  CHECK(head.target == "/caf\xe9?q=\xff");
  CHECK(head.headers[1].value == "\xc3\x28 \x80");
}

TEST_CASE("http_parse: limits: 414 for a long target, 431 for a large head") {
  HeadLimits limits;
  limits.max_target = 100;
  limits.max_head = 1000;
  limits.max_fields = 5;
  const std::string target(101, 'a');
  CHECK(refusal("GET /" + target + " HTTP/1.1\r\nHost: x\r\n\r\n", limits) == 414);
  // Refused before the line ends: the sender need not be read to the end.
  CHECK(refusal("GET /" + target + target, limits) == 414);
  CHECK(refusal("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(2000, 'a'), limits) == 431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5; ++i)
    many += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(refusal(many + "\r\n", limits) == 431);
  // Many small lines count in total, not each on its own.
  std::string total = "GET / HTTP/1.1\r\nHost: x\r\n";
  limits.max_fields = 1000;
  while (total.size() < 1100)
    total += "X-A: 12345678\r\n";
  CHECK(refusal(total + "\r\n", limits) == 431);
}

TEST_CASE("http_parse: connection persistence and Expect") {
  RequestHead head;
  REQUIRE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n", head).state ==
          ParseState::Complete);
  CHECK_FALSE(head.keep_alive);
  REQUIRE(parse("GET / HTTP/1.0\r\n\r\n", head).state == ParseState::Complete);
  CHECK_FALSE(head.keep_alive);
  REQUIRE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", head).state ==
          ParseState::Complete);
  CHECK(head.keep_alive);
  REQUIRE(
      parse("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n", head)
          .state == ParseState::Complete);
  CHECK(head.expect_continue);
  REQUIRE(
      parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", head)
          .state == ParseState::Complete);
  CHECK(head.content_length == UINT64_MAX);
}

TEST_CASE("http_parse: a chunked body, whole or a byte at a time") {
  const std::string wire =
      "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\nNEXT";
  {
    ChunkedDecoder d;
    std::string body;
    const auto step = d.feed(wire, body, 1000);
    REQUIRE(step.state == ParseState::Complete);
    CHECK(body == "helloabcdefghijklmnopqrstuvwxyz");
    CHECK(wire.substr(step.consumed) == "NEXT");
  }
  {
    ChunkedDecoder d;
    std::string body;
    std::size_t used = 0;
    ParseState state = ParseState::Incomplete;
    for (std::size_t i = 0; i < wire.size() && state == ParseState::Incomplete; ++i) {
      const auto step = d.feed(std::string_view(wire).substr(i, 1), body, 1000);
      state = step.state;
      used += step.consumed;
    }
    CHECK(state == ParseState::Complete);
    CHECK(body == "helloabcdefghijklmnopqrstuvwxyz");
    CHECK(used == wire.size() - 4);
  }
}

TEST_CASE("http_parse: a chunked body that is wrong is refused") {
  auto state = [](const std::string& wire, std::size_t max = 1000) {
    ChunkedDecoder d;
    std::string body;
    return d.feed(wire, body, max).state;
  };
  CHECK(state("zz\r\nabc\r\n0\r\n\r\n") == ParseState::Refused);
  CHECK(state("5\r\nabc\r\n0\r\n\r\n") == ParseState::Refused); // shorter than its size
  CHECK(state("3\nabc\r\n0\r\n\r\n") == ParseState::Refused);   // bare LF
  CHECK(state("ffffffffffffffffffffff\r\nabc\r\n") == ParseState::Refused);
  CHECK(state("3 x\r\nabc\r\n0\r\n\r\n") == ParseState::Refused);
  CHECK(state("5\r\nab") == ParseState::Incomplete);
  ChunkedDecoder d;
  std::string body;
  CHECK(d.feed("10\r\n0123456789abcdef\r\n0\r\n\r\n", body, 8).state == ParseState::Refused);
  CHECK(d.too_large());
  CHECK(body.empty()); // refused before a byte of it was kept
}
