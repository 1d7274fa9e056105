// JSON text pretty-printed for reading, the way the listener shows a body: two-space indent,
// colours optional, tokens as they were sent (numbers keep their digits).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hooktool {

// A JSON text pretty-printed as pretty_json (render.hpp) does, straight from its bytes in one pass
// (the listener renders every request). nullopt when the text is not JSON, or holds what only the
// full parser writes the same way (escapes in strings, -0, a number beyond a double): the caller
// then parses it.
std::optional<std::string> pretty_json_bytes(std::string_view json, bool color);
// The same with the parser (nlohmann's events): every JSON text; nullopt when it is not JSON.
std::optional<std::string> pretty_json_parsed(std::string_view json, bool color);

} // namespace hooktool
