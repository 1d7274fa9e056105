// Fuzzes verify + diagnose: a scheme, a secret, header lines and a body, all from the input.
// Layout: byte 0 picks the scheme, then "secret\0header lines\0body".
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/signature/diagnose.hpp"
#include "core/signature/signature.hpp"
#include "core/util/error.hpp"

namespace {
std::string_view next_field(std::string_view& input) {
  auto end = input.find('\0');
  auto field = input.substr(0, end);
  input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  return field;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& schemes = hooktool::builtin_schemes();
  const auto& scheme = schemes[data[0] % schemes.size()];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  auto secret = next_field(input);
  auto header_text = next_field(input);
  auto body = input;
  std::vector<hooktool::Header> headers;
  std::string_view rest = header_text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    try {
      headers.push_back(hooktool::parse_header_line(line, "--header"));
    } catch (const hooktool::Error&) {
    }
  }
  hooktool::SigningContext explicit_ctx;
  explicit_ctx.url = "https://example.com/hook";
  try {
    auto presented = hooktool::extract_presented(scheme, headers, std::nullopt, explicit_ctx);
    hooktool::VerifyOptions options;
    options.now = 1795610000;
    options.tolerance_s = 0;
    hooktool::verify(scheme, secret, scheme.key_format, presented, body, options);
    hooktool::diagnose(scheme, secret, scheme.key_format, presented, body);
  } catch (const hooktool::Error&) {
  }
  return 0;
}
