// Undoing a request's Content-Encoding with zlib and brotli: the listener keeps a body as it
// arrived and shows it decoded, up to a limit, for a small gzip can expand a thousandfold.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hooktool::net {

// The most of a body that is decoded, for display and for the verdict (listen, verify --request).
// 64 gzip bombs (1 MB each, 1 GiB decoded) held 3.35 GB when each decoded to 64 MiB (issue 12).
// Past it a body is shown as its decoded first 16 MiB with cut_note(), and its verdict is over
// the bytes as they arrived only.
inline constexpr std::size_t kMaxDecoded = 16u << 20;

struct DecodedBody {
  std::string bytes; // the body decoded; when cut, its first `limit` bytes
  bool cut = false;  // it decodes to more than `limit`: decoding stopped there
};

// The body with its Content-Encoding undone: gzip (x-gzip), deflate (zlib, or raw as some send
// it) and br, several listed comma-separated and undone last first; "identity" changes nothing.
// Never holds more than `limit` decoded bytes (and the body). nullopt, with `why`, when an
// encoding is unknown or the bytes do not decode (a stream that ends early does not).
std::optional<DecodedBody> decode_content(std::string_view encoding, std::string_view body,
                                          std::size_t limit, std::string& why);

// What is said of a cut body: "decoded 16 MiB of …, cut" (how much more there is is not known:
// finding out is decoding it all).
std::string cut_note(std::size_t limit);

} // namespace hooktool::net
