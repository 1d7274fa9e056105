// Diagnosis of a signature that does not match (see diagnose.hpp).
//
// The presented values are decoded loosely (any known prefix stripped, hex of either case, base64),
// then MACs are computed for the scheme under one plausible mistake at a time: the body changed on
// the way (newlines, line endings, JSON re-serialized, a form re-encoded), the URL changed (for the
// schemes that sign it), the key mangled or read the wrong way, the wrong algorithm, another
// vendor's scheme. A match names the mistake.
#include "core/signature/diagnose.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/url.hpp"

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

// name=value pairs joined by '&', nothing a form encoder leaves out (spaces, line breaks).
bool looks_like_form(std::string_view body) {
  if (body.find('=') == std::string_view::npos) return false;
  for (char c : body)
    if (static_cast<unsigned char>(c) <= ' ' || c == 127) return false;
  return true;
}

// Each percent-escape of `escape` (either case) written as `bare`, or the other way round.
std::string replace_escape(const std::string& text, std::string_view escape, char bare,
                           bool to_bare) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (to_bare && text[i] == '%' && text.size() - i >= 3 &&
        iequals(std::string_view(text).substr(i, 3), escape)) {
      out += bare;
      i += 2;
    } else if (!to_bare && text[i] == bare) {
      out += escape;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The form as a standard encoder writes it again: everything but A-Z a-z 0-9 - . _ ~ escaped in
// upper-case hex, the space as `space`.
std::string reencode_form(std::string_view body, std::string_view space) {
  std::string out;
  auto encode = [&](std::string_view text) {
    static const char* const kHex = "0123456789ABCDEF";
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else if (c == ' ') {
        out += space;
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  };
  for (auto pair : split(body, '&')) {
    if (!out.empty()) out += '&';
    const auto eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq));
    if (!name) return {};
    encode(*name);
    if (eq == std::string_view::npos) continue;
    auto value = url_decode(pair.substr(eq + 1));
    if (!value) return {};
    out += '=';
    encode(*value);
  }
  return out;
}

// A form body re-encoded between the sender and your copy: what the sender may have signed.
std::vector<BodyVariant> form_variants(const std::string& b) {
  const std::string advice = ": verify the raw body bytes as received, before any form parsing or "
                             "re-encoding (a proxy or your framework rebuilt the form)";
  auto enc = [&](std::string_view e, char c) { return replace_escape(b, e, c, false); };
  auto dec = [&](std::string_view e, char c) { return replace_escape(b, e, c, true); };
  const std::string it = "it matches the form with ";
  std::vector<BodyVariant> v = {
      {"form-reencoded", replace_escape(enc("%5B", '['), "%5D", ']', false),
       it + "its brackets percent-encoded (%5B%5D) where your copy has [] bare" + advice},
      {"form-reencoded", replace_escape(dec("%5B", '['), "%5D", ']', true),
       it + "bare brackets [] where your copy has them percent-encoded (%5B%5D)" + advice},
      {"form-reencoded", enc("%20", '+'),
       it + "spaces written %20 where your copy has '+'" + advice},
      {"form-reencoded", dec("%20", '+'),
       it + "spaces written '+' where your copy has %20" + advice},
      {"form-reencoded", enc("%2F", '/'),
       it + "'/' percent-encoded (%2F) where your copy has it bare" + advice},
      {"form-reencoded", dec("%2F", '/'),
       it + "'/' bare where your copy has it percent-encoded (%2F)" + advice},
  };
  for (const char* space : {"+", "%20"})
    if (auto again = reencode_form(b, space); !again.empty())
      v.push_back({"form-reencoded", again,
                   "it matches the form percent-encoded again the standard way (spaces as " +
                       std::string(space[0] == '+' ? "'+'" : "%20") + ")" + advice});
  return v;
}

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
  if (b.find("\r\n") != std::string::npos) {
    v.push_back({"line-endings", replace_all(b, "\r\n", "\n"),
                 "it matches the payload with LF line endings: your copy has CRLF (git autocrlf, a "
                 "Windows editor or a proxy converted them); verify the bytes as received"});
    if (ends_with(b, "\r\n")) // before the JSON forms: a pretty body saved by a Windows editor
      v.push_back({"line-endings", replace_all(b.substr(0, b.size() - 2), "\r\n", "\n"),
                   "it matches the payload with LF line endings and no final newline: your copy "
                   "has CRLF and a final CRLF (a Windows editor saved it); verify the bytes as "
                   "received"});
  } else if (b.find('\n') != std::string::npos)
    v.push_back({"line-endings", replace_all(b, "\n", "\r\n"),
                 "it matches the payload with CRLF line endings: the sender signed CRLF and your "
                 "copy has LF; verify the bytes as received, without line-ending conversion"});

  auto json = nlohmann::ordered_json::parse(body.begin(), body.end(), nullptr, false);
  if (json.is_discarded() && looks_like_form(b))
    for (auto& variant : form_variants(b))
      v.push_back(std::move(variant));
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

struct UrlVariant {
  std::string code;
  std::string url;
  std::string message;
};

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The URL as the sender may have called it, where yours differs on the way (a proxy, a typo).
// Messages name no host: hosts come from the request, and a hint shows no bytes a sender chose.
std::vector<UrlVariant> url_variants(const Scheme& scheme, const std::string& url,
                                     const Presented& presented, std::size_t body_size) {
  std::vector<UrlVariant> v;
  const auto parts = split_url(url);
  if (!parts) return v;
  const std::string advice = "; give --url exactly as the sender called it";
  const bool twilio_ports = scheme.content == SignedContent::UrlSortedForm; // already accepted
  const std::string scheme_name = to_lower(parts->scheme);
  if (scheme_name == "http" || scheme_name == "https") {
    const std::string other = scheme_name == "http" ? "https" : "http";
    UrlParts swapped = *parts;
    swapped.scheme = other;
    if (swapped.port == default_port(scheme_name)) swapped.port.clear();
    const std::string why = other == "https" ? ", and TLS ended at a proxy in front of you" : "";
    v.push_back({"url-scheme", join_url(swapped),
                 "it matches the URL with " + other + ":// where yours has " + scheme_name +
                     "://: the sender called " + other + why + advice});
    if (!swapped.port.empty()) {
      swapped.port.clear();
      v.push_back({"url-scheme", join_url(swapped),
                   "it matches the URL with " + other + ":// and no port where yours has " +
                       scheme_name + ":// and a port: the sender called a proxy in front of you" +
                       advice});
    }
  }
  if (!twilio_ports) {
    UrlParts ported = *parts;
    const std::string def = default_port(parts->scheme);
    if (parts->port.empty()) {
      ported.port = def;
      v.push_back({"url-port", join_url(ported),
                   "it matches the URL with its default port :" + def +
                       " written out: the sender signed the URL with it" + advice});
    } else {
      ported.port.clear();
      const std::string port = all_digits(parts->port) ? " :" + parts->port : "";
      v.push_back(
          {"url-port", join_url(ported),
           "it matches the URL without its port" + port +
               (parts->port == def ? ": the sender signed the URL without its default port"
                                   : ": the sender called a proxy that forwards to this port") +
               advice});
    }
  }
  if (!parts->query.empty()) {
    UrlParts bare = *parts;
    bare.query.clear();
    v.push_back({"url-query", join_url(bare),
                 "it matches the URL without its query: the sender signed the URL it was given, "
                 "with no query" +
                     advice});
    std::vector<std::string_view> params = split(std::string_view(parts->query).substr(1), '&');
    std::vector<std::string_view> order = params;
    std::sort(order.begin(), order.end());
    const std::string reorder_message =
        "it matches the URL with its query parameters in another order: the sender signs the "
        "query as it wrote it, in its order" +
        advice;
    auto add_order = [&](const std::vector<std::string_view>& o) {
      if (o == params) return;
      UrlParts reordered = *parts;
      reordered.query = "?";
      for (std::size_t i = 0; i < o.size(); ++i)
        reordered.query += (i ? "&" : "") + std::string(o[i]);
      v.push_back({"url-query", join_url(reordered), reorder_message});
    };
    // Every order of a few parameters (24 at most, one HMAC each) over a small body; else sorted
    // and reversed, the orders a rebuilt query most likely took.
    if (params.size() <= 4 && body_size <= (1u << 20)) {
      do
        add_order(order);
      while (std::next_permutation(order.begin(), order.end()));
    } else {
      add_order(order);
      add_order(std::vector<std::string_view>(params.rbegin(), params.rend()));
    }
  }
  {
    UrlParts slashed = *parts;
    const bool has_slash = slashed.path.size() > 1 && slashed.path.back() == '/';
    if (has_slash)
      slashed.path.pop_back();
    else
      slashed.path += '/';
    v.push_back({"url-trailing-slash", join_url(slashed),
                 std::string("it matches the URL ") +
                     (has_slash ? "without its trailing slash" : "with a trailing slash") +
                     ": the sender signed the URL as configured, slash and all" + advice});
  }
  if (!presented.forwarded_host.empty() || !presented.forwarded_proto.empty()) {
    UrlParts forwarded = *parts;
    if (!presented.forwarded_host.empty()) {
      auto host = split_url("x://" + presented.forwarded_host);
      if (host) {
        forwarded.host = host->host;
        forwarded.port = host->port;
      }
    }
    if (presented.forwarded_proto == "http" || presented.forwarded_proto == "https") {
      if (forwarded.port == default_port(forwarded.scheme)) forwarded.port.clear();
      forwarded.scheme = presented.forwarded_proto;
    }
    if (forwarded.host != parts->host || forwarded.scheme != parts->scheme) {
      if (presented.forwarded_host.empty()) forwarded.port.clear();
      v.push_back({"url-host", join_url(forwarded),
                   "it matches the URL with the host and scheme a proxy passed on (Forwarded, "
                   "X-Forwarded-Host, X-Forwarded-Proto): the proxy rewrote Host, and the sender "
                   "signed the URL it called" +
                       advice});
    }
  }
  // One per URL, the first explanation winning.
  std::vector<UrlVariant> distinct;
  for (auto& variant : v) {
    bool seen = variant.url == url;
    for (const auto& d : distinct)
      seen = seen || d.url == variant.url;
    if (!seen) distinct.push_back(std::move(variant));
  }
  return distinct;
}

std::string describe_key_format(KeyFormat format) {
  switch (format) {
  case KeyFormat::Raw: return "the whole secret, verbatim";
  case KeyFormat::WhsecBase64: return "whsec_ stripped, the rest base64-decoded";
  case KeyFormat::Base64: return "base64-decoded";
  case KeyFormat::Hex: return "hex-decoded";
  }
  return "verbatim";
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
  const std::string given(key_format_name(format));
  if (format != scheme.key_format) {
    // --key-format overrode the scheme's own: the scheme's way is the first thing to try.
    if (auto k = derived(secret, scheme.key_format))
      v.push_back({"key-format", *k,
                   "it matches the secret read the way " + scheme.title + " reads it (" +
                       describe_key_format(scheme.key_format) + "): drop --key-format " + given});
  } else if (format == KeyFormat::WhsecBase64) {
    v.push_back({"whsec-verbatim", std::string(secret),
                 "it matches the whsec_ secret used verbatim as the key, as Stripe does: " +
                     scheme.title +
                     " strips whsec_ and base64-decodes the rest; use a Standard Webhooks "
                     "library (or --key-format raw if this sender really signs that way)"});
  }
  if (format != KeyFormat::WhsecBase64 && scheme.key_format != KeyFormat::WhsecBase64 &&
      starts_with(secret, "whsec_"))
    if (auto k = derived(secret, KeyFormat::WhsecBase64))
      v.push_back({"whsec-decoded", *k,
                   "it matches the secret with whsec_ stripped and base64-decoded (Standard "
                   "Webhooks style): " + scheme.title + " uses the whole secret verbatim"});
  if (format == KeyFormat::Raw && !starts_with(secret, "whsec_"))
    v.push_back({"whsec-missing", "whsec_" + std::string(secret),
                 "it matches the secret with whsec_ in front: " + scheme.title +
                     " signs with the whole secret as its dashboard shows it, whsec_ included; "
                     "give the secret with its whsec_ prefix"});
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
  // 2b. The URL, for schemes that sign it.
  if (scheme.needs_url() && !ctx.url.empty() && body.size() <= kDiagnoseBodyLimit) {
    SigningContext url_ctx = ctx;
    for (const auto& variant : url_variants(scheme, ctx.url, presented, body.size())) {
      bool matched = false;
      for (const auto& url : accepted_urls(scheme, variant.url)) {
        url_ctx.url = url;
        try {
          matched = matched || find_form(forms, compute_mac(scheme, key, url_ctx, body)) != nullptr;
        } catch (const Error&) {
        }
      }
      if (matched) findings.push_back({variant.code, variant.message});
    }
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
    // Same message and hash: what tells them apart (key format, encoding, prefix) steps 1 and 3
    // name. And a header that names the vendor rules out schemes that send another header.
    if (other.content == scheme.content && other.algo == scheme.algo) continue;
    if (presented.from_header &&
        std::none_of(other.signature_headers.begin(), other.signature_headers.end(),
                     [&](const std::string& h) { return iequals(h, presented.header_name); }))
      continue;
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
