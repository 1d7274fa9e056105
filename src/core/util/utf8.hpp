// UTF-8 validation, strict as JSON and the three form dialects need it: no overlong forms, no
// surrogates, nothing past U+10FFFF.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hooktool {

// Length of the valid sequence starting at text[at] (1 to 4), or 0 when it is not valid UTF-8.
size_t utf8_sequence(std::string_view text, size_t at);
// Offset of the first byte that does not start a valid sequence, or npos when all is valid.
size_t find_invalid_utf8(std::string_view text);
// Appends code point cp (at most U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, char32_t cp);
// 1-based line and column (in characters) of a byte offset, as "line L, column C".
std::string line_column(std::string_view text, size_t offset);

// Valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF)?
bool is_utf8(std::string_view bytes);

// The text with each byte that starts no valid sequence written as \xNN (two lowercase hex
// digits), the valid sequences (controls included) as they are: always valid UTF-8, and the text
// itself when it is valid. How a record names bytes that are not UTF-8 (capture.hpp).
std::string escape_invalid_utf8(std::string_view text);

// Appends text as a JSON string, quoted and escaped as nlohmann::json writes it; bytes that are not
// UTF-8 become U+FFFD.
void append_json_string(std::string& out, std::string_view text);

} // namespace hooktool
