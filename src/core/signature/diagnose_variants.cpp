// The bodies and URLs a sender may have signed (see diagnose_variants.hpp).
#include "core/signature/diagnose_variants.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/util/bytes.hpp"
#include "core/util/url.hpp"

namespace hooktool::diagnosis {

namespace {

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
    for (size_t i = 0; i < j.size(); ++i)
      out += (i ? ", " : "") + python_dumps(j[i]);
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

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

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
    for (auto& f : forms)
      v.push_back({f.code, f.text, f.what + advice});
  }
  // One finding per distinct body: the first, most specific, explanation wins.
  std::vector<BodyVariant> distinct;
  for (auto& variant : v) {
    bool seen = variant.body == b;
    for (const auto& d : distinct)
      seen = seen || d.body == variant.body;
    if (!seen) distinct.push_back(std::move(variant));
  }
  return distinct;
}

namespace {

const std::string kUrlAdvice = "; give --url exactly as the sender called it";

// http:// for https:// or the other way round, with the port that went with it.
void add_url_scheme(const UrlParts& parts, std::vector<UrlVariant>& v) {
  const std::string scheme_name = to_lower(parts.scheme);
  if (scheme_name != "http" && scheme_name != "https") return;
  const std::string other = scheme_name == "http" ? "https" : "http";
  UrlParts swapped = parts;
  swapped.scheme = other;
  if (swapped.port == default_port(scheme_name)) swapped.port.clear();
  const std::string why = other == "https" ? ", and TLS ended at a proxy in front of you" : "";
  v.push_back({"url-scheme", join_url(swapped),
               "it matches the URL with " + other + ":// where yours has " + scheme_name +
                   "://: the sender called " + other + why + kUrlAdvice});
  if (!swapped.port.empty()) {
    swapped.port.clear();
    v.push_back({"url-scheme", join_url(swapped),
                 "it matches the URL with " + other + ":// and no port where yours has " +
                     scheme_name + ":// and a port: the sender called a proxy in front of you" +
                     kUrlAdvice});
  }
}

// The default port written out, or the port left out.
void add_url_port(const UrlParts& parts, std::vector<UrlVariant>& v) {
  UrlParts ported = parts;
  const std::string def = default_port(parts.scheme);
  if (parts.port.empty()) {
    ported.port = def;
    v.push_back({"url-port", join_url(ported),
                 "it matches the URL with its default port :" + def +
                     " written out: the sender signed the URL with it" + kUrlAdvice});
  } else {
    ported.port.clear();
    const std::string port = all_digits(parts.port) ? " :" + parts.port : "";
    v.push_back(
        {"url-port", join_url(ported),
         "it matches the URL without its port" + port +
             (parts.port == def ? ": the sender signed the URL without its default port"
                                : ": the sender called a proxy that forwards to this port") +
             kUrlAdvice});
  }
}

// The query left out, or its parameters in another order.
void add_url_query(const UrlParts& parts, std::size_t body_size, std::vector<UrlVariant>& v) {
  if (parts.query.empty()) return;
  UrlParts bare = parts;
  bare.query.clear();
  v.push_back({"url-query", join_url(bare),
               "it matches the URL without its query: the sender signed the URL it was given, "
               "with no query" +
                   kUrlAdvice});
  std::vector<std::string_view> params = split(std::string_view(parts.query).substr(1), '&');
  std::vector<std::string_view> order = params;
  std::sort(order.begin(), order.end());
  const std::string reorder_message =
      "it matches the URL with its query parameters in another order: the sender signs the "
      "query as it wrote it, in its order" +
      kUrlAdvice;
  auto add_order = [&](const std::vector<std::string_view>& o) {
    if (o == params) return;
    UrlParts reordered = parts;
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

// A trailing slash added or taken away.
void add_url_trailing_slash(const UrlParts& parts, std::vector<UrlVariant>& v) {
  UrlParts slashed = parts;
  const bool has_slash = slashed.path.size() > 1 && slashed.path.back() == '/';
  if (has_slash)
    slashed.path.pop_back();
  else
    slashed.path += '/';
  v.push_back({"url-trailing-slash", join_url(slashed),
               std::string("it matches the URL ") +
                   (has_slash ? "without its trailing slash" : "with a trailing slash") +
                   ": the sender signed the URL as configured, slash and all" + kUrlAdvice});
}

// The host and scheme a proxy passed on in Forwarded / X-Forwarded-*.
void add_url_forwarded(const UrlParts& parts, const Presented& presented,
                       std::vector<UrlVariant>& v) {
  if (presented.forwarded_host.empty() && presented.forwarded_proto.empty()) return;
  UrlParts forwarded = parts;
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
  if (forwarded.host != parts.host || forwarded.scheme != parts.scheme) {
    if (presented.forwarded_host.empty()) forwarded.port.clear();
    v.push_back({"url-host", join_url(forwarded),
                 "it matches the URL with the host and scheme a proxy passed on (Forwarded, "
                 "X-Forwarded-Host, X-Forwarded-Proto): the proxy rewrote Host, and the sender "
                 "signed the URL it called" +
                     kUrlAdvice});
  }
}

} // namespace

std::vector<UrlVariant> url_variants(const Scheme& scheme, const std::string& url,
                                     const Presented& presented, std::size_t body_size) {
  std::vector<UrlVariant> v;
  const auto parts = split_url(url);
  if (!parts) return v;
  add_url_scheme(*parts, v);
  // Twilio's scheme already accepts the URL with and without its port (accepted_urls).
  if (!scheme.signs_form()) add_url_port(*parts, v);
  add_url_query(*parts, body_size, v);
  add_url_trailing_slash(*parts, v);
  add_url_forwarded(*parts, presented, v);
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

} // namespace hooktool::diagnosis
