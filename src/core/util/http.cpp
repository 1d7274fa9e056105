// Reading a request's header line, hop-by-hop headers (see http.hpp).
#include "core/util/http.hpp"

#include "core/util/bytes.hpp"

namespace hooktool {

std::optional<Header> parse_request_header_line(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view value = line.substr(colon + 1);
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!value.empty() && space(value.front()))
    value.remove_prefix(1);
  while (!value.empty() && space(value.back()))
    value.remove_suffix(1);
  return Header{std::string(line.substr(0, colon)), std::string(value)};
}

bool is_hop_by_hop(std::string_view name) {
  for (const char* h : {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
                        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect"})
    if (iequals(name, h)) return true;
  return false;
}

} // namespace hooktool
