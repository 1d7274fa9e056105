// The wall clock (see clock.hpp).
#include "core/util/clock.hpp"

#include <chrono>
#include <cstdlib>
#include <string>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

std::optional<std::int64_t> pinned_ms(std::string_view value) {
  if (value.empty()) return std::nullopt;
  const auto seconds = parse_int(value);
  if (const auto ms = seconds ? checked_mul(*seconds, 1000) : std::nullopt) return *ms;
  throw Error("HOOKTOOL_NOW must be unix seconds, got '" + std::string(value) + "' (environment)");
}

std::int64_t now_ms() {
  const char* pinned = std::getenv("HOOKTOOL_NOW");
  if (const auto ms = pinned_ms(pinned ? pinned : "")) return *ms;
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_s() {
  const std::int64_t ms = now_ms();
  return ms / 1000 - (ms % 1000 < 0 ? 1 : 0); // floor, also before 1970
}

} // namespace hooktool
