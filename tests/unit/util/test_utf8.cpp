// Unit tests for core/util/utf8: strict validation (no overlongs, surrogates or code points past
// U+10FFFF), encoding a code point, line and column of an offset, and the JSON string writer.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/util/utf8.hpp"

using namespace hooktool;

TEST_CASE("utf8_sequence gives the length of a valid sequence") {
  CHECK(utf8_sequence("a", 0) == 1);
  CHECK(utf8_sequence("\xC3\xA9", 0) == 2);         // é
  CHECK(utf8_sequence("\xE2\x82\xAC", 0) == 3);     // €
  CHECK(utf8_sequence("\xF0\x9F\x98\x80", 0) == 4); // 😀
  CHECK(utf8_sequence("x\xE2\x82\xAC", 1) == 3);    // from an offset
  CHECK(utf8_sequence("\xF4\x8F\xBF\xBF", 0) == 4); // U+10FFFF, the last code point
}

TEST_CASE("utf8_sequence refuses what strict UTF-8 does not allow") {
  SUBCASE("overlong forms") {
    CHECK(utf8_sequence("\xC0\x80", 0) == 0); // NUL in two bytes
    CHECK(utf8_sequence("\xC1\xBF", 0) == 0);
    CHECK(utf8_sequence("\xE0\x80\x80", 0) == 0);     // NUL in three
    CHECK(utf8_sequence("\xF0\x80\x80\x80", 0) == 0); // NUL in four
  }
  SUBCASE("surrogates") {
    CHECK(utf8_sequence("\xED\xA0\x80", 0) == 0); // U+D800
    CHECK(utf8_sequence("\xED\xBF\xBF", 0) == 0); // U+DFFF
    CHECK(utf8_sequence("\xED\x9F\xBF", 0) == 3); // U+D7FF, just below
  }
  SUBCASE("past U+10FFFF") {
    CHECK(utf8_sequence("\xF4\x90\x80\x80", 0) == 0);
    CHECK(utf8_sequence("\xF5\x80\x80\x80", 0) == 0);
    CHECK(utf8_sequence("\xFF", 0) == 0);
  }
  SUBCASE("cut short or out of place") {
    CHECK(utf8_sequence("\xC3", 0) == 0);
    CHECK(utf8_sequence("\xE2\x82", 0) == 0);
    CHECK(utf8_sequence("\xE2\x82x", 0) == 0);
    CHECK(utf8_sequence("\x80", 0) == 0); // a continuation byte alone
  }
}

TEST_CASE("find_invalid_utf8 and is_utf8") {
  CHECK(find_invalid_utf8("") == std::string_view::npos);
  CHECK(find_invalid_utf8("plain ascii, caf\xC3\xA9") == std::string_view::npos);
  CHECK(find_invalid_utf8("ab\xC3") == 2);
  CHECK(find_invalid_utf8("\xE2\x82\xAC\xED\xA0\x80") == 3);
  CHECK(is_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  CHECK_FALSE(is_utf8("caf\xE9")); // Latin-1
  CHECK_FALSE(is_utf8("\xC0\xAF"));
}

TEST_CASE("append_utf8 writes a code point, and utf8_sequence reads it back") {
  std::string out;
  append_utf8(out, U'A');
  append_utf8(out, 0xE9);
  append_utf8(out, 0x20AC);
  append_utf8(out, 0x1F600);
  append_utf8(out, 0x10FFFF);
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
  for (char32_t cp : {0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFFu, 0x10000u}) {
    std::string one;
    append_utf8(one, cp);
    INFO("U+" << std::hex << static_cast<unsigned>(cp));
    CHECK(utf8_sequence(one, 0) == one.size());
    CHECK(one.size() == (cp < 0x80 ? 1u : cp < 0x800 ? 2u : cp < 0x10000 ? 3u : 4u));
  }
}

TEST_CASE("line_column counts lines and characters, not bytes") {
  const std::string text = "ab\nc\xC3\xA9 d";
  CHECK(line_column(text, 0) == "line 1, column 1");
  CHECK(line_column(text, 2) == "line 1, column 3");
  CHECK(line_column(text, 3) == "line 2, column 1");
  CHECK(line_column(text, text.find('d')) == "line 2, column 4");   // é is one column
  CHECK(line_column(text, 1000) == line_column(text, text.size())); // past the end: the end
}

TEST_CASE("append_json_string writes what nlohmann::json writes") {
  for (const std::string& text :
       {std::string(""), std::string("plain"), std::string("quote \" backslash \\ slash /"),
        std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3), std::string("nul \0 in", 8),
        std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")}) {
    std::string out = "prefix:";
    append_json_string(out, text);
    CHECK(out == "prefix:" + nlohmann::json(text).dump());
  }
  SUBCASE("bytes that are not UTF-8 become U+FFFD") {
    std::string out;
    append_json_string(out, "a\xFF"
                            "b\xC3");
    CHECK(out == "\"a\xEF\xBF\xBD"
                 "b\xEF\xBF\xBD\"");
  }
}
