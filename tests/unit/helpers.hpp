// Helpers the unit tests share (namespace test): a built-in scheme by name, a header's value, the
// codes of a verify result's findings, the exit code an Error carries.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"

namespace test {

// The built-in scheme of that name; the test stops when there is none.
inline const hooktool::Scheme& scheme(std::string_view name) {
  const hooktool::Scheme* s = hooktool::find_scheme(name);
  REQUIRE_MESSAGE(s != nullptr, "no built-in scheme " << std::string(name));
  return *s;
}

// The value of the first header of that name, in any case; "<absent NAME>" when there is none.
inline std::string value_of(const std::vector<hooktool::Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (hooktool::iequals(h.name, name)) return h.value;
  return "<absent " + std::string(name) + ">";
}

// The headers' names, in order.
inline std::vector<std::string> names_of(const std::vector<hooktool::Header>& headers) {
  std::vector<std::string> names;
  for (const auto& h : headers)
    names.push_back(h.name);
  return names;
}

// The finding of that code, or nullptr.
inline const hooktool::Finding* find_finding(const hooktool::VerifyResult& r,
                                             std::string_view code) {
  for (const auto& f : r.findings)
    if (f.code == code) return &f;
  return nullptr;
}

inline bool has_finding(const hooktool::VerifyResult& r, std::string_view code) {
  return find_finding(r, code) != nullptr;
}

// The finding codes, space-separated, in order.
inline std::string codes(const hooktool::VerifyResult& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += (out.empty() ? "" : " ") + f.code;
  return out;
}

// The exit code of the hooktool::Error that f() throws; -1 when it throws none.
template <typename F> int error_code_of(F&& f) {
  try {
    f();
  } catch (const hooktool::Error& e) {
    return e.code();
  }
  return -1;
}

} // namespace test
