// Fuzzes the signature header parsers: --header lines (parse_header_line) and, for every built-in
// scheme, extract_presented over them (Stripe-Signature, webhook-signature, v1= lists, ...).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"
#include "core/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<hooktool::Header> headers;
  while (!input.empty()) {
    auto nl = input.find('\n');
    auto line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    try {
      headers.push_back(hooktool::parse_header_line(line, "--header"));
    } catch (const hooktool::Error&) {
    }
  }
  for (const auto& scheme : hooktool::builtin_schemes()) {
    try {
      hooktool::extract_presented(scheme, headers, std::nullopt, {});
    } catch (const hooktool::Error&) {
    }
  }
  return 0;
}
