// What a body is, from its bytes: JSON or a URL-encoded form (convert's --from default, send's
// --data content type).
#pragma once

#include <string_view>

namespace hooktool {

// JSON starts with '{', '[' or '"' after white space.
bool looks_like_json(std::string_view body);

// A URL-encoded form as senders write one: printable ASCII without spaces (a final newline
// aside), NAME=VALUE pairs joined by '&', and more than a single name with an empty value
// ("abc=" and "c2VuZA==" are more likely base64 than a form).
bool looks_like_form(std::string_view body);

} // namespace hooktool
