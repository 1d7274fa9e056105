// Fuzzes the record-line reader (capture_from_line); a line it accepts must survive a round trip
// through capture_to_line unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/show/capture.hpp"
#include "core/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  hooktool::CapturedRequest request;
  try {
    request = hooktool::capture_from_line(line, "record:1");
  } catch (const hooktool::Error&) {
    return 0;
  }
  auto again = hooktool::capture_from_line(hooktool::capture_to_line(request), "round trip");
  bool same = again.method == request.method && again.path == request.path &&
              again.query == request.query && again.body == request.body &&
              again.headers.size() == request.headers.size() && again.remote == request.remote;
  for (std::size_t i = 0; same && i < request.headers.size(); ++i) {
    same = again.headers[i].name == request.headers[i].name &&
           again.headers[i].value == request.headers[i].value;
  }
  if (!same) std::abort();
  return 0;
}
