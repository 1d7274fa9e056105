// Which headers belong to one connection only (the header lines of a request head, as the
// listener keeps them: test_http_parse.cpp).
#include <doctest/doctest.h>

#include "core/util/http.hpp"

using namespace hooktool;

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
