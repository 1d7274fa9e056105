// The record format keeps the bytes as they arrived: a method, path, query, HTTP version, header
// name or value that is not UTF-8 is written escaped, with its exact bytes beside it, and read
// back as those bytes.
#include <doctest/doctest.h>

#include <random>

#include "core/show/capture.hpp"
#include "core/show/render.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

using namespace hooktool;

namespace {

CapturedRequest with_bad_bytes() {
  CapturedRequest r;
  r.received_ms = 1795610000123;
  r.remote = "127.0.0.1:54321";
  r.method = "POST";
  r.path = "/caf\xe9/\xff";
  r.query = "q=\xfe&ok=\xc3\xa9";
  r.http_version = "HTTP/1.1";
  r.headers = {{"Host", "x"}, {"X-Bin", "ab\xff\xe9t\xe9"}, {"X-\xc0", "v"}, {"X-Ok", "\xc3\xa9"}};
  r.body = "body";
  return r;
}

void check_same(const CapturedRequest& a, const CapturedRequest& b) {
  CHECK(a.method == b.method);
  CHECK(a.path == b.path);
  CHECK(a.query == b.query);
  CHECK(a.http_version == b.http_version);
  CHECK(a.body == b.body);
  CHECK(a.remote == b.remote);
  CHECK(a.received_ms == b.received_ms);
  CHECK(a.tls == b.tls);
  REQUIRE(a.headers.size() == b.headers.size());
  for (size_t i = 0; i < a.headers.size(); ++i) {
    CHECK(a.headers[i].name == b.headers[i].name);
    CHECK(a.headers[i].value == b.headers[i].value);
  }
}

// Bytes of every kind: mostly ASCII, with controls, valid UTF-8 of each length, and bytes that
// are not UTF-8 (lone continuations, overlongs, surrogates, cut-off sequences, 0xF5-0xFF).
std::string random_bytes(std::mt19937& gen, size_t max) {
  static const char* pieces[] = {"a",
                                 "/",
                                 "%",
                                 "\\",
                                 "\"",
                                 "\x7f",
                                 "\x01",
                                 "\r",
                                 "\n",
                                 "\t",
                                 " ",
                                 "\xc3\xa9",
                                 "\xe2\x82\xac",
                                 "\xf0\x9f\x98\x80",
                                 "\x80",
                                 "\xc0\xaf",
                                 "\xed\xa0\x80",
                                 "\xe2\x82",
                                 "\xff",
                                 "\xfe",
                                 "\xf5",
                                 "\\x",
                                 "\xc2\x85"};
  std::uniform_int_distribution<size_t> length(0, max);
  std::uniform_int_distribution<size_t> piece(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out;
  for (size_t n = length(gen); n > 0; --n) {
    if (n % 3 == 0)
      out += static_cast<char>(byte(gen)); // any byte at all, NUL included
    else
      out += pieces[piece(gen)];
  }
  return out;
}

} // namespace

TEST_CASE("escape_invalid_utf8 writes each byte that is not UTF-8 as \\xNN, and nothing else") {
  CHECK(escape_invalid_utf8("plain \x01 \xc3\xa9") == "plain \x01 \xc3\xa9");
  CHECK(escape_invalid_utf8("/caf\xe9") == "/caf\\xe9");
  CHECK(escape_invalid_utf8("\xc0\xaf\xed\xa0\x80\xe2\x82") ==
        "\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82");
  CHECK(is_utf8(escape_invalid_utf8(std::string("\x00\xff\xfe", 3))));
}

TEST_CASE("a record of bytes that are not UTF-8: escaped text, the exact bytes beside it") {
  const CapturedRequest r = with_bad_bytes();
  const std::string line = capture_to_line(r);
  CHECK(line ==
        "{\"received\":\"2026-11-25T12:33:20.123Z\",\"remote\":\"127.0.0.1:54321\","
        "\"method\":\"POST\",\"path\":\"/caf\\\\xe9/\\\\xff\",\"path_bytes\":\"L2NhZukv/w==\","
        "\"query\":\"q=\\\\xfe&ok=\xc3\xa9\",\"query_bytes\":\"cT3+Jm9rPcOp\","
        "\"http_version\":\"HTTP/1.1\",\"headers\":[[\"Host\",\"x\"],"
        "[\"X-Bin\",\"ab\\\\xff\\\\xe9t\\\\xe9\"],[\"X-\\\\xc0\",\"v\"],"
        "[\"X-Ok\",\"\xc3\xa9\"]],"
        "\"headers_bytes\":[[1,\"WC1CaW4=\",\"YWL/6XTp\"],[2,\"WC3A\",\"dg==\"]],"
        "\"body\":\"body\",\"body_base64\":false}\n");
  SUBCASE("the JSON tree (listen --json) is the same record, valid UTF-8 without repair") {
    CHECK(capture_to_json(r).dump() + "\n" == line);
  }
  SUBCASE("read back: the bytes as they arrived") {
    check_same(capture_from_line(line, "test"), r);
  }
  SUBCASE("no U+FFFD anywhere") { CHECK(line.find("\xef\xbf\xbd") == std::string::npos); }
}

TEST_CASE("records round-trip over arbitrary bytes, in every field a sender chooses") {
  std::mt19937 gen(12);
  for (int round = 0; round < 400; ++round) {
    CapturedRequest r;
    r.received_ms = 1795610000000 + round;
    r.remote = "[::1]:8080";
    r.method = random_bytes(gen, 6);
    r.path = random_bytes(gen, 24);
    r.query = random_bytes(gen, 12);
    r.http_version = random_bytes(gen, 4);
    r.tls = round % 2 == 0;
    for (int n = round % 5; n > 0; --n)
      r.headers.push_back({random_bytes(gen, 8), random_bytes(gen, 16)});
    r.body = random_bytes(gen, 40);
    const std::string line = capture_to_line(r);
    CAPTURE(line);
    REQUIRE(is_utf8(line));
    CHECK(line == capture_to_json(r).dump() + "\n");
    check_same(capture_from_line(line, "test"), r);
  }
}

TEST_CASE("records written before the bytes companions still read, as their text") {
  const auto r = capture_from_line(
      "{\"method\":\"GET\",\"path\":\"/caf\xef\xbf\xbd\",\"query\":\"\","
      "\"headers\":[[\"X-A\",\"\xef\xbf\xbd\"]],\"body\":\"\",\"body_base64\":false}",
      "old:1");
  CHECK(r.path == "/caf\xef\xbf\xbd");
  CHECK(r.headers.at(0).value == "\xef\xbf\xbd");
}

TEST_CASE("a bytes companion that does not match its text is refused, naming both") {
  CHECK_THROWS_WITH_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/edited\",\"path_bytes\":\"L2NhZek=\"}",
                        "f:1"),
      "the record's \"path_bytes\" are not the bytes of its \"path\" (edited by hand? change "
      "both, or drop the bytes) (f:1)",
      Error);
  CHECK_THROWS_WITH_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"path_bytes\":\"!!\"}", "f:2"),
      "the record's \"path_bytes\" is not base64 (f:2)", Error);
  CHECK_THROWS_WITH_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"method_bytes\":7}", "f:3"),
      "the record's \"method_bytes\" is not a base64 string (f:3)", Error);
  CHECK_THROWS_WITH_AS(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"headers\":[[\"a\","
                                         "\"b\"]],\"headers_bytes\":[[1,\"YQ==\",\"Yg==\"]]}",
                                         "f:4"),
                       "the record's \"headers_bytes\" names header 1, but \"headers\" has 1 (f:4)",
                       Error);
  CHECK_THROWS_WITH_AS(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"headers\":[[\"a\","
                                         "\"b\"]],\"headers_bytes\":[[0,\"YQ==\",\"Yw==\"]]}",
                                         "f:5"),
                       "the record's \"headers_bytes\" for header 0 are not the bytes of its value "
                       "(edited by hand? change both, or drop the bytes) (f:5)",
                       Error);
  CHECK_THROWS_AS(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"headers\":[[\"a\","
                                    "\"b\"]],\"headers_bytes\":[[-1,\"YQ==\",\"Yg==\"]]}",
                                    "f:6"),
                  Error);
  // Bytes that are UTF-8 after all are their own escaped text: accepted.
  CHECK(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/a\",\"path_bytes\":\"L2E=\"}", "f").path ==
      "/a");
}

TEST_CASE("a request that is not UTF-8 is shown escaped: text, compact and JSON") {
  const CapturedRequest r = with_bad_bytes();
  RequestOutcome outcome;
  outcome.seq = 1;
  outcome.status = 200;
  const std::string text = render_request_text(r, outcome, false);
  CHECK(text.find("POST /caf\\xe9/\\xff?q=\\xfe&ok=\xc3\xa9 HTTP/1.1\n") != std::string::npos);
  CHECK(text.find("X-Bin: ab\\xff\\xe9t\\xe9\n") != std::string::npos);
  CHECK(text.find("X-\\xc0: v\n") != std::string::npos);
  CHECK(render_request_compact(r, outcome, false).find(" POST /caf\\xe9/\\xff?q=\\xfe") !=
        std::string::npos);
  // The JSON (listen --json) needs no repair: a strict dump does not throw, and has no U+FFFD.
  const std::string json = render_request_json(r, outcome).dump();
  CHECK(json.find("\"path\":\"/caf\\\\xe9/\\\\xff\",\"path_bytes\":") != std::string::npos);
  for (const std::string& shown : {text, json})
    CHECK(shown.find("\xef\xbf\xbd") == std::string::npos);
  check_same(capture_from_json(nlohmann::json::parse(json), "json"), r);
}

TEST_CASE("capture: a target ending in a bare '?' keeps it through the record") {
  CapturedRequest r;
  r.method = "POST";
  r.path = "/hook";
  r.empty_query = true;
  CHECK(r.target() == "/hook?");
  const std::string line = capture_to_line(r);
  CHECK(line.find("\"query\":\"\",\"empty_query\":true") != std::string::npos);
  CHECK(capture_to_json(r).dump() == nlohmann::ordered_json::parse(line).dump());
  const CapturedRequest back = capture_from_json(nlohmann::json::parse(line), "line 1");
  CHECK(back.empty_query);
  CHECK(back.target() == "/hook?");
  r.empty_query = false;
  CHECK(r.target() == "/hook");
  CHECK(capture_to_line(r).find("empty_query") == std::string::npos);
}
