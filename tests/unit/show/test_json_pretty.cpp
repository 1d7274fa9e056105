// JSON pretty-printed from its bytes (pretty_json_bytes) and through the parser
// (pretty_json_parsed).
#include <doctest/doctest.h>

#include "core/show/render.hpp"

using namespace hooktool;

TEST_CASE("pretty_json_bytes writes what the parser's pretty-printer writes, in one pass") {
  const char* texts[] = {
      R"({"a":1,"b":[true,false,null],"c":{"d":"e","f":[]},"g":{},"h":-12.5})",
      R"([1, 2 ,3,[[]],{"k":[{"x":"caf\u00e9"}]}])",
      " \r\n\t[ \"caf\xc3\xa9 \xe2\x80\x93 ok\" , 0, -1, 1.25, 9007199254740993 ] \n",
      R"("just a string")",
      "42",
      R"({"":""})",
  };
  for (const char* text : texts) {
    const std::string t(text);
    if (t.find('\\') != std::string::npos) { // escapes: the parser's job
      CHECK_FALSE(pretty_json_bytes(t, false));
      continue;
    }
    CAPTURE(t);
    for (bool color : {false, true}) {
      const auto fast = pretty_json_bytes(t, color);
      REQUIRE(fast);
      CHECK(*fast == pretty_json(nlohmann::ordered_json::parse(t), color));
      CHECK(*fast == pretty_json_parsed(t, color));
    }
  }
  // Numbers keep their spelling, as the parser's events give it for floats and big integers.
  CHECK(*pretty_json_bytes("[1E-400,-12.50,18446744073709551616]", false) ==
        "[\n  1E-400,\n  -12.50,\n  18446744073709551616\n]");
  CHECK(pretty_json_parsed("[1E-400,-12.50,18446744073709551616]", false) ==
        pretty_json_bytes("[1E-400,-12.50,18446744073709551616]", false));
  // Repeated keys are shown as they came, both ways.
  CHECK(pretty_json_bytes(R"({"a":1,"a":2})", false) ==
        pretty_json_parsed(R"({"a":1,"a":2})", false));
}

TEST_CASE("pretty_json_bytes leaves to the parser what it does not write the same way") {
  const char* texts[] = {
      R"({"a":"line\nbreak"})",
      "-0",
      "[-0]",
      "1e400",
      "[-1e999]",
      "{\"a\":1,}",
      "[1,]",
      "[01]",
      "{\"a\" 1}",
      "{a:1}",
      "[1 2]",
      "[\"open]",
      "\"tab\there\"",
      "[1.]",
      "[.5]",
      "[-]",
      "[1e]",
      "[tru]",
      "[nulll]",
      "{} x",
      "",
      "  ",
      "\xEF\xBB\xBF{}",
      "[\"\xff\"]",
      "// c\n{}",
      "{\"a\":1}}",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    CHECK_FALSE(pretty_json_bytes(text, false));
  }
  // Each of these is still rendered: by the parser when it is JSON, as text when it is not.
  CHECK(render_body(R"({"a":"line\nbreak"})", "application/json", false) ==
        "{\n  \"a\": \"line\\nbreak\"\n}\n");
  CHECK(render_body("[-0]", "application/json", false) == "[\n  0\n]\n");
  CHECK(render_body("[1,]", "application/json", false) == "[1,]\n");
}
