// Unit tests for core/form: percent-decoding, form pairs and query parameters.
#include <doctest/doctest.h>

#include <string>

#include "core/util/url.hpp"

using namespace hooktool;

TEST_CASE("url_decode turns + into space and decodes %XX") {
  SUBCASE("plus and percent escapes") {
    CHECK(url_decode("a+b%20c") == std::string("a b c"));
    CHECK(url_decode("%2B14158675310") == std::string("+14158675310"));
    CHECK(url_decode("%2b") == std::string("+"));
    CHECK(url_decode("https%3A%2F%2Fhooks.slack.com%2Fcommands") ==
          std::string("https://hooks.slack.com/commands"));
  }
  SUBCASE("multi-byte UTF-8 and NUL") {
    CHECK(url_decode("%E2%9C%93") == std::string("\xE2\x9C\x93"));
    CHECK(url_decode("a%00b") == std::string("a\0b", 3));
  }
  SUBCASE("text without escapes is unchanged") {
    CHECK(url_decode("") == std::string());
    CHECK(url_decode("plain-text_1.2~") == std::string("plain-text_1.2~"));
  }
  SUBCASE("an escape at the very end") { CHECK(url_decode("x%41") == std::string("xA")); }
}

TEST_CASE("url_decode rejects malformed escapes") {
  CHECK_FALSE(url_decode("%"));
  CHECK_FALSE(url_decode("%4"));
  CHECK_FALSE(url_decode("abc%"));
  CHECK_FALSE(url_decode("abc%4"));
  CHECK_FALSE(url_decode("%zz"));
  CHECK_FALSE(url_decode("%4g"));
  CHECK_FALSE(url_decode("%+1"));
  CHECK_FALSE(url_decode("%%41"));
}

TEST_CASE("parse_form_pairs splits on & and the first =") {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  SUBCASE("simple pairs in order") {
    CHECK(parse_form_pairs("b=2&a=1") == Pairs{{"b", "2"}, {"a", "1"}});
  }
  SUBCASE("empty body") { CHECK(parse_form_pairs("").empty()); }
  SUBCASE("empty parts are skipped") { CHECK(parse_form_pairs("&&a=1&&") == Pairs{{"a", "1"}}); }
  SUBCASE("a name without = has an empty value") {
    CHECK(parse_form_pairs("flag&a=1") == Pairs{{"flag", ""}, {"a", "1"}});
    CHECK(parse_form_pairs("text=") == Pairs{{"text", ""}});
  }
  SUBCASE("only the first = splits") { CHECK(parse_form_pairs("a=1=2") == Pairs{{"a", "1=2"}}); }
  SUBCASE("an empty name") { CHECK(parse_form_pairs("=v") == Pairs{{"", "v"}}); }
  SUBCASE("names and values are decoded") {
    CHECK(parse_form_pairs("my+name=a%20b%2Bc&Caller=%2B14158675310") ==
          Pairs{{"my name", "a b+c"}, {"Caller", "+14158675310"}});
  }
  SUBCASE("a malformed escape is kept as written") {
    CHECK(parse_form_pairs("x=%ZZ&y%=1") == Pairs{{"x", "%ZZ"}, {"y%", "1"}});
  }
  SUBCASE("repeated names are all kept") {
    CHECK(parse_form_pairs("a=1&a=2") == Pairs{{"a", "1"}, {"a", "2"}});
  }
}

TEST_CASE("query_param finds a decoded query parameter") {
  const std::string url = "https://example.com/myapp.php?foo=1&bar=2";
  SUBCASE("present") {
    CHECK(query_param(url, "foo") == std::string("1"));
    CHECK(query_param(url, "bar") == std::string("2"));
  }
  SUBCASE("absent") {
    CHECK_FALSE(query_param(url, "baz"));
    CHECK_FALSE(query_param(url, "fo"));
    CHECK_FALSE(query_param("https://example.com/path", "foo"));
    CHECK_FALSE(query_param("https://example.com/path?", "foo"));
  }
  SUBCASE("value is decoded") {
    CHECK(query_param("https://x.test/?q=a+b%26c", "q") == std::string("a b&c"));
  }
  SUBCASE("a parameter without = is present and empty") {
    CHECK(query_param("https://x.test/?flag&a=1", "flag") == std::string());
  }
  SUBCASE("the fragment is not part of the query") {
    CHECK(query_param("https://x.test/?a=1#b=2", "a") == std::string("1"));
    CHECK_FALSE(query_param("https://x.test/?a=1#b=2", "b"));
  }
  SUBCASE("the first of repeated parameters wins") {
    CHECK(query_param("https://x.test/?a=1&a=2", "a") == std::string("1"));
  }
  SUBCASE("Twilio bodySHA256") {
    CHECK(query_param("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                      "bodySHA256") ==
          std::string("0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"));
  }
}
