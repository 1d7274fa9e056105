// Plain HTTP values shared by every layer: a header, and finding one by name.
#pragma once

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

}  // namespace hooktool
