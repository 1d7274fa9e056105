// Colour for people: the one way text is painted with ANSI SGR codes. Whether to colour is decided
// once in the CLI (--color, NO_COLOR, a terminal) and handed down; a Style only formats.
#pragma once

#include <string>
#include <string_view>

namespace hooktool {

struct Style {
  bool color = false;

  // `text` between ESC[<sgr>m and ESC[0m, or as it is without colour.
  std::string paint(std::string_view text, std::string_view sgr) const {
    if (!color) return std::string(text);
    std::string out;
    out.reserve(text.size() + sgr.size() + 7);
    out.append("\033[").append(sgr).append("m").append(text).append("\033[0m");
    return out;
  }
  std::string good(std::string_view t) const { return paint(t, "1;32"); } // valid, delivered
  std::string bad(std::string_view t) const { return paint(t, "1;31"); }  // invalid, failed
  std::string warn(std::string_view t) const { return paint(t, "33"); }   // a hint, not checked
  std::string dim(std::string_view t) const { return paint(t, "2"); }     // rules, timings
  std::string bold(std::string_view t) const { return paint(t, "1"); }    // labels
  std::string name(std::string_view t) const { return paint(t, "36"); }   // a header's name
  // A status code: green when 2xx-like (`ok`), else red; not bold.
  std::string status(std::string_view t, bool ok) const { return paint(t, ok ? "32" : "31"); }
};

} // namespace hooktool
