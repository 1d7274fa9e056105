// The bodies and URLs a sender may have signed where your copy differs, for diagnose()'s checks 2
// and 2b (diagnose.cpp). Only diagnose.cpp includes this.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"

namespace hooktool::diagnosis {

// A rewritten body, URL or key, the finding's code, and its message if the MAC matches with it.
struct BodyVariant {
  std::string code;
  std::string body;
  std::string message;
};

struct UrlVariant {
  std::string code;
  std::string url;
  std::string message;
};

// The body as the sender may have signed it: line endings, a final newline, the JSON
// re-serialized, a form re-encoded. One per distinct body, the most specific first; none equals
// `body`.
std::vector<BodyVariant> body_variants(std::string_view body);

// The URL as the sender may have called it, where yours differs on the way (a proxy, a typo).
// Messages name no host: hosts come from the request, and a hint shows no bytes a sender chose.
// One per distinct URL, the first explanation winning; none equals `url`.
std::vector<UrlVariant> url_variants(const Scheme& scheme, const std::string& url,
                                     const Presented& presented, std::size_t body_size);

} // namespace hooktool::diagnosis
