// Fuzzes the vendor-file loader (parse_vendor) and, for a file it accepts, make_sample on each of
// its events (seeded, so a crash reproduces).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/util/error.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hooktool::VendorProfile vendor;
  try {
    vendor = hooktool::parse_vendor(text, "fuzz.json");
  } catch (const hooktool::Error&) {
    return 0;
  }
  hooktool::Random random(42);
  for (const auto& event : vendor.events) {
    for (const auto& format : vendor.formats) {
      hooktool::SampleOptions options;
      options.event = event.name;
      options.format = format.first;
      options.batch = vendor.batch ? 2 : 1;
      options.now_ms = 1795610000123;
      try {
        hooktool::make_sample(vendor, options, random);
      } catch (const hooktool::Error&) {
      }
    }
  }
  return 0;
}
