// Reading a request's header line (see http.hpp).
#include "core/util/http.hpp"

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

} // namespace hooktool
