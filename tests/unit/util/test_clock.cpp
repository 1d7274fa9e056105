// The one clock: HOOKTOOL_NOW pins it (unix seconds), else the system clock.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/util/clock.hpp"
#include "core/util/error.hpp"

using namespace hooktool;

namespace {

// Sets HOOKTOOL_NOW for one test and puts back what it was.
class PinnedNow {
public:
  explicit PinnedNow(const char* value) {
    if (const char* old = std::getenv("HOOKTOOL_NOW")) m_old = old;
    if (value)
      ::setenv("HOOKTOOL_NOW", value, 1);
    else
      ::unsetenv("HOOKTOOL_NOW");
  }
  ~PinnedNow() {
    if (m_old)
      ::setenv("HOOKTOOL_NOW", m_old->c_str(), 1);
    else
      ::unsetenv("HOOKTOOL_NOW");
  }
  PinnedNow(const PinnedNow&) = delete;
  PinnedNow& operator=(const PinnedNow&) = delete;

private:
  std::optional<std::string> m_old;
};

std::int64_t system_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string error_of(const char* value) {
  try {
    pinned_ms(value);
  } catch (const Error& e) {
    CHECK(e.code() == kExitUsage);
    return e.what();
  }
  return "<no error>";
}

} // namespace

TEST_CASE("now_ms is HOOKTOOL_NOW in milliseconds when it is set") {
  PinnedNow pin("1000");
  CHECK(now_ms() == 1'000'000);
  CHECK(now_s() == 1000);
}

TEST_CASE("now_ms is the system clock when HOOKTOOL_NOW is unset or empty") {
  SUBCASE("unset") {
    PinnedNow pin(nullptr);
    const std::int64_t before = system_ms();
    const std::int64_t now = now_ms();
    CHECK(now >= before);
    CHECK(now <= system_ms());
    CHECK(now_s() * 1000 <= system_ms());
  }
  SUBCASE("empty") {
    PinnedNow pin("");
    const std::int64_t before = system_ms();
    CHECK(now_ms() >= before);
  }
}

TEST_CASE("now_s rounds down, also before 1970") {
  SUBCASE("negative seconds are kept") {
    PinnedNow pin("-5");
    CHECK(now_ms() == -5000);
    CHECK(now_s() == -5);
  }
  SUBCASE("zero") {
    PinnedNow pin("0");
    CHECK(now_s() == 0);
  }
}

TEST_CASE("pinned_ms: unix seconds, or nullopt for an empty value") {
  CHECK(pinned_ms("1795610000") == std::optional<std::int64_t>(1'795'610'000'000));
  CHECK(pinned_ms("") == std::nullopt);
}

TEST_CASE("a HOOKTOOL_NOW that is not unix seconds is an Error with the house message") {
  CHECK(error_of("tomorrow") == "HOOKTOOL_NOW must be unix seconds, got 'tomorrow' (environment)");
  CHECK(error_of("1.5") == "HOOKTOOL_NOW must be unix seconds, got '1.5' (environment)");
  // Seconds whose milliseconds do not fit in 64 bits.
  CHECK(error_of("9223372036854775807") ==
        "HOOKTOOL_NOW must be unix seconds, got '9223372036854775807' (environment)");
  PinnedNow pin("soon");
  CHECK_THROWS_WITH_AS(now_ms(), "HOOKTOOL_NOW must be unix seconds, got 'soon' (environment)",
                       Error);
}
