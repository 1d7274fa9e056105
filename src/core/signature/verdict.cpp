// Request verdicts (see verdict.hpp).
#include "core/signature/verdict.hpp"

#include <algorithm>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

std::optional<std::string> content_coding_to_undo(const std::vector<Header>& headers,
                                                  std::string_view body) {
  if (body.empty()) return std::nullopt;
  for (const auto& h : headers) {
    if (!iequals(h.name, "Content-Encoding")) continue;
    const auto coding = trim(h.value);
    if (coding.empty() || iequals(coding, "identity")) return std::nullopt;
    return std::string(coding);
  }
  return std::nullopt;
}

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

namespace {

bool is_gzip(std::string_view body) {
  return body.size() >= 3 && body[0] == '\x1f' && body[1] == '\x8b' && body[2] == '\x08';
}

bool has_code(const std::vector<Finding>& findings, std::string_view code) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.code == code; });
}

} // namespace

VerifyResult verify_received(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                             const Presented& presented, std::string_view body,
                             const std::optional<std::string>& decoded,
                             const VerifyOptions& options) {
  VerifyResult wire = verify(scheme, secret, key_format, presented, body, options);
  if (wire.valid || wire.mac_matched) return wire;
  const std::string& coding = presented.content_coding;
  if (decoded) {
    VerifyResult plain = verify(scheme, secret, key_format, presented, *decoded, options);
    if (plain.valid || plain.mac_matched) return plain; // signed before it was compressed
    if (!options.diagnose) return wire;
    // Neither matches: what explains the decoded body explains it better than the bytes can.
    std::vector<Finding> findings;
    for (auto* from : {&plain.findings, &wire.findings})
      for (auto& f : *from)
        if (f.code != "unexplained" && !has_code(findings, f.code)) findings.push_back(f);
    if (findings.empty())
      for (auto& f : plain.findings)
        if (f.code == "unexplained") findings.push_back(f);
    findings.push_back(
        {"content-encoding", "checked over the " + std::to_string(body.size()) +
                                 " bytes as received (Content-Encoding: " + coding +
                                 ") and over the " + std::to_string(decoded->size()) +
                                 " bytes they decode to: the signature matches neither"});
    wire.findings = std::move(findings);
    return wire;
  }
  if (!options.diagnose || wire.findings.empty()) return wire; // no MAC to compare, or no diagnosis
  if (!coding.empty() || is_gzip(body)) // the encoding explains what nothing else did
    wire.findings.erase(std::remove_if(wire.findings.begin(), wire.findings.end(),
                                       [](const Finding& f) { return f.code == "unexplained"; }),
                        wire.findings.end());
  if (!coding.empty())
    wire.findings.push_back(
        {"content-encoding",
         "the headers say Content-Encoding: " + coding + " but the body does not decode as " +
             coding +
             ": something on the way (a proxy, your framework) decoded it and kept the "
             "header, or the header is wrong; the sender may have signed the compressed bytes it "
             "sent, so verify those bytes exactly as they arrived"});
  else if (is_gzip(body))
    wire.findings.push_back(
        {"content-encoding",
         "the body is gzip-compressed but no Content-Encoding header says so (a proxy may have "
         "dropped it): if the sender signed the uncompressed body, verify it decompressed (gunzip) "
         "or with its Content-Encoding header"});
  return wire;
}

Presentation present_request(const Scheme& scheme, const std::vector<Header>& headers,
                             const std::optional<std::string>& signature,
                             const SigningContext& explicit_ctx, Faults faults) {
  Presentation out;
  try {
    out.presented = extract_presented(scheme, headers, signature, explicit_ctx);
  } catch (const Error& e) {
    if (faults == Faults::Thrown) throw;
    out.verdict.emplace();
    out.verdict->reason = e.what();
    return out;
  }
  if (out.presented.candidates.empty() && out.presented.raw.empty()) {
    out.verdict.emplace();
    out.verdict->reason = "no " + out.presented.header_name + " header in the request";
    if (auto hint = other_scheme_hint(headers, scheme); !hint.empty())
      out.verdict->findings.push_back({"wrong-scheme", hint});
  }
  return out;
}

VerifyResult verify_presented(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                              const Presented& presented, std::string_view body,
                              const std::optional<std::string>& decoded,
                              const VerifyOptions& options, Faults faults) {
  try {
    return verify_received(scheme, secret, key_format, presented, body, decoded, options);
  } catch (const Error& e) {
    if (faults == Faults::Thrown) throw;
    VerifyResult failed;
    failed.reason = e.what();
    return failed;
  }
}

VerifyResult verify_request(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                            const std::vector<Header>& headers, const SigningContext& explicit_ctx,
                            std::string_view body, const std::optional<std::string>& decoded,
                            const VerifyOptions& options) {
  const Presentation p =
      present_request(scheme, headers, std::nullopt, explicit_ctx, Faults::Verdict);
  if (p.verdict) return *p.verdict;
  return verify_presented(scheme, secret, key_format, p.presented, body, decoded, options,
                          Faults::Verdict);
}

} // namespace hooktool
