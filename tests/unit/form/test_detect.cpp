// Unit tests for core/form/detect: what a body is, from its bytes.
#include <doctest/doctest.h>

#include "core/form/detect.hpp"

using namespace hooktool;

TEST_CASE("looks_like_json: an object, an array or a string, after white space") {
  CHECK(looks_like_json("{\"a\":1}"));
  CHECK(looks_like_json(" \r\n\t[1]"));
  CHECK(looks_like_json("\"text\""));
  CHECK_FALSE(looks_like_json("a=1"));
  CHECK_FALSE(looks_like_json("42")); // a bare number is read as a form by convert
  CHECK_FALSE(looks_like_json(""));
  CHECK_FALSE(looks_like_json("   "));
}

TEST_CASE("looks_like_form: NAME=VALUE pairs as senders write them, not base64") {
  CHECK(looks_like_form("a=1&b=2"));
  CHECK(looks_like_form("response[score]=9&response[text]="));
  CHECK(looks_like_form("a=1\n"));          // a final newline aside
  CHECK(looks_like_form("a=&b="));          // two names, empty values
  CHECK_FALSE(looks_like_form("c2VuZA==")); // base64 padding is no value
  CHECK_FALSE(looks_like_form("abc="));     // one name, no value: base64 more likely
  CHECK_FALSE(looks_like_form("=1&b=2"));   // a pair without a name
  CHECK_FALSE(looks_like_form("a=1 2"));    // a space is not written raw in a form
  CHECK_FALSE(looks_like_form("plain text"));
  CHECK_FALSE(looks_like_form("no-equals-sign"));
  CHECK_FALSE(looks_like_form(""));
  CHECK_FALSE(looks_like_form("a=\x01"));
}
