// application/x-www-form-urlencoded basics: percent-decoding and flat name/value pairs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hooktool {

// '+' becomes a space; nullopt on a malformed %-escape.
std::optional<std::string> url_decode(std::string_view text);
// Splits on '&', then on the first '='; a malformed escape is kept as written.
std::vector<std::pair<std::string, std::string>> parse_form_pairs(std::string_view body);
// The value of a query parameter of a URL, decoded; nullopt when absent.
std::optional<std::string> query_param(std::string_view url, std::string_view name);

} // namespace hooktool
