// Request verdicts (see verdict.hpp).
#include "core/signature/verdict.hpp"

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

std::string other_scheme_hint(const std::vector<Header>& headers, const Scheme& chosen) {
  for (const auto& s : builtin_schemes()) {
    if (s.name == chosen.name) continue;
    for (const auto& name : s.signature_headers)
      for (const auto& h : headers)
        if (iequals(h.name, name))
          return "the headers carry " + h.name + ": try --scheme " + s.name;
  }
  return {};
}

VerifyResult verify_request(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                            const std::vector<Header>& headers, const SigningContext& explicit_ctx,
                            std::string_view body, const VerifyOptions& options) {
  Presented presented;
  try {
    presented = extract_presented(scheme, headers, std::nullopt, explicit_ctx);
  } catch (const Error& e) {
    VerifyResult malformed;
    malformed.reason = e.what();
    return malformed;
  }
  if (presented.candidates.empty() && presented.raw.empty()) {
    VerifyResult missing;
    missing.reason = "no " + presented.header_name + " header in the request";
    if (auto hint = other_scheme_hint(headers, scheme); !hint.empty())
      missing.findings.push_back({"wrong-scheme", hint});
    return missing;
  }
  try {
    return verify(scheme, secret, key_format, presented, body, options);
  } catch (const Error& e) { // what the scheme needs and the request lacks (a URL, a timestamp)
    VerifyResult failed;
    failed.reason = e.what();
    return failed;
  }
}

} // namespace hooktool
