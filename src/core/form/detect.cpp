// What a body is (see detect.hpp).
#include "core/form/detect.hpp"

#include <algorithm>

#include "core/util/bytes.hpp"

namespace hooktool {

bool looks_like_json(std::string_view body) {
  const size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (body[i] == '{' || body[i] == '[' || body[i] == '"');
}

bool looks_like_form(std::string_view body) {
  std::string_view text = body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
    return false;
  const auto pairs = split(text, '&');
  bool value = false;
  for (auto pair : pairs) {
    const auto eq = pair.find('=');
    if (eq == 0) return false;
    // base64 padding ("c2VuZA==") is no value
    value = value || (eq != std::string_view::npos &&
                      pair.find_first_not_of('=', eq) != std::string_view::npos);
  }
  return text.find('=') != std::string_view::npos && (value || pairs.size() > 1);
}

} // namespace hooktool
