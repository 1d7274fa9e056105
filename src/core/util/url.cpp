// Form basics (see form.hpp).
#include "core/util/url.hpp"

#include "core/util/bytes.hpp"

namespace hooktool {

std::optional<std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      auto byte = from_hex(text.substr(i + 1, 2));
      if (!byte) return std::nullopt;
      out += *byte;
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_form_pairs(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (body.empty()) return pairs;
  for (auto part : split(body, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto name = part.substr(0, eq);
    auto value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    pairs.emplace_back(url_decode(name).value_or(std::string(name)),
                       url_decode(value).value_or(std::string(value)));
  }
  return pairs;
}

std::optional<std::string> query_param(std::string_view url, std::string_view name) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto query = url.substr(q + 1);
  auto hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  for (auto& [k, v] : parse_form_pairs(query))
    if (k == name) return v;
  return std::nullopt;
}

} // namespace hooktool
