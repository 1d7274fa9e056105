// Rendering captured requests: body kinds, the form tree, hex dumps, events, and the three outputs.
#include <doctest/doctest.h>

#include "core/render.hpp"

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
    // Rack's own reading (ruby -e 'puts Rack::Utils.parse_nested_query("odd]key[=1&[x]=2").to_json')
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
