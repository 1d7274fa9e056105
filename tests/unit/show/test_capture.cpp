// The record format: a captured request to one JSON line and back.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "core/show/capture.hpp"
#include "core/util/error.hpp"

using namespace hooktool;

namespace {
CapturedRequest sample() {
  CapturedRequest r;
  r.received_ms = 1795610000123;
  r.remote = "127.0.0.1:54321";
  r.method = "POST";
  r.path = "/hook";
  r.query = "a=1&b=%20";
  r.http_version = "HTTP/1.1";
  r.headers = {{"Content-Type", "application/json"}, {"X-Sig", "sha256=ab"}, {"X-Sig", "second"}};
  r.body = "{\"é\":\"\\n\"}";
  return r;
}
} // namespace

TEST_CASE("capture_to_line writes one line with every field, in order") {
  const std::string line = capture_to_line(sample());
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line == "{\"received\":\"2026-11-25T12:33:20.123Z\",\"remote\":\"127.0.0.1:54321\","
                "\"method\":\"POST\","
                "\"path\":\"/hook\",\"query\":\"a=1&b=%20\",\"http_version\":\"HTTP/"
                "1.1\",\"headers\":[[\"Content-Type\","
                "\"application/"
                "json\"],[\"X-Sig\",\"sha256=ab\"],[\"X-Sig\",\"second\"]],\"body\":\"{\\\"é\\\":"
                "\\\"\\\\n\\\"}\","
                "\"body_base64\":false}\n");
}

TEST_CASE("capture_to_line writes what nlohmann::json would, escapes and bad bytes included") {
  auto r = sample();
  r.headers.push_back({"X-Odd", std::string("a\x01\tb\"\\\x7f\xff\xc3\xa9\xe2\x82", 11)});
  r.path = "/p\u00e9\n";
  for (const std::string& body :
       {std::string("text \x1f\r\n"), std::string("\xff\x00", 2), std::string()}) {
    r.body = body;
    CHECK(
        capture_to_line(r) ==
        capture_to_json(r).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
            "\n");
  }
}

TEST_CASE("append_json_string quotes and escapes") {
  std::string out;
  append_json_string(out, "a\"b\\c\n\x01é");
  CHECK(out == "\"a\\\"b\\\\c\\n\\u0001é\"");
}

TEST_CASE("capture_from_line reads back what capture_to_line wrote") {
  SUBCASE("a UTF-8 body stays text") {
    const auto back = capture_from_line(capture_to_line(sample()), "test");
    CHECK(back.received_ms == 1795610000123);
    CHECK(back.remote == "127.0.0.1:54321");
    CHECK(back.target() == "/hook?a=1&b=%20");
    REQUIRE(back.headers.size() == 3);
    CHECK(back.headers[2].value == "second");
    CHECK(back.body == sample().body);
  }
  SUBCASE("a binary body goes as base64, flagged") {
    auto r = sample();
    r.body = std::string("\x00\xff\xfe\x80 ok", 6);
    const std::string line = capture_to_line(r);
    CHECK(line.find("\"body_base64\":true") != std::string::npos);
    CHECK(capture_from_line(line, "test").body == r.body);
  }
  SUBCASE("an empty body and no query") {
    auto r = sample();
    r.body.clear();
    r.query.clear();
    const auto back = capture_from_line(capture_to_line(r), "test");
    CHECK(back.body.empty());
    CHECK(back.target() == "/hook");
  }
}

TEST_CASE("capture_from_line names what is wrong") {
  CHECK_THROWS_WITH_AS(capture_from_line("not json", "f:1"), "not a JSON record (f:1)", Error);
  CHECK_THROWS_WITH_AS(capture_from_line("{\"path\":\"/\"}", "f:2"),
                       "the record has no \"method\" field (f:2)", Error);
  CHECK_THROWS_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"headers\":[[\"a\"]]}", "f"), Error);
  CHECK_THROWS_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"body\":\"!!\",\"body_base64\":true}",
                        "f"),
      Error);
  CHECK_THROWS_AS(
      capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"received\":\"yesterday\"}", "f"),
      Error);
  // Fields it does not know (listen --json adds seq, status, verdict) are ignored.
  CHECK(capture_from_line("{\"method\":\"GET\",\"path\":\"/x\",\"seq\":3}", "f").path == "/x");
}

TEST_CASE("is_utf8 refuses what JSON text cannot carry") {
  CHECK(is_utf8("plain"));
  CHECK(is_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  CHECK_FALSE(is_utf8("\xff"));
  CHECK_FALSE(is_utf8("\xc0\xaf"));         // overlong
  CHECK_FALSE(is_utf8("\xed\xa0\x80"));     // surrogate
  CHECK_FALSE(is_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(is_utf8("\xe2\x82"));         // cut short
}

TEST_CASE("format_utc_ms and parse_utc_ms") {
  CHECK(format_utc_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(parse_utc_ms("2026-11-25T12:33:20.123Z") == 1795610000123);
  CHECK(parse_utc_ms("2026-11-25T12:33:20Z") == 1795610000000);
  CHECK(parse_utc_ms("2026-11-25T12:33:20.5Z") == 1795610000500);
  CHECK_FALSE(parse_utc_ms("2026-11-25 10:33:20"));
  CHECK_FALSE(parse_utc_ms("2026-13-25T10:33:20Z"));
}

TEST_CASE("header lookup is case-insensitive and takes the first") {
  const auto r = sample();
  REQUIRE(r.header("x-sig"));
  CHECK(*r.header("x-sig") == "sha256=ab");
  CHECK(r.header("Missing") == nullptr);
}

TEST_CASE("read_record_file: the requests of a record file, in order, blank lines skipped") {
  const std::string path = "test_capture_records.jsonl";
  {
    std::ofstream out(path, std::ios::trunc);
    auto a = sample();
    auto b = sample();
    b.path = "/second";
    out << capture_to_line(a) << "\n" << capture_to_line(b);
  }
  const RecordFile file = read_record_file(path, false, "--request");
  REQUIRE(file.requests.size() == 2);
  CHECK(file.requests[0].path == "/hook");
  CHECK(file.requests[1].path == "/second");
  CHECK(file.warnings.empty());
  CHECK_THROWS_WITH_AS(read_record_file("no-such-file.jsonl", false, "replay"),
                       "cannot read record file no-such-file.jsonl (replay)", Error);
  std::remove(path.c_str());
}

TEST_CASE(
    "read_record_file: a torn last line or a foreign line is skipped, or refused with strict") {
  const std::string path = "test_capture_torn.jsonl";
  const std::string whole = capture_to_line(sample());
  {
    std::ofstream out(path, std::ios::trunc);
    out << whole << "not a record\n" << whole << whole.substr(0, whole.size() / 2); // a crash
  }
  const RecordFile file = read_record_file(path, false, "replay");
  CHECK(file.requests.size() == 2); // the lines around the bad one, in order
  REQUIRE(file.warnings.size() == 2);
  CHECK(file.warnings[0] ==
        "skipped a line that is not a record: not a JSON record (test_capture_torn.jsonl:2)");
  CHECK(file.warnings[1] == "skipped the last line, cut off: not a JSON record "
                            "(test_capture_torn.jsonl:4; a crash while it was written?)");
  CHECK_THROWS_WITH_AS(read_record_file(path, true, "replay"),
                       "not a JSON record (test_capture_torn.jsonl:2, replay --strict)", Error);
  {
    std::ofstream out(path, std::ios::trunc);
    out << whole << whole.substr(0, 10);
  }
  CHECK_THROWS_WITH_AS(
      read_record_file(path, true, "--request"),
      "the last line is cut off: not a JSON record (test_capture_torn.jsonl:2, --request --strict)",
      Error);
  {
    std::ofstream out(path, std::ios::trunc);
    out << whole.substr(0, 10);
  }
  CHECK_THROWS_WITH_AS(read_record_file(path, false, "replay"),
                       "record file test_capture_torn.jsonl holds no request: skipped the last "
                       "line, cut off: not a JSON record (test_capture_torn.jsonl:1; a crash "
                       "while it was written?)",
                       Error);
  std::remove(path.c_str());
}

TEST_CASE("a record says tls only when the request came over TLS") {
  auto r = sample();
  SUBCASE("plain HTTP: no field, as in records written before it") {
    const std::string line = capture_to_line(r);
    CHECK(line.find("\"tls\"") == std::string::npos);
    CHECK_FALSE(capture_from_line(line, "test").tls);
  }
  SUBCASE("TLS: \"tls\":true after http_version, read back") {
    r.tls = true;
    const std::string line = capture_to_line(r);
    CHECK(line.find("\"http_version\":\"HTTP/1.1\",\"tls\":true,\"headers\":") !=
          std::string::npos);
    CHECK(line == capture_to_json(r).dump() + "\n");
    CHECK(capture_from_line(line, "test").tls);
  }
  SUBCASE("false and null read as plain HTTP; anything else is refused") {
    CHECK_FALSE(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"tls\":false}", "f").tls);
    CHECK_FALSE(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"tls\":null}", "f").tls);
    CHECK_THROWS_WITH_AS(capture_from_line("{\"method\":\"GET\",\"path\":\"/\",\"tls\":1}", "f:3"),
                         "the record's \"tls\" is not true or false (f:3)", Error);
  }
}

TEST_CASE("signed_url is the URL the sender called: its scheme, Host and target as sent") {
  auto r = sample();
  r.headers.push_back({"host", "example.test:8443"});
  CHECK(signed_url(r) == "http://example.test:8443/hook?a=1&b=%20");
  r.tls = true;
  CHECK(signed_url(r) == "https://example.test:8443/hook?a=1&b=%20");
  r.query.clear();
  CHECK(signed_url(r) == "https://example.test:8443/hook");
  SUBCASE("a record read back gives the same URL") {
    CHECK(signed_url(capture_from_line(capture_to_line(r), "test")) == signed_url(r));
  }
  SUBCASE("no Host header, no URL") {
    r.headers.pop_back();
    CHECK(signed_url(r).empty());
  }
}
