// Randomness and the identifiers made from it: message ids and UUIDs, reproducible when seeded.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/util/random.hpp"

using namespace hooktool;

namespace {

bool all_in(const std::string& text, std::string_view alphabet) {
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return alphabet.find(c) != std::string_view::npos; });
}

} // namespace

TEST_CASE("Random with a seed repeats its sequence; another seed gives another") {
  Random a(7), b(7), c(8);
  const auto first = a.next();
  CHECK(first == b.next());
  CHECK(first != c.next());
  Random d(7);
  CHECK(d.below(0) == 0);
  for (int i = 0; i < 1000; ++i)
    CHECK(d.below(62) < 62);
}

TEST_CASE("message_id is msg_ and 27 alphanumerics, as Standard Webhooks senders write it") {
  Random random(1);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = message_id(random);
    REQUIRE(id.size() == 31);
    CHECK(id.substr(0, 4) == "msg_");
    CHECK(all_in(id.substr(4), kAlphanumerics));
    seen.insert(id);
  }
  CHECK(seen.size() == 200);
  SUBCASE("the same seed gives the same ids") {
    Random x(42), y(42);
    CHECK(message_id(x) == message_id(y));
  }
  SUBCASE("unseeded generators differ") {
    Random x(std::nullopt), y(std::nullopt);
    CHECK(message_id(x) != message_id(y));
  }
}

TEST_CASE("uuid_v4 is a version 4, RFC 4122 variant UUID in lower-case hex") {
  Random random(3);
  for (int i = 0; i < 100; ++i) {
    const std::string u = uuid_v4(random);
    REQUIRE(u.size() == 36);
    CHECK(u[8] == '-');
    CHECK(u[13] == '-');
    CHECK(u[18] == '-');
    CHECK(u[23] == '-');
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    std::string hex = u;
    hex.erase(std::remove(hex.begin(), hex.end(), '-'), hex.end());
    CHECK(hex.size() == 32);
    CHECK(all_in(hex, kLowerHex));
  }
  Random x(5), y(5);
  CHECK(uuid_v4(x) == uuid_v4(y));
}

TEST_CASE("random_text draws from the alphabet it is given") {
  Random random(9);
  CHECK(random_text(random, "ab", 0).empty());
  const std::string digits = random_text(random, kAlphanumerics.substr(0, 10), 500);
  CHECK(digits.size() == 500);
  CHECK(all_in(digits, "0123456789"));
  const std::string hex = random_text(random, kLowerHex, 500);
  CHECK(all_in(hex, kLowerHex));
  CHECK(hex.find_first_of("abcdef") != std::string::npos); // not only digits
}
