// Content-Encoding undone for display (see content_coding.hpp).
#include "net/content_coding.hpp"

#include <httplib.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/util/bytes.hpp"

namespace hooktool::net {

std::optional<std::string> decode_content(std::string_view encoding, std::string_view body,
                                          std::size_t limit, std::string& why) {
  std::vector<std::string> codings;
  for (std::size_t start = 0; start <= encoding.size();) {
    const std::size_t comma = std::min(encoding.find(',', start), encoding.size());
    std::string coding = to_lower(trim(encoding.substr(start, comma - start)));
    if (!coding.empty() && coding != "identity") codings.push_back(coding);
    start = comma + 1;
  }
  std::string data(body);
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    std::unique_ptr<httplib::detail::decompressor> decoder;
    if (*it == "gzip" || *it == "x-gzip" || *it == "deflate")
      decoder = std::make_unique<httplib::detail::gzip_decompressor>();
    else if (*it == "br")
      decoder = std::make_unique<httplib::detail::brotli_decompressor>();
    if (!decoder || !decoder->is_valid()) {
      why = "cannot undo Content-Encoding " + *it;
      return std::nullopt;
    }
    std::string out;
    bool too_big = false;
    const bool ok = decoder->decompress(data.data(), data.size(), [&](const char* p, size_t n) {
      if (out.size() + n > limit) return !(too_big = true);
      out.append(p, n);
      return true;
    });
    if (too_big) {
      why = *it + " decodes to more than " + std::to_string(limit) + " bytes";
      return std::nullopt;
    }
    if (!ok) {
      why = "not valid " + *it;
      return std::nullopt;
    }
    data = std::move(out);
  }
  return data;
}

} // namespace hooktool::net
