// Header lines of a request head, as the listener keeps them.
#include <doctest/doctest.h>

#include "core/util/http.hpp"

using namespace hooktool;

TEST_CASE("parse_request_header_line keeps the name's case and the value as sent") {
  auto h = parse_request_header_line("X-Zeta: 1");
  REQUIRE(h);
  CHECK(h->name == "X-Zeta");
  CHECK(h->value == "1");
  h = parse_request_header_line("content-type:application/json");
  REQUIRE(h);
  CHECK(h->name == "content-type");
  CHECK(h->value == "application/json");
  h = parse_request_header_line("X-Encoded: a%20b \t");
  REQUIRE(h);
  CHECK(h->value == "a%20b"); // not percent-decoded
  h = parse_request_header_line("X-Colon: a:b: c");
  REQUIRE(h);
  CHECK(h->value == "a:b: c");
}

TEST_CASE("parse_request_header_line: an empty value is kept, a line without a colon is not") {
  auto h = parse_request_header_line("X-Empty:");
  REQUIRE(h);
  CHECK(h->name == "X-Empty");
  CHECK(h->value.empty());
  CHECK_FALSE(parse_request_header_line("no colon here"));
  CHECK_FALSE(parse_request_header_line(""));
}

TEST_CASE("is_hop_by_hop: the RFC 9110 connection fields and those the client computes") {
  for (const char* name : {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
                           "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect"})
    CHECK_MESSAGE(is_hop_by_hop(name), name);
  SUBCASE("case-insensitively") {
    CHECK(is_hop_by_hop("connection"));
    CHECK(is_hop_by_hop("TRANSFER-ENCODING"));
    CHECK(is_hop_by_hop("content-length"));
  }
  SUBCASE("end-to-end headers are passed on") {
    for (const char* name : {"Content-Type", "Content-Encoding", "User-Agent", "Authorization",
                             "X-Signature", "Stripe-Signature", "Trailers", "Hosts", "TE2", ""})
      CHECK_FALSE_MESSAGE(is_hop_by_hop(name), name);
  }
}
