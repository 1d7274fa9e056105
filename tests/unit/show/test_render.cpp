// Rendering captured requests: body kinds, the form tree, hex dumps, events, and the three outputs.
#include <doctest/doctest.h>

#include "core/show/render.hpp"
#include "core/show/style.hpp"

using namespace hooktool;

TEST_CASE("classify_body tells JSON, forms, text and binary apart") {
  CHECK(classify_body("", "application/json") == BodyKind::Empty);
  CHECK(classify_body("{\"a\":1}", "application/json") == BodyKind::Json);
  CHECK(classify_body("[1,2]", "text/plain") == BodyKind::Json); // looks like JSON and is
  CHECK(classify_body("{\"a\":1}", "application/vnd.api+json; charset=utf-8") == BodyKind::Json);
  CHECK(classify_body("{not json", "application/json") == BodyKind::Text);
  CHECK(classify_body("a=1&b=2", "application/x-www-form-urlencoded; charset=UTF-8") ==
        BodyKind::Form);
  CHECK(classify_body("hello\n", "") == BodyKind::Text);
  CHECK(classify_body(std::string("\x00\x01", 2), "text/plain") == BodyKind::Binary);
  CHECK(classify_body("\xff\xfe", "") == BodyKind::Binary);
  SUBCASE("JSON nested too deep to render safely is text") {
    CHECK(classify_body(std::string(300, '[') + std::string(300, ']'), "application/json") ==
          BodyKind::Text);
    CHECK(classify_body("{\"a\":\"[[[[[[\"}", "application/json") == BodyKind::Json);
  }
}

TEST_CASE("form_tree nests bracket keys") {
  SUBCASE("Wootric's nested response") {
    auto tree = form_tree("response[end_user_properties][pricing_plan]=Enterprise&response[score]="
                          "9&event_name=created");
    CHECK(
        tree.dump() ==
        "{\"response\":{\"end_user_properties\":{\"pricing_plan\":\"Enterprise\"},\"score\":\"9\"},"
        "\"event_name\":\"created\"}");
  }
  SUBCASE("[] appends to an array; [][x] fills objects") {
    CHECK(form_tree("a[]=1&a[]=2").dump() == "{\"a\":[\"1\",\"2\"]}");
    CHECK(form_tree("a[][x]=1&a[][y]=2&a[][x]=3").dump() ==
          "{\"a\":[{\"x\":\"1\",\"y\":\"2\"},{\"x\":\"3\"}]}");
  }
  SUBCASE("percent-decoding, flat keys, a later value wins") {
    CHECK(form_tree("a%5Bb%5D=x+y&c=1&c=2").dump() == "{\"a\":{\"b\":\"x y\"},\"c\":\"2\"}");
    // Rack's own reading (ruby -e 'puts
    // Rack::Utils.parse_nested_query("odd]key[=1&[x]=2").to_json')
    CHECK(form_tree("odd]key[=1&[x]=2").dump() == "{\"odd\":{\"key[\":\"1\"},\"x\":\"2\"}");
    // What Rack refuses is still shown.
    CHECK(form_tree("x=%zz&a=1").dump() == "{\"x\":\"%zz\",\"a\":\"1\"}");
    std::string deep = "a";
    for (int i = 0; i < 1000; ++i)
      deep += "[b]";
    CHECK(form_tree(deep + "=1").begin().key() == deep); // too deep to nest: one flat key
  }
}

TEST_CASE("render_body renders each kind for reading") {
  CHECK(render_body("{\"a\":[1,true]}", "application/json", false) ==
        "{\n  \"a\": [\n    1,\n    true\n  ]\n}\n");
  CHECK(render_body("a[b]=1", "application/x-www-form-urlencoded", false) ==
        "{\n  \"a\": {\n    \"b\": \"1\"\n  }\n}\n");
  CHECK(render_body("plain text", "text/plain", false) == "plain text\n");
  CHECK(render_body("", "text/plain", false).empty());
  SUBCASE("JSON numbers keep their digits; the layout is dump(2)'s") {
    CHECK(render_body("{\"a\":1.50,\"b\":12345678901234567890123,\"c\":-1e5}", "application/json",
                      false) ==
          "{\n  \"a\": 1.50,\n  \"b\": 12345678901234567890123,\n  \"c\": -1e5\n}\n");
    const std::string doc =
        R"({"a":[],"b":{},"c":[{"d":[1,2,{"e":null}]},"x\ty\u0001\"\\é"],"f":false,"g":[[]]})";
    CHECK(render_body(doc, "application/json", false) ==
          nlohmann::ordered_json::parse(doc).dump(2) + "\n");
  }
  SUBCASE("colour paints keys and values, and changes nothing else") {
    const std::string painted =
        render_body("{\"k\":\"v\",\"n\":1,\"e\":{}}", "application/json", true);
    CHECK(painted.find("\033[34m\"k\"\033[0m: \033[32m\"v\"\033[0m") != std::string::npos);
    CHECK(painted.find("\033[36m1\033[0m") != std::string::npos);
    CHECK(painted.find("\"e\"\033[0m: {}") != std::string::npos);
    CHECK(render_body("a[b]=1", "application/x-www-form-urlencoded", true) ==
          "{\n  \033[34m\"a\"\033[0m: {\n    \033[34m\"b\"\033[0m: \033[32m\"1\"\033[0m\n  }\n}\n");
  }
}

// Found by fuzz/fuzz_render: a form key that is not UTF-8 ("%ff") made the coloured tree throw
// nlohmann's type_error 316, which ended `listen` on a worker thread.
TEST_CASE("render_body shows a form key that is not UTF-8, with and without colour") {
  for (bool color : {false, true}) {
    CAPTURE(color);
    std::string out;
    CHECK_NOTHROW(out = render_body("%ff=1&a=%fe", "application/x-www-form-urlencoded", color));
    CHECK(out.find("\ufffd") != std::string::npos);
  }
}

TEST_CASE("hex_dump is short") {
  CHECK(hex_dump(std::string("\x00\x41", 2)) ==
        "00000000  00 41                                             |.A|\n");
  const std::string big(300, 'x');
  const std::string dump = hex_dump(big, 32);
  CHECK(dump.find("00000010 ") != std::string::npos);
  CHECK(dump.find("00000020 ") == std::string::npos);
  CHECK(dump.find("… 268 bytes more") != std::string::npos);
}

TEST_CASE("describe_event reads headers, then the body") {
  CapturedRequest r;
  r.method = "POST";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"event_name\":\"created\",\"type\":\"x\"}";
  CHECK(describe_event(r) == "created");
  r.body = "[{\"activityStatus\":\"DELIVERED\"}]";
  CHECK(describe_event(r) == "DELIVERED");
  r.headers.push_back({"X-GitHub-Event", "push"});
  CHECK(describe_event(r) == "push");
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "event_name=declined&response[score]=1";
  CHECK(describe_event(r) == "declined");
  r.body = "nothing=here";
  CHECK(describe_event(r).empty());
}

TEST_CASE("a request renders as text, one line, or JSON") {
  CapturedRequest r;
  r.received_ms = 1795610000123;
  r.remote = "127.0.0.1:5000";
  r.method = "POST";
  r.path = "/hook";
  r.query = "x=1";
  r.http_version = "HTTP/1.1";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"a\":1}";
  RequestOutcome outcome;
  outcome.seq = 7;
  outcome.status = 200;
  outcome.scheme = "github";
  outcome.verdict =
      VerifyResult{false, "signature does not match", {{"unexplained", "no common mistake"}}};
  outcome.event = "push";

  const std::string text = render_request_text(r, outcome, false);
  CHECK(text.find("── #7  ") == 0);
  CHECK(text.find("POST /hook?x=1 HTTP/1.1\nContent-Type: application/json\n── 7 bytes, JSON\n{\n  "
                  "\"a\": 1\n}\n") != std::string::npos);
  CHECK(text.find(
            "verdict: invalid: signature does not match (github)\n  hint: no common mistake\n") !=
        std::string::npos);
  CHECK(text.find("event: push\nanswered 200\n") != std::string::npos);

  const std::string line = render_request_compact(r, outcome, false);
  CHECK(line.find(" 127.0.0.1:5000 POST /hook?x=1 7 bytes -> 200 invalid push\n") !=
        std::string::npos);

  outcome.forward = ForwardOutcome{"http://127.0.0.1:3000/hook?x=1", 201, 1.5, "", "", ""};
  const auto json = render_request_json(r, outcome);
  CHECK(json["seq"] == 7);
  CHECK(json["body"] == "{\"a\":1}");
  CHECK(json["verdict"]["valid"] == false);
  CHECK(json["verdict"]["findings"][0]["code"] == "unexplained");
  CHECK(json["forward"]["status"] == 201);
  CHECK(render_request_text(r, outcome, false)
            .find("forwarded to http://127.0.0.1:3000/hook?x=1: 201 in 1.5 ms") !=
        std::string::npos);
}

// A sender chooses the request line, the headers and the body: what it puts there must reach the
// terminal as text, never as a command (ESC]0;... retitles the window, ESC[2J clears it, CR
// overwrites the line). The JSON output keeps every byte as received.
TEST_CASE("text output shows a request's control characters as escapes") {
  const std::string attack = "\x1b]0;pwned\x07\x1b[2J\r";
  const std::string shown = "\\x1b]0;pwned\\x07\\x1b[2J\\x0d";
  CapturedRequest r;
  r.remote = "127.0.0.1:5000";
  r.method = "POST";
  r.path = "/hook";
  r.http_version = "HTTP/1.1";
  r.headers = {{"X-Title", attack}};
  RequestOutcome outcome;
  outcome.seq = 1;
  outcome.status = 200;
  auto no_raw_controls = [](const std::string& out) {
    for (unsigned char c : out)
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    return true;
  };
  SUBCASE("a header value") {
    const std::string text = render_request_text(r, outcome, false);
    CHECK(text.find("X-Title: " + shown + "\n") != std::string::npos);
    CHECK(no_raw_controls(text));
  }
  SUBCASE("a header name, the target, DEL, C1 controls and bytes that are not UTF-8") {
    r.headers = {{"X-\x1b[31mName", "a\x7f"
                                    "b\xc2\x9b"
                                    "2Jc\xff\tend"}};
    r.path = "/a\x1b[2J";
    r.query = "q=\r";
    const std::string text = render_request_text(r, outcome, false);
    CHECK(text.find("POST /a\\x1b[2J?q=\\x0d HTTP/1.1\n") != std::string::npos);
    CHECK(text.find("X-\\x1b[31mName: a\\x7fb\\xc2\\x9b2Jc\\xff\tend\n") != std::string::npos);
    CHECK(no_raw_controls(text));
    const std::string line = render_request_compact(r, outcome, false);
    CHECK(line.find(" POST /a\\x1b[2J?q=\\x0d 0 bytes") != std::string::npos);
    CHECK(no_raw_controls(line));
  }
  SUBCASE("the event a header names, and a verdict quoting the request") {
    outcome.event = "push" + attack;
    outcome.scheme = "standard";
    outcome.verdict = VerifyResult{false, "timestamp '" + attack + "' is not a unix time", {}};
    const std::string text = render_request_text(r, outcome, false);
    CHECK(text.find("event: push" + shown + "\n") != std::string::npos);
    CHECK(text.find("invalid: timestamp '" + shown + "' is not a unix time") != std::string::npos);
    CHECK(no_raw_controls(text));
    CHECK(no_raw_controls(render_request_compact(r, outcome, false)));
  }
  SUBCASE("with colour, the only escapes are hooktool's own SGR codes") {
    const std::string text = render_request_text(r, outcome, true);
    CHECK(text.find("X-Title\033[0m: " + shown + "\n") != std::string::npos);
    for (size_t at = text.find('\x1b'); at != std::string::npos; at = text.find('\x1b', at + 1)) {
      const size_t end = text.find_first_not_of("0123456789;", at + 2);
      CHECK(text.compare(at, 2, "\x1b[") == 0);
      CHECK((end != std::string::npos && text[end] == 'm'));
    }
  }
  SUBCASE("the JSON output keeps the bytes as received") {
    const auto json = render_request_json(r, outcome);
    CHECK(json["headers"][0][1] == attack);
    CHECK(capture_to_line(r).find("\\u001b]0;pwned\\u0007\\u001b[2J\\r") != std::string::npos);
  }
}

TEST_CASE("render_body shows a text body's control characters as escapes, keeping its lines") {
  SUBCASE("LF and CR LF stay line breaks, TAB stays; a lone CR, FF and DEL do not") {
    CHECK(render_body("a\r\nb\n\tc\rd\fe\x7f", "text/plain", false) ==
          "a\r\nb\n\tc\\x0dd\\x0ce\\x7f\n");
    CHECK(render_body("ends in CR\r", "text/plain", false) == "ends in CR\\x0d\n");
  }
  SUBCASE("C1 controls, which some terminals obey, are escaped; other UTF-8 is kept") {
    CHECK(render_body("\xc2\x9b"
                      "2J é ✓",
                      "text/plain", false) == "\\xc2\\x9b2J é ✓\n");
  }
  SUBCASE("a body with ESC is binary: the hex dump shows it as a dot") {
    const std::string out = render_body("hi\x1b[2J", "text/plain", false);
    CHECK(out.rfind("00000000 ", 0) == 0);
    CHECK(out.find('\x1b') == std::string::npos);
  }
  SUBCASE("JSON and form bodies show DEL and C1 as JSON escapes, with and without colour") {
    for (bool color : {false, true}) {
      CAPTURE(color);
      const std::string json = render_body("{\"a\":\"x\x7fy\xc2\x9b\"}", "application/json", color);
      CHECK(json.find("x\\u007fy\\u009b") != std::string::npos);
      const std::string form =
          render_body("a=x%7Fy%C2%9B", "application/x-www-form-urlencoded", color);
      CHECK(form.find("x\\u007fy\\u009b") != std::string::npos);
    }
  }
}

TEST_CASE("a request the listener could not check says why, in every output") {
  CapturedRequest r;
  r.method = "POST";
  r.path = "/hook";
  r.http_version = "HTTP/1.1";
  RequestOutcome outcome;
  outcome.seq = 1;
  outcome.status = 200;
  outcome.scheme = "github";
  outcome.unchecked = "no key";
  outcome.event = "push";
  CHECK(render_request_text(r, outcome, false)
            .find("verdict: not checked: no key (github)\nevent: push\n") != std::string::npos);
  CHECK(render_request_compact(r, outcome, false).find("-> 200 not checked push\n") !=
        std::string::npos);
  const auto json = render_request_json(r, outcome);
  CHECK(json["verdict"]["checked"] == false);
  CHECK(json["verdict"]["reason"] == "no key");
  CHECK(json["verdict"]["scheme"] == "github");
}

TEST_CASE("a long text body is cut after a screenful, on a line or character boundary") {
  std::string lines;
  for (int i = 1; i <= 100; ++i)
    lines += "line " + std::to_string(i) + "\n";
  SUBCASE("after 24 lines, saying how much is left") {
    const std::string out = render_body(lines, "text/html", false, kScreenful);
    const std::size_t kept = lines.find("line 25\n");
    CHECK(out == lines.substr(0, kept) + "… " + std::to_string(lines.size() - kept) +
                     " bytes more (--full)\n");
  }
  SUBCASE("one long line: after the bytes of a screenful") {
    const std::string line(3'000'001, 'x');
    const std::string out = render_body(line, "text/plain", false, kScreenful);
    CHECK(out == std::string(kScreenful.bytes, 'x') + "\n… " +
                     std::to_string(line.size() - kScreenful.bytes) + " bytes more (--full)\n");
  }
  SUBCASE("never inside a UTF-8 character or a CR LF") {
    std::string accents;
    for (int i = 0; i < 1000; ++i)
      accents += "\xc3\xa9"; // é
    const std::string out = render_body("x" + accents, "text/plain", false, TextCut{0, 4});
    CHECK(out == "x\xc3\xa9\n… 1998 bytes more (--full)\n");
    CHECK(render_body("ab\r\ncd", "text/plain", false, TextCut{0, 3}) ==
          "ab\n… 4 bytes more (--full)\n");
  }
  SUBCASE("whole when it fits, when there is no limit, and for JSON and forms") {
    CHECK(render_body("short\n", "text/plain", false, kScreenful) == "short\n");
    CHECK(render_body(lines, "text/plain", false) == lines);
    const std::string json = "[" + std::string(5000, '1') + "]";
    CHECK(render_body(json, "application/json", false, TextCut{1, 10}).find("more") ==
          std::string::npos);
    CHECK(render_body("a=" + std::string(5000, 'b'), "application/x-www-form-urlencoded", false,
                      TextCut{1, 10})
              .find("more (--full)") == std::string::npos);
  }
  SUBCASE("in the listener's text rendering, the request's body and the app's answer") {
    CapturedRequest r;
    r.method = "POST";
    r.path = "/hook";
    r.http_version = "HTTP/1.1";
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = lines;
    RequestOutcome outcome;
    outcome.seq = 1;
    outcome.status = 502;
    outcome.forward = ForwardOutcome{"http://127.0.0.1:3000/", 500, 1, "", "text/html", lines};
    const std::string text = render_request_text(r, outcome, false, kScreenful);
    const std::string more = std::to_string(lines.size() - lines.find("line 25\n"));
    const std::string cut = "line 24\n… " + more + " bytes more (--full)\n";
    CHECK(text.find(cut) != std::string::npos);
    CHECK(text.find(cut, text.find(cut) + 1) != std::string::npos);
    CHECK(text.find("line 25") == std::string::npos);
    CHECK(render_request_text(r, outcome, false).find("line 100\n") != std::string::npos);
  }
}

TEST_CASE("verdict_json: the one JSON form of a verdict, verify --json's and listen's") {
  VerifyResult valid;
  valid.valid = true;
  CHECK(verdict_json(valid, "github").dump() ==
        R"({"valid":true,"scheme":"github","findings":[]})");
  VerifyResult invalid;
  invalid.reason = "signature does not match";
  invalid.findings.push_back({"trailing-newline-added", "drop the newline"});
  CHECK(verdict_json(invalid, "github").dump() ==
        R"({"valid":false,"scheme":"github","reason":"signature does not match",)"
        R"("findings":[{"code":"trailing-newline-added","message":"drop the newline"}]})");
  SUBCASE("listen --json puts the same object under \"verdict\"") {
    CapturedRequest r;
    r.method = "POST";
    r.path = "/";
    RequestOutcome outcome;
    outcome.verdict = invalid;
    outcome.scheme = "github";
    CHECK(render_request_json(r, outcome)["verdict"] == verdict_json(invalid, "github"));
  }
}

TEST_CASE("Style paints with SGR codes only when told to colour") {
  const Style plain{false}, color{true};
  CHECK(plain.good("valid") == "valid");
  CHECK(plain.status("404", false) == "404");
  CHECK(color.good("valid") == "\033[1;32mvalid\033[0m");
  CHECK(color.bad("invalid") == "\033[1;31minvalid\033[0m");
  CHECK(color.warn("hint") == "\033[33mhint\033[0m");
  CHECK(color.dim("──") == "\033[2m──\033[0m");
  CHECK(color.bold("verdict") == "\033[1mverdict\033[0m");
  CHECK(color.name("Host") == "\033[36mHost\033[0m");
  CHECK(color.status("200", true) == "\033[32m200\033[0m");
  CHECK(color.status("500", false) == "\033[31m500\033[0m");
  CHECK(color.paint("x", "4") == "\033[4mx\033[0m");
}
