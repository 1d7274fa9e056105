// Diagnosis of a signature that does not match (see diagnose.hpp).
//
// The presented values are decoded loosely (any known prefix stripped, hex of either case, base64),
// then MACs are computed for the scheme under one plausible mistake at a time: the body changed on
// the way, the key mangled, the wrong algorithm, another vendor's scheme. A match names the mistake.
#include "core/signature/diagnose.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

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
  static const char* const kPrefixes[] = {"sha512=", "sha256=", "sha1=", "v0=", "v1=",
                                          "h1=",     "v1a,",    "v1,"};
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
  for (const auto& token : presented.raw) add(token);
  for (const auto& token : presented.candidates) add(token);
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
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "HMAC-" + name;
}

// Python's json.dumps default: ", " and ": " separators, non-ASCII escaped.
std::string python_dumps(const nlohmann::ordered_json& j) {
  if (j.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      out += nlohmann::ordered_json(it.key()).dump(-1, ' ', true) + ": " + python_dumps(it.value());
    }
    return out + "}";
  }
  if (j.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + python_dumps(j[i]);
    return out + "]";
  }
  return j.dump(-1, ' ', true);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

struct BodyVariant {
  std::string code;
  std::string body;
  std::string message;
};

std::vector<BodyVariant> body_variants(std::string_view body) {
  std::vector<BodyVariant> v;
  const std::string b(body);
  if (ends_with(b, "\r\n"))
    v.push_back({"trailing-newline-added", b.substr(0, b.size() - 2),
                 "it matches the payload without its final CRLF: your copy has a line ending the "
                 "sender did not sign (an editor, echo or a heredoc adds one); verify the raw body "
                 "bytes exactly as received"});
  else if (ends_with(b, "\n"))
    v.push_back({"trailing-newline-added", b.substr(0, b.size() - 1),
                 "it matches the payload without its final newline: your copy has a newline the "
                 "sender did not sign (an editor, echo or a heredoc adds one); verify the raw body "
                 "bytes exactly as received"});
  v.push_back({"trailing-newline-lost", b + "\n",
               "it matches the payload with a final newline: the sender signed a newline your copy "
               "lost (trimmed, or read line by line); verify the raw body bytes, untrimmed"});
  if (b.find("\r\n") != std::string::npos)
    v.push_back({"line-endings", replace_all(b, "\r\n", "\n"),
                 "it matches the payload with LF line endings: your copy has CRLF (git autocrlf, a "
                 "Windows editor or a proxy converted them); verify the bytes as received"});
  else if (b.find('\n') != std::string::npos)
    v.push_back({"line-endings", replace_all(b, "\n", "\r\n"),
                 "it matches the payload with CRLF line endings: the sender signed CRLF and your "
                 "copy has LF; verify the bytes as received, without line-ending conversion"});

  auto json = nlohmann::ordered_json::parse(body.begin(), body.end(), nullptr, false);
  if (!json.is_discarded()) {
    const std::string advice =
        ": the body was parsed and re-serialized before verifying; verify the raw request body "
        "bytes before any JSON parsing (never JSON.stringify(req.body) or json.dumps it again)";
    struct Form2 {
      std::string code;
      std::string text;
      std::string what;
    };
    std::vector<Form2> forms = {
        {"json-minified", json.dump(), "it matches the JSON minified"},
        {"json-pretty", json.dump(2), "it matches the JSON pretty-printed with 2 spaces"},
        {"json-pretty", json.dump(4), "it matches the JSON pretty-printed with 4 spaces"},
        {"json-ascii", json.dump(-1, ' ', true),
         "it matches the JSON minified with non-ASCII escaped as \\uXXXX"},
        {"json-python", python_dumps(json),
         "it matches the JSON as Python's json.dumps writes it (', ' and ': ')"},
    };
    for (auto& f : forms) v.push_back({f.code, f.text, f.what + advice});
  }
  // One finding per distinct body: the first, most specific, explanation wins.
  std::vector<BodyVariant> distinct;
  for (auto& variant : v) {
    bool seen = variant.body == b;
    for (const auto& d : distinct) seen = seen || d.body == variant.body;
    if (!seen) distinct.push_back(std::move(variant));
  }
  return distinct;
}

struct KeyVariant {
  std::string code;
  std::string key;  // already derived
  std::string message;
};

std::vector<KeyVariant> key_variants(const Scheme& scheme, std::string_view secret, KeyFormat format) {
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
  if (format == KeyFormat::WhsecBase64)
    v.push_back({"whsec-verbatim", std::string(secret),
                 "it matches the whsec_ secret used verbatim as the key, as Stripe does: " +
                     scheme.title +
                     " strips whsec_ and base64-decodes the rest; use a Standard Webhooks "
                     "library (or --key-format raw if this sender really signs that way)"});
  if (format != KeyFormat::WhsecBase64 && starts_with(secret, "whsec_"))
    if (auto k = derived(secret, KeyFormat::WhsecBase64))
      v.push_back({"whsec-decoded", *k,
                   "it matches the secret with whsec_ stripped and base64-decoded (Standard "
                   "Webhooks style): " + scheme.title + " uses the whole secret verbatim"});
  return v;
}

}  // namespace

std::vector<Finding> diagnose(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                              const Presented& presented, std::string_view body) {
  std::vector<Finding> findings;
  const auto forms = loose_forms(presented);
  if (forms.empty()) {
    findings.push_back({"not-a-signature",
                        "the value is neither hex nor base64, so it cannot be any HMAC: check "
                        "that you copied the whole " + presented.header_name + " value"});
    return findings;
  }
  const auto& ctx = presented.ctx;
  auto mac_of = [&](const Scheme& s, std::string_view key, std::string_view b) -> std::string {
    try {
      return compute_mac(s, key, ctx, b);
    } catch (const Error&) {
      return {};  // the variant lacks an input (URL, timestamp); it cannot match
    }
  };
  const std::string key = derive_key(key_format, secret);

  // 1. The right MAC, written differently.
  if (const Form* f = find_form(forms, mac_of(scheme, key, body))) {
    const std::string want_prefix = display_prefix(scheme);
    const std::string enc(encoding_name(scheme.encoding));
    if (f->encoding != scheme.encoding)
      findings.push_back({"wrong-encoding", "the HMAC is right but written in " +
                                                std::string(encoding_name(f->encoding)) + "; " +
                                                scheme.title + " writes " + enc +
                                                ": encode (or decode) it as " + enc});
    else if (f->encoding == Encoding::Hex && f->upper_hex)
      findings.push_back({"uppercase-hex", "the HMAC is right but in upper-case hex; " + scheme.title +
                                               " writes lower-case: compare lower-case hex"});
    const bool prefix_matters = scheme.header_format == HeaderFormat::Plain ||
                                scheme.header_format == HeaderFormat::SpaceList;
    if (prefix_matters && f->prefix != want_prefix) {
      if (f->prefix.empty())
        findings.push_back({"missing-prefix", "the HMAC is right but lacks the " + in_quotes(want_prefix) +
                                                  " prefix " + scheme.title +
                                                  " puts before it: compare against " +
                                                  in_quotes(want_prefix) + " + " + enc});
      else if (want_prefix.empty())
        findings.push_back({"unexpected-prefix", "the HMAC is right but carries a " + in_quotes(f->prefix) +
                                                     " prefix " + scheme.title +
                                                     " does not send: compare the bare " + enc});
      else
        findings.push_back({"wrong-prefix", "the HMAC is right but prefixed " + in_quotes(f->prefix) +
                                                " where " + scheme.title + " writes " +
                                                in_quotes(want_prefix)});
    }
    if (findings.empty())
      findings.push_back({"misplaced", "the right HMAC is present but not where " + scheme.title +
                                           " puts it: expected " +
                                           render_headers(scheme, "<" + enc + ">", ctx).back().value});
    return findings;
  }

  // 2. The body changed on the way.
  if (body.size() <= kDiagnoseBodyLimit) {
    for (const auto& variant : body_variants(body))
      if (find_form(forms, mac_of(scheme, key, variant.body)))
        findings.push_back({variant.code, variant.message});
  }
  // 3. The key mangled.
  for (const auto& variant : key_variants(scheme, secret, key_format))
    if (find_form(forms, mac_of(scheme, variant.key, body)))
      findings.push_back({variant.code, variant.message});
  // 4. The wrong algorithm.
  for (Algo algo : {Algo::Sha1, Algo::Sha256, Algo::Sha512}) {
    if (algo == scheme.algo) continue;
    Scheme other = scheme;
    other.algo = algo;
    if (find_form(forms, mac_of(other, key, body)))
      findings.push_back({"wrong-algorithm", "it matches " + upper_algo(algo) + ", not " +
                                                 upper_algo(scheme.algo) + ": the signer uses " +
                                                 std::string(algo_name(algo)) +
                                                 " (or the two sides chose different schemes)"});
  }
  // 5. Another vendor's scheme. Schemes that sign the same bytes the same way share one MAC.
  std::map<std::tuple<int, int, int>, std::string> macs;
  std::vector<std::string> exact, loose;
  for (const auto& other : builtin_schemes()) {
    if (other.name == scheme.name) continue;
    auto group = std::make_tuple(static_cast<int>(other.content), static_cast<int>(other.algo),
                                 static_cast<int>(other.key_format));
    if (!macs.count(group)) {
      std::string other_key;
      try {
        other_key = derive_key(other.key_format, secret);
      } catch (const Error&) {
      }
      macs[group] = other_key.empty() ? std::string() : mac_of(other, other_key, body);
    }
    const std::string& mac = macs[group];
    if (mac.empty()) continue;
    const Form* f = find_form(forms, mac);
    if (!f) continue;
    bool same_look = f->encoding == other.encoding && !f->upper_hex &&
                     (other.header_format != HeaderFormat::Plain || f->prefix == other.prefix);
    (same_look ? exact : loose).push_back(other.name);
  }
  const auto& names = exact.empty() ? loose : exact;
  if (!names.empty()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    findings.push_back({"wrong-scheme", "it is a valid signature of another scheme (" + list +
                                            "): verify with --scheme " + names.front()});
  }
  if (findings.empty())
    findings.push_back({"unexplained",
                        "no common mistake explains it: most likely the key is not the one the "
                        "sender used" + (scheme.note.rfind("key:", 0) == 0 ? " (" + scheme.note + ")"
                                                                            : std::string()) +
                            ", or the body was changed on the way"});
  return findings;
}

}  // namespace hooktool
