// Unit tests for core/util/bytes: hex, base64, trimming, splitting, durations and integers.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "core/util/bytes.hpp"

using namespace hooktool;

namespace {
// Every byte value once, so the codecs see the whole range.
std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i)
    s.push_back(static_cast<char>(i));
  return s;
}
} // namespace

TEST_CASE("hex encodes lowercase and round-trips every byte") {
  SUBCASE("known values") {
    CHECK(to_hex("") == "");
    CHECK(to_hex(std::string("\x00\xff\x10\xab", 4)) == "00ff10ab");
    CHECK(to_hex("abc") == "616263");
  }
  SUBCASE("round trip of all 256 byte values") {
    const std::string bytes = all_bytes();
    const std::string hex = to_hex(bytes);
    CHECK(hex.size() == 512);
    CHECK(is_lower_hex(hex));
    auto back = from_hex(hex);
    REQUIRE(back);
    CHECK(*back == bytes);
  }
  SUBCASE("decoding accepts upper and mixed case") {
    CHECK(from_hex("00FF10AB") == std::string("\x00\xff\x10\xab", 4));
    CHECK(from_hex("aBcD") == std::string("\xab\xcd"));
  }
  SUBCASE("empty input decodes to empty bytes") {
    auto empty = from_hex("");
    REQUIRE(empty);
    CHECK(empty->empty());
  }
}

TEST_CASE("hex decoding rejects malformed text") {
  SUBCASE("odd length") {
    CHECK_FALSE(from_hex("abc"));
    CHECK_FALSE(from_hex("0"));
  }
  SUBCASE("non-hex characters") {
    CHECK_FALSE(from_hex("zz"));
    CHECK_FALSE(from_hex("0g"));
    CHECK_FALSE(from_hex("12 4"));
    CHECK_FALSE(from_hex("0x12"));
    CHECK_FALSE(from_hex("ab=="));
  }
}

TEST_CASE("is_lower_hex accepts only lowercase hex digits") {
  CHECK(is_lower_hex("0123456789abcdef"));
  CHECK(is_lower_hex(""));
  CHECK_FALSE(is_lower_hex("ABCDEF"));
  CHECK_FALSE(is_lower_hex("abcg"));
  CHECK_FALSE(is_lower_hex("ab cd"));
}

TEST_CASE("base64 encodes the RFC 4648 vectors and round-trips") {
  // RFC 4648 section 10 vectors (also `printf '%s' foo | base64` on this machine).
  SUBCASE("RFC 4648 test vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
  }
  SUBCASE("high bytes use + and /") {
    // printf '\x00\xff\x10\xfb\xef' | base64  ->  AP8Q++8=
    CHECK(base64_encode(std::string("\x00\xff\x10\xfb\xef", 5)) == "AP8Q++8=");
    // printf '\xfb\xff' | base64  ->  +/8=
    CHECK(base64_encode("\xfb\xff") == "+/8=");
  }
  SUBCASE("decoding the RFC 4648 vectors") {
    CHECK(base64_decode("Zg==") == std::string("f"));
    CHECK(base64_decode("Zm8=") == std::string("fo"));
    CHECK(base64_decode("Zm9v") == std::string("foo"));
    CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
    CHECK(base64_decode("Zm9vYmE=") == std::string("fooba"));
    CHECK(base64_decode("Zm9vYmFy") == std::string("foobar"));
    auto empty = base64_decode("");
    REQUIRE(empty);
    CHECK(empty->empty());
  }
  SUBCASE("padding may be omitted") {
    CHECK(base64_decode("Zg") == std::string("f"));
    CHECK(base64_decode("Zm8") == std::string("fo"));
  }
  SUBCASE("URL-safe alphabet is accepted") {
    CHECK(base64_decode("-_8=") == std::string("\xfb\xff"));
    CHECK(base64_decode("AP8Q--8") == std::string("\x00\xff\x10\xfb\xef", 5));
  }
  SUBCASE("round trip of every length up to 256") {
    const std::string bytes = all_bytes();
    for (size_t n = 0; n <= bytes.size(); ++n) {
      const std::string part = bytes.substr(0, n);
      auto back = base64_decode(base64_encode(part));
      REQUIRE(back);
      CHECK(*back == part);
    }
  }
}

TEST_CASE("base64 decoding rejects malformed text") {
  SUBCASE("characters outside the alphabet") {
    CHECK_FALSE(base64_decode("Zm9v!"));
    CHECK_FALSE(base64_decode("Zm 9v"));
    CHECK_FALSE(base64_decode("Zm9v\n"));
    CHECK_FALSE(base64_decode("Zg==Zg==")); // padding in the middle
  }
  SUBCASE("a length no encoder produces") {
    CHECK_FALSE(base64_decode("Z"));
    CHECK_FALSE(base64_decode("Zm9vY"));
    CHECK_FALSE(base64_decode("Zm9vY==="));
  }
  SUBCASE("non-zero trailing bits") {
    // "Zg==" is 'f'; "Zh==" has the same first byte but leftover bits set.
    CHECK_FALSE(base64_decode("Zh=="));
    CHECK_FALSE(base64_decode("Zm9=")); // "Zm8=" is canonical
    CHECK_FALSE(base64_decode("+/9=")); // "+/8=" is canonical
  }
}

TEST_CASE("trim removes surrounding whitespace only") {
  CHECK(trim("  abc  ") == "abc");
  CHECK(trim("\t\r\n abc \f\v\n") == "abc");
  CHECK(trim("a b") == "a b");
  CHECK(trim(" a b ") == "a b");
  CHECK(trim("") == "");
  CHECK(trim(" \t\n ") == "");
  CHECK(trim("x") == "x");
}

TEST_CASE("split keeps empty fields") {
  SUBCASE("plain fields") {
    auto parts = split("a,b,c", ',');
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] == "a");
    CHECK(parts[1] == "b");
    CHECK(parts[2] == "c");
  }
  SUBCASE("empty fields at the ends and in the middle") {
    auto parts = split(",a,,b,", ',');
    REQUIRE(parts.size() == 5);
    CHECK(parts[0] == "");
    CHECK(parts[1] == "a");
    CHECK(parts[2] == "");
    CHECK(parts[3] == "b");
    CHECK(parts[4] == "");
  }
  SUBCASE("no separator gives the whole text") {
    auto parts = split("abc", ';');
    REQUIRE(parts.size() == 1);
    CHECK(parts[0] == "abc");
  }
  SUBCASE("empty text gives one empty field") {
    auto parts = split("", ',');
    REQUIRE(parts.size() == 1);
    CHECK(parts[0] == "");
  }
}

TEST_CASE("string helpers compare case and affixes") {
  CHECK(to_lower("AbC-XyZ 09") == "abc-xyz 09");
  CHECK(iequals("Stripe-Signature", "stripe-signature"));
  CHECK_FALSE(iequals("Stripe-Signature", "stripe-signatur"));
  CHECK_FALSE(iequals("abc", "abd"));
  CHECK(starts_with("sha256=abc", "sha256="));
  CHECK_FALSE(starts_with("sha1=abc", "sha256="));
  CHECK(starts_with("abc", ""));
  CHECK(ends_with("body\n", "\n"));
  CHECK_FALSE(ends_with("n", "\r\n"));
  CHECK(ends_with("abc", ""));
}

TEST_CASE("parse_duration_ms reads a number with an optional unit") {
  SUBCASE("bare number means seconds") { CHECK(parse_duration_ms("300") == 300'000); }
  SUBCASE("seconds") { CHECK(parse_duration_ms("300s") == 300'000); }
  SUBCASE("minutes") {
    CHECK(parse_duration_ms("5m") == 300'000);
    CHECK(parse_duration_ms("5min") == 300'000);
  }
  SUBCASE("hours") { CHECK(parse_duration_ms("1h") == 3'600'000); }
  SUBCASE("milliseconds") { CHECK(parse_duration_ms("1500ms") == 1500); }
  SUBCASE("zero") { CHECK(parse_duration_ms("0") == 0); }
  SUBCASE("surrounding whitespace is ignored") { CHECK(parse_duration_ms(" 2s ") == 2000); }
}

TEST_CASE("parse_duration_ms rejects unreadable durations") {
  CHECK_FALSE(parse_duration_ms("abc"));
  CHECK_FALSE(parse_duration_ms("5x"));
  CHECK_FALSE(parse_duration_ms(""));
  CHECK_FALSE(parse_duration_ms("s"));
  CHECK_FALSE(parse_duration_ms("-5s"));
  CHECK_FALSE(parse_duration_ms("5 s"));
  CHECK_FALSE(parse_duration_ms("1.5s"));
  CHECK_FALSE(parse_duration_ms("5sec"));
  SUBCASE("overflow is rejected, not wrapped") {
    CHECK_FALSE(parse_duration_ms("9223372036854775807h"));
    CHECK_FALSE(parse_duration_ms("99999999999999999999"));
  }
}

TEST_CASE("parse_size reads a byte count with an optional binary unit") {
  CHECK(parse_size("1048576") == 1048576u);
  CHECK(parse_size("0") == 0u);
  CHECK(parse_size("512b") == 512u);
  CHECK(parse_size("512k") == 512u * 1024);
  CHECK(parse_size("10MiB") == 10u * 1024 * 1024);
  CHECK(parse_size("10mb") == 10u * 1024 * 1024);
  CHECK(parse_size("2G") == std::size_t{2} * 1024 * 1024 * 1024);
  CHECK(parse_size("1024g") == std::size_t{1} << 40);
  SUBCASE("unreadable or too large") {
    CHECK_FALSE(parse_size(""));
    CHECK_FALSE(parse_size("MiB"));
    CHECK_FALSE(parse_size("-1"));
    CHECK_FALSE(parse_size("1.5M"));
    CHECK_FALSE(parse_size("10 MiB"));
    CHECK_FALSE(parse_size("10T"));
    CHECK_FALSE(parse_size("1025g"));
    CHECK_FALSE(parse_size("99999999999999999999"));
  }
}

TEST_CASE("parse_int accepts exactly one decimal int64") {
  SUBCASE("valid") {
    CHECK(parse_int("0") == 0);
    CHECK(parse_int("1700000000") == 1700000000);
    CHECK(parse_int("-42") == -42);
    CHECK(parse_int("9223372036854775807") == INT64_MAX);
    CHECK(parse_int("-9223372036854775808") == INT64_MIN);
  }
  SUBCASE("invalid") {
    CHECK_FALSE(parse_int(""));
    CHECK_FALSE(parse_int("abc"));
    CHECK_FALSE(parse_int("12a"));
    CHECK_FALSE(parse_int(" 12"));
    CHECK_FALSE(parse_int("12 "));
    CHECK_FALSE(parse_int("+12"));
    CHECK_FALSE(parse_int("1.5"));
    CHECK_FALSE(parse_int("0x10"));
    CHECK_FALSE(parse_int("9223372036854775808"));
    CHECK_FALSE(parse_int("-9223372036854775809"));
  }
}
