// Byte-string helpers: hex and base64 in both directions, trimming, splitting, durations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hooktool {

std::string to_hex(std::string_view bytes);
// Accepts upper- and lower-case digits; nullopt on odd length or a non-hex character.
std::optional<std::string> from_hex(std::string_view text);
std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding (padding may be omitted); also accepts the URL-safe alphabet.
std::optional<std::string> base64_decode(std::string_view text);

bool is_lower_hex(std::string_view text);
std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
std::vector<std::string_view> split(std::string_view text, char sep);

// "300", "300s", "5m", "1h", "1500ms" -> milliseconds; nullopt when unreadable.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// "10MiB", "10M", "512k", "1048576" -> bytes (k, m, g and their kb/kib spellings are powers of
// 1024); nullopt when unreadable or above 1 TiB.
std::optional<std::size_t> parse_size(std::string_view text);
// A decimal integer that fits in int64, nothing else.
std::optional<std::int64_t> parse_int(std::string_view text);
// a * b and a - b, or nullopt where the result does not fit in int64 (signed overflow is UB):
// seconds to milliseconds, a timestamp's age.
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b);

} // namespace hooktool
