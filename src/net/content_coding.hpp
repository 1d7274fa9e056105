// Undoing a request's Content-Encoding, with the compressors cpp-httplib is built with (zlib,
// brotli): the listener keeps a body as it arrived and shows it decoded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hooktool::net {

// The body with its Content-Encoding undone: gzip (x-gzip), deflate and br, several listed
// comma-separated and undone last first; "identity" changes nothing. nullopt, with `why`, when an
// encoding is unknown, the bytes do not decode, or the result would pass `limit` bytes.
std::optional<std::string> decode_content(std::string_view encoding, std::string_view body,
                                          std::size_t limit, std::string& why);

} // namespace hooktool::net
