// Fuzzes the record format both ways. As a line: what capture_from_line accepts must survive a
// round trip through capture_to_line unchanged. As bytes: the input cut into a request's fields
// (method, path, query, version, headers, body: any bytes, UTF-8 or not) is written as a record,
// by capture_to_line and capture_to_json alike, which must be the same valid UTF-8 line, and read
// back as the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/show/capture.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

namespace {

bool same(const hooktool::CapturedRequest& a, const hooktool::CapturedRequest& b) {
  bool equal = a.method == b.method && a.path == b.path && a.query == b.query &&
               a.http_version == b.http_version && a.body == b.body && a.remote == b.remote &&
               a.received_ms == b.received_ms && a.tls == b.tls &&
               a.headers.size() == b.headers.size();
  for (std::size_t i = 0; equal && i < a.headers.size(); ++i)
    equal = a.headers[i].name == b.headers[i].name && a.headers[i].value == b.headers[i].value;
  return equal;
}

// The next field: a length byte, then that many bytes (fewer at the end of the input).
std::string take(std::string_view& in) {
  if (in.empty()) return {};
  const std::size_t n =
      std::min<std::size_t>(static_cast<unsigned char>(in.front()), in.size() - 1);
  std::string out(in.substr(1, n));
  in.remove_prefix(1 + n);
  return out;
}

void round_trip_bytes(std::string_view in) {
  hooktool::CapturedRequest r;
  r.received_ms = 1795610000123;
  r.remote = "127.0.0.1:54321";
  r.tls = !in.empty() && (in.front() & 1);
  r.method = take(in);
  r.path = take(in);
  r.query = take(in);
  r.http_version = take(in);
  for (int n = 0; n < 8 && !in.empty(); ++n) {
    std::string name = take(in);
    r.headers.push_back({std::move(name), take(in)});
  }
  r.body = std::string(in);
  const std::string line = hooktool::capture_to_line(r);
  if (!hooktool::is_utf8(line) || line.find('\n') != line.size() - 1) std::abort();
  if (hooktool::capture_to_json(r).dump() + "\n" != line) std::abort();
  if (!same(hooktool::capture_from_line(line, "bytes"), r)) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  round_trip_bytes(input);
  hooktool::CapturedRequest request;
  try {
    request = hooktool::capture_from_line(input, "record:1");
  } catch (const hooktool::Error&) {
    return 0;
  }
  auto again = hooktool::capture_from_line(hooktool::capture_to_line(request), "round trip");
  if (!same(again, request)) std::abort();
  return 0;
}
