// Plain HTTP values shared by every layer: a header, finding one by name, and reading a header
// line of a request head as it was sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hooktool {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive, as HTTP header names are; nullptr when absent.
const Header* find_header(const std::vector<Header>& headers, std::string_view name);

// One header line of a request head, as sent (without its CRLF): the name in its own case, the
// value without the spaces and tabs around it. nullopt for a line without a colon, which servers
// skip.
std::optional<Header> parse_request_header_line(std::string_view line);

}  // namespace hooktool
