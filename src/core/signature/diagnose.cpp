// Diagnosis of a signature that does not match (see diagnose.hpp).
//
// The presented values are decoded loosely (any known prefix stripped, hex of either case, base64),
// then MACs are computed for the scheme under one plausible mistake at a time: the body changed on
// the way (newlines, line endings, JSON re-serialized, a form re-encoded), the URL changed (for the
// schemes that sign it), the key mangled or read the wrong way, the wrong algorithm, another
// vendor's scheme. A match names the mistake. The checks are numbered as diagnose() runs them; the
// bodies and URLs checks 2 and 2b try are in diagnose_variants.cpp.
#include "core/signature/diagnose.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "core/signature/diagnose_variants.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

namespace {

struct Form {
  std::string bytes;
  Encoding encoding;
  bool upper_hex;
  std::string prefix;
  std::string token;
};

bool has_upper(std::string_view text) {
  for (char c : text)
    if (c >= 'A' && c <= 'F') return true;
  return false;
}

std::vector<Form> loose_forms(const Presented& presented) {
  static const char* const kPrefixes[] = {
      "sha512=", "sha256=", "sha1=", "v0=", "v1=", "h1=", "v1a,", "v1,"};
  std::vector<Form> forms;
  auto add = [&](const std::string& token) {
    std::string_view t = trim(token);
    std::string prefix;
    for (const char* p : kPrefixes) {
      if (starts_with(t, p)) {
        prefix = p;
        t.remove_prefix(prefix.size());
        break;
      }
    }
    if (auto bytes = from_hex(t); bytes && !bytes->empty())
      forms.push_back({*bytes, Encoding::Hex, has_upper(t), prefix, token});
    if (auto bytes = base64_decode(t); bytes && !bytes->empty())
      forms.push_back({*bytes, Encoding::Base64, false, prefix, token});
  };
  for (const auto& token : presented.raw)
    add(token);
  for (const auto& token : presented.candidates)
    add(token);
  return forms;
}

const Form* find_form(const std::vector<Form>& forms, std::string_view mac) {
  for (const auto& f : forms)
    if (constant_time_equal(f.bytes, mac)) return &f;
  return nullptr;
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string upper_algo(Algo algo) {
  std::string name(algo_name(algo));
  for (auto& c : name)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "HMAC-" + name;
}

std::string describe_key_format(KeyFormat format) {
  switch (format) {
  case KeyFormat::Raw: return "the whole secret, verbatim";
  case KeyFormat::WhsecBase64: return "whsec_ stripped, the rest base64-decoded";
  case KeyFormat::Base64: return "base64-decoded";
  case KeyFormat::Hex: return "hex-decoded";
  case KeyFormat::Ed25519: return "an Ed25519 private key";
  }
  return "verbatim";
}

struct KeyVariant {
  std::string code;
  std::string key; // already derived
  std::string message;
};

std::vector<KeyVariant> key_variants(const Scheme& scheme, std::string_view secret,
                                     KeyFormat format) {
  std::vector<KeyVariant> v;
  auto derived = [&](std::string_view s, KeyFormat f) -> std::optional<std::string> {
    try {
      return derive_key(f, s);
    } catch (const Error&) {
      return std::nullopt;
    }
  };
  std::string_view trimmed = trim(secret);
  if (trimmed.size() != secret.size() && !trimmed.empty())
    if (auto k = derived(trimmed, format))
      v.push_back({"key-whitespace", *k,
                   "it matches the key without the whitespace around it: the key you gave has a "
                   "stray space or newline (a key file or environment variable); trim it"});
  if (auto k = derived(std::string(secret) + "\n", format))
    v.push_back({"key-newline", *k,
                 "it matches the key with a trailing newline: the signer's key ends in a newline "
                 "(written with echo, read from a file); strip it on the signing side"});
  const std::string given(key_format_name(format));
  if (format != scheme.key_format) {
    // --key-format overrode the scheme's own: the scheme's way is the first thing to try.
    if (auto k = derived(secret, scheme.key_format))
      v.push_back({"key-format", *k,
                   "it matches the secret read the way " + scheme.title + " reads it (" +
                       describe_key_format(scheme.key_format) + "): drop --key-format " + given});
  } else if (format == KeyFormat::WhsecBase64) {
    v.push_back(
        {"whsec-verbatim", std::string(secret),
         "it matches the whsec_ secret used verbatim as the key, as Stripe does: " + scheme.title +
             " strips whsec_ and base64-decodes the rest; use a Standard Webhooks "
             "library (or --key-format raw if this sender really signs that way)"});
  }
  if (format != KeyFormat::WhsecBase64 && scheme.key_format != KeyFormat::WhsecBase64 &&
      starts_with(secret, "whsec_"))
    if (auto k = derived(secret, KeyFormat::WhsecBase64))
      v.push_back({"whsec-decoded", *k,
                   "it matches the secret with whsec_ stripped and base64-decoded (Standard "
                   "Webhooks style): " +
                       scheme.title + " uses the whole secret verbatim"});
  if (format == KeyFormat::Raw && !starts_with(secret, "whsec_"))
    v.push_back({"whsec-missing", "whsec_" + std::string(secret),
                 "it matches the secret with whsec_ in front: " + scheme.title +
                     " signs with the whole secret as its dashboard shows it, whsec_ included; "
                     "give the secret with its whsec_ prefix"});
  return v;
}

// What every check works from: the presented values decoded, the key derived, one MAC at a time.
struct Attempt {
  const Scheme& scheme;
  std::string_view secret;
  KeyFormat key_format;
  const Presented& presented;
  std::string_view body;
  std::vector<Form> forms;
  std::string key;

  std::string mac_of(const Scheme& s, std::string_view k, std::string_view b) const {
    try {
      return compute_mac(s, k, presented.ctx, b);
    } catch (const Error&) {
      return {}; // the variant lacks an input (URL, timestamp); it cannot match
    }
  }
  bool matches(std::string_view mac) const { return find_form(forms, mac) != nullptr; }
};

// 1. The right MAC, written differently (encoding, case, prefix, place). True when the right MAC
// is there: then nothing else is tried.
bool check_written_differently(const Attempt& a, std::vector<Finding>& findings) {
  const Scheme& scheme = a.scheme;
  const Form* f = find_form(a.forms, a.mac_of(scheme, a.key, a.body));
  if (!f) return false;
  const std::size_t before = findings.size();
  const std::string want_prefix = display_prefix(scheme);
  const std::string enc(encoding_name(scheme.encoding));
  if (f->encoding != scheme.encoding)
    findings.push_back({"wrong-encoding", "the HMAC is right but written in " +
                                              std::string(encoding_name(f->encoding)) + "; " +
                                              scheme.title + " writes " + enc +
                                              ": encode (or decode) it as " + enc});
  else if (f->encoding == Encoding::Hex && f->upper_hex)
    findings.push_back({"uppercase-hex", "the HMAC is right but in upper-case hex; " +
                                             scheme.title +
                                             " writes lower-case: compare lower-case hex"});
  const bool prefix_matters = scheme.header_format == HeaderFormat::Plain ||
                              scheme.header_format == HeaderFormat::SpaceList;
  if (prefix_matters && f->prefix != want_prefix) {
    if (f->prefix.empty())
      findings.push_back({"missing-prefix", "the HMAC is right but lacks the " +
                                                in_quotes(want_prefix) + " prefix " + scheme.title +
                                                " puts before it: compare against " +
                                                in_quotes(want_prefix) + " + " + enc});
    else if (want_prefix.empty())
      findings.push_back({"unexpected-prefix",
                          "the HMAC is right but carries a " + in_quotes(f->prefix) + " prefix " +
                              scheme.title + " does not send: compare the bare " + enc});
    else
      findings.push_back({"wrong-prefix", "the HMAC is right but prefixed " + in_quotes(f->prefix) +
                                              " where " + scheme.title + " writes " +
                                              in_quotes(want_prefix)});
  }
  if (findings.size() == before)
    findings.push_back(
        {"misplaced",
         "the right HMAC is present but not where " + scheme.title + " puts it: expected " +
             signature_header_lines(scheme, "<" + enc + ">", a.presented.ctx).back().value});
  return true;
}

// 2. The body changed on the way.
void check_body(const Attempt& a, std::vector<Finding>& findings) {
  if (a.body.size() > kDiagnoseBodyLimit) return;
  for (const auto& variant : diagnosis::body_variants(a.body))
    if (a.matches(a.mac_of(a.scheme, a.key, variant.body)))
      findings.push_back({variant.code, variant.message});
}

// 2b. The URL, for schemes that sign it.
void check_url(const Attempt& a, std::vector<Finding>& findings) {
  const SigningContext& ctx = a.presented.ctx;
  if (!a.scheme.needs_url() || ctx.url.empty() || a.body.size() > kDiagnoseBodyLimit) return;
  SigningContext url_ctx = ctx;
  for (const auto& variant :
       diagnosis::url_variants(a.scheme, ctx.url, a.presented, a.body.size())) {
    bool matched = false;
    for (const auto& url : accepted_urls(a.scheme, variant.url)) {
      url_ctx.url = url;
      try {
        matched = matched || a.matches(compute_mac(a.scheme, a.key, url_ctx, a.body));
      } catch (const Error&) {
      }
    }
    if (matched) findings.push_back({variant.code, variant.message});
  }
}

// 3. The key mangled.
void check_key(const Attempt& a, std::vector<Finding>& findings) {
  for (const auto& variant : key_variants(a.scheme, a.secret, a.key_format))
    if (a.matches(a.mac_of(a.scheme, variant.key, a.body)))
      findings.push_back({variant.code, variant.message});
}

// 4. The wrong algorithm.
void check_algorithm(const Attempt& a, std::vector<Finding>& findings) {
  for (Algo algo : {Algo::Sha1, Algo::Sha256, Algo::Sha512}) {
    if (algo == a.scheme.algo) continue;
    Scheme other = a.scheme;
    other.algo = algo;
    if (a.matches(a.mac_of(other, a.key, a.body)))
      findings.push_back({"wrong-algorithm", "it matches " + upper_algo(algo) + ", not " +
                                                 upper_algo(a.scheme.algo) + ": the signer uses " +
                                                 std::string(algo_name(algo)) +
                                                 " (or the two sides chose different schemes)"});
  }
}

// 5. Another vendor's scheme. Schemes that sign the same bytes the same way share one MAC.
void check_other_schemes(const Attempt& a, std::vector<Finding>& findings) {
  const Scheme& scheme = a.scheme;
  std::map<std::tuple<std::string, int, int>, std::string> macs;
  std::vector<std::string> exact, loose;
  for (const auto& other : builtin_schemes()) {
    if (other.name == scheme.name) continue;
    // Same message and hash: what tells them apart (key format, encoding, prefix) steps 1 and 3
    // name. And a header that names the vendor rules out schemes that send another header.
    if (other.content.source == scheme.content.source && other.algo == scheme.algo) continue;
    if (a.presented.from_header &&
        std::none_of(other.signature_headers.begin(), other.signature_headers.end(),
                     [&](const std::string& h) { return iequals(h, a.presented.header_name); }))
      continue;
    auto group = std::make_tuple(other.content.source, static_cast<int>(other.algo),
                                 static_cast<int>(other.key_format));
    if (!macs.count(group)) {
      std::string other_key;
      try {
        other_key = derive_key(other.key_format, a.secret);
      } catch (const Error&) {
      }
      macs[group] = other_key.empty() ? std::string() : a.mac_of(other, other_key, a.body);
    }
    const std::string& mac = macs[group];
    if (mac.empty()) continue;
    const Form* f = find_form(a.forms, mac);
    if (!f) continue;
    bool same_look = f->encoding == other.encoding && !f->upper_hex &&
                     (other.header_format != HeaderFormat::Plain || f->prefix == other.prefix);
    (same_look ? exact : loose).push_back(other.name);
  }
  const auto& names = exact.empty() ? loose : exact;
  if (names.empty()) return;
  std::string list;
  for (const auto& n : names)
    list += (list.empty() ? "" : ", ") + n;
  findings.push_back({"wrong-scheme", "it is a valid signature of another scheme (" + list +
                                          "): verify with --scheme " + names.front()});
}

// 6. One part of the signed template went wrong, derived from the scheme's declaration rather than
// written per scheme: the whole template left out but the body (a timestamp not prepended), a
// timestamp in the other unit, the message id left empty, another HTTP method. Run only when
// nothing above explains the mismatch.
void check_template_parts(const Attempt& a, std::vector<Finding>& findings) {
  using Kind = TemplatePart::Kind;
  const SignedTemplate& t = a.scheme.content;
  auto with_parts = [&](std::vector<TemplatePart> parts, std::string source) {
    Scheme other = a.scheme;
    other.content.parts = std::move(parts);
    other.content.source = std::move(source);
    return other;
  };
  auto replaced = [&](Kind from, const TemplatePart& to) {
    std::vector<TemplatePart> parts = t.parts;
    for (auto& p : parts)
      if (p.kind == from) p = to;
    return parts;
  };
  const std::string signs = "'" + t.source + "'";
  if (t.uses(Kind::Body) && t.source != "{body}" && a.body.size() <= kDiagnoseBodyLimit &&
      a.matches(a.mac_of(with_parts({{Kind::Body, {}}}, "{body}"), a.key, a.body)))
    findings.push_back({"template-body-only", "it matches an HMAC of the body alone: the signer "
                                              "leaves out the rest of what " +
                                                  a.scheme.title + " signs (" + signs + ")"});
  const bool seconds = t.uses(Kind::Timestamp);
  if ((seconds || t.uses(Kind::TimestampMs)) && a.presented.ctx.timestamp) {
    const Kind to = seconds ? Kind::TimestampMs : Kind::Timestamp;
    const auto other =
        with_parts(replaced(seconds ? Kind::Timestamp : Kind::TimestampMs, {to, {}}), t.source);
    if (a.matches(a.mac_of(other, a.key, a.body)))
      findings.push_back({"timestamp-unit", std::string("it matches with the timestamp in ") +
                                                (seconds ? "milliseconds" : "seconds") + ": " +
                                                a.scheme.title + " signs it in " +
                                                (seconds ? "seconds" : "milliseconds") + " (" +
                                                signs + ")"});
  }
  if (t.uses(Kind::Id) && !a.presented.ctx.id.empty()) {
    const auto other = with_parts(replaced(Kind::Id, {Kind::Literal, {}}), t.source);
    if (a.matches(a.mac_of(other, a.key, a.body)))
      findings.push_back({"id-empty", "it matches with the message id left empty: the signer "
                                      "did not have the id it sends (" +
                                          signs + ")"});
  }
  if (t.uses(Kind::Method)) {
    const std::string method = a.presented.ctx.method.empty() ? "POST" : a.presented.ctx.method;
    for (const char* m : {"POST", "GET", "PUT", "PATCH", "DELETE"}) {
      if (method == m) continue;
      const auto other = with_parts(replaced(Kind::Method, {Kind::Literal, m}), t.source);
      if (a.matches(a.mac_of(other, a.key, a.body)))
        findings.push_back({"method", std::string("it matches the method ") + m + ", not " +
                                          method + ": the signer signed the method it used"});
    }
  }
}

} // namespace

std::vector<Finding> diagnose(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                              const Presented& presented, std::string_view body) {
  std::vector<Finding> findings;
  auto forms = loose_forms(presented);
  if (forms.empty()) {
    findings.push_back(
        {"not-a-signature", "the value is neither hex nor base64, so it cannot be any HMAC: check "
                            "that you copied the whole " +
                                presented.header_name + " value"});
    return findings;
  }
  const Attempt attempt{scheme,
                        secret,
                        key_format,
                        presented,
                        body,
                        std::move(forms),
                        derive_key(key_format, secret)};
  if (check_written_differently(attempt, findings)) return findings;
  check_body(attempt, findings);
  check_url(attempt, findings);
  check_key(attempt, findings);
  check_algorithm(attempt, findings);
  check_other_schemes(attempt, findings);
  if (findings.empty()) check_template_parts(attempt, findings);
  if (findings.empty())
    findings.push_back(
        {"unexplained",
         "no common mistake explains it: most likely the key is not the one the "
         "sender used" +
             (scheme.note.rfind("key:", 0) == 0 ? " (" + scheme.note + ")" : std::string()) +
             ", or the body was changed on the way"});
  return findings;
}

} // namespace hooktool
