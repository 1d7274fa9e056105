// Signing and verifying (see signature.hpp).
#include "core/signature/signature.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/signature/diagnose.hpp"
#include "core/signature/public_key.hpp"
#include "core/signature/signed_content.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/url.hpp"

namespace hooktool {

const Header* find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

Header parse_header_line(std::string_view line, std::string_view where) {
  auto colon = line.find(':');
  auto name = trim(line.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (colon == std::string_view::npos || name.empty())
    throw Error("expected 'Name: value', got '" + std::string(line.substr(0, 60)) + "' (" +
                std::string(where) + ")");
  for (char c : name) {
    if (c <= ' ' || c == 127 || c == '"' || c == '(' || c == ')' || c == ',' || c == '/' ||
        c == ';' || c == '<' || c == '>' || c == '@' || c == '[' || c == ']' || c == '{' ||
        c == '}' || c == '=' || c == '?' || c == '\\')
      throw Error("header name '" + std::string(name) + "' has a character HTTP does not allow (" +
                  std::string(where) + ")");
  }
  return {std::string(name), std::string(trim(line.substr(colon + 1)))};
}

std::optional<UrlParts> split_url(std::string_view url) {
  const auto colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = std::string(url.substr(0, colon));
  auto rest = url.substr(colon + 3);
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  auto authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = std::string(authority.substr(0, at + 1));
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  const auto host_end = authority.front() == '[' ? authority.find(']') : 0;
  if (host_end == std::string_view::npos) return std::nullopt;
  const auto port_colon = authority.find(':', host_end);
  parts.host = std::string(authority.substr(0, port_colon));
  if (port_colon != std::string_view::npos)
    parts.port = std::string(authority.substr(port_colon + 1));
  if (parts.host.empty()) return std::nullopt;
  const auto fragment = std::min(rest.find('#'), rest.size());
  parts.fragment = std::string(rest.substr(fragment));
  rest = rest.substr(0, fragment);
  const auto query = std::min(rest.find('?'), rest.size());
  parts.query = std::string(rest.substr(query));
  parts.path = std::string(rest.substr(0, query));
  return parts;
}

std::string join_url(const UrlParts& p) {
  return p.scheme + "://" + p.userinfo + p.host + (p.port.empty() ? "" : ":" + p.port) + p.path +
         p.query + p.fragment;
}

std::string default_port(std::string_view scheme) {
  return iequals(scheme, "https") ? "443" : "80";
}

std::vector<std::string> accepted_urls(const Scheme& scheme, const std::string& url) {
  std::vector<std::string> urls = {url};
  auto parts = split_url(url);
  if (!scheme.signs_form() || !parts) return urls;
  // Twilio signs the URL it called, with or without a port depending on the path through its
  // back end, so both SDKs try the URL without any port and with one (the default when none):
  // removePort / addPort in
  // https://github.com/twilio/twilio-node/blob/main/src/webhooks/webhooks.ts and remove_port /
  // add_port in https://github.com/twilio/twilio-python/blob/main/twilio/request_validator.py
  UrlParts without = *parts;
  without.port.clear();
  UrlParts with = *parts;
  if (with.port.empty()) with.port = default_port(with.scheme);
  for (const auto& variant : {join_url(without), join_url(with)})
    if (std::find(urls.begin(), urls.end(), variant) == urls.end()) urls.push_back(variant);
  return urls;
}

std::string derive_key(KeyFormat format, std::string_view secret) {
  switch (format) {
  case KeyFormat::Raw: return std::string(secret);
  case KeyFormat::WhsecBase64: {
    auto rest = starts_with(secret, "whsec_") ? secret.substr(6) : secret;
    auto key = base64_decode(rest);
    if (!key || key->empty())
      throw Error("the secret is not whsec_ followed by base64; if your sender uses it verbatim, "
                  "add --key-format raw (key)");
    return *key;
  }
  case KeyFormat::Base64: {
    auto key = base64_decode(secret);
    if (!key || key->empty()) throw Error("the secret is not valid base64 (--key-format base64)");
    return *key;
  }
  case KeyFormat::Hex: {
    auto key = from_hex(secret);
    if (!key || key->empty()) throw Error("the secret is not valid hex (--key-format hex)");
    return *key;
  }
  case KeyFormat::Ed25519: return parse_ed25519_private(secret, "key");
  }
  return std::string(secret);
}

// The template's parts (timestamp_text, render, signed_message) are rendered in signed_content.cpp.

std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        std::string_view body) {
  if (scheme.signer == Signer::Ed25519) return ed25519_sign(key, signed_message(scheme, ctx, body));
  if (!scheme.content.streams_body())
    return hmac(scheme.algo, key, signed_message(scheme, ctx, body));
  auto frame = render(scheme, ctx, {}, false);
  Hmac h(scheme.algo, key);
  h.update(frame.before);
  if (scheme.content.uses(TemplatePart::Kind::Body)) h.update(body);
  h.update(frame.after);
  return h.finish();
}

std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        Payload& body, std::uint64_t* size) {
  if (!scheme.content.streams_body() || scheme.signer == Signer::Ed25519) {
    const auto& all = body.read_all(); // Ed25519 signs the message whole
    if (size) *size = all.size();
    return compute_mac(scheme, key, ctx, std::string_view(all));
  }
  auto frame = render(scheme, ctx, {}, false);
  Hmac h(scheme.algo, key);
  h.update(frame.before);
  std::uint64_t total = 0;
  if (scheme.content.uses(TemplatePart::Kind::Body))
    total = body.stream([&](std::string_view chunk) { h.update(chunk); });
  else
    total = body.stream([](std::string_view) {});
  h.update(frame.after);
  if (size) *size = total;
  return h.finish();
}

std::string encode_mac(const Scheme& scheme, std::string_view mac) {
  return scheme.encoding == Encoding::Hex ? to_hex(mac) : base64_encode(mac);
}

std::string display_prefix(const Scheme& scheme) {
  switch (scheme.header_format) {
  case HeaderFormat::Plain: return scheme.prefix;
  case HeaderFormat::KeyList: return scheme.prefix + "=";
  case HeaderFormat::SpaceList: return scheme.prefix + ",";
  }
  return scheme.prefix;
}

std::vector<Header> signature_header_lines(const Scheme& scheme, std::string_view encoded,
                                           const SigningContext& ctx) {
  std::vector<Header> out;
  const auto& sig_header = scheme.signature_headers.front();
  const auto ts = [&] { return timestamp_text(scheme, ctx, scheme.timestamp_ms); };
  switch (scheme.header_format) {
  case HeaderFormat::Plain:
    if (!scheme.id_headers.empty() && !ctx.id.empty())
      out.push_back({scheme.id_headers.front(), ctx.id});
    if (!scheme.timestamp_headers.empty()) out.push_back({scheme.timestamp_headers.front(), ts()});
    out.push_back({sig_header, scheme.prefix + std::string(encoded)});
    break;
  case HeaderFormat::KeyList:
    out.push_back({sig_header, scheme.list_timestamp_key + "=" + ts() + scheme.list_separator +
                                   scheme.prefix + "=" + std::string(encoded)});
    break;
  case HeaderFormat::SpaceList:
    out.push_back({scheme.id_headers.front(), ctx.id});
    out.push_back({scheme.timestamp_headers.front(), ts()});
    out.push_back({sig_header, scheme.prefix + "," + std::string(encoded)});
    break;
  }
  return out;
}

Signature sign(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
               std::string_view body) {
  Signature out;
  out.encoded_mac = encode_mac(scheme, compute_mac(scheme, key, ctx, body));
  out.headers = signature_header_lines(scheme, out.encoded_mac, ctx);
  out.body_size = body.size();
  return out;
}

Signature sign(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
               Payload& body) {
  Signature out;
  out.encoded_mac = encode_mac(scheme, compute_mac(scheme, key, ctx, body, &out.body_size));
  out.headers = signature_header_lines(scheme, out.encoded_mac, ctx);
  return out;
}

namespace {

const Header* find_first_header(const std::vector<Header>& headers,
                                const std::vector<std::string>& names) {
  // The first accepted name that is present wins (svix-* after webhook-* is the Svix order too).
  for (const auto& name : names)
    if (const Header* h = find_header(headers, name)) return h;
  return nullptr;
}

std::int64_t parse_timestamp(std::string_view text, const std::string& where) {
  auto ts = parse_int(trim(text));
  if (!ts)
    throw Error("timestamp '" + std::string(text.substr(0, 40)) +
                "' is not a unix time in seconds (" + where + ")");
  return *ts;
}

// The first element of a list header, unquoted.
std::string first_item(std::string_view value) {
  auto item = trim(value.substr(0, std::min(value.find(','), value.size())));
  if (item.size() >= 2 && item.front() == '"' && item.back() == '"')
    item = item.substr(1, item.size() - 2);
  return std::string(item);
}

void read_forwarded(const std::vector<Header>& headers, Presented& p) {
  if (const Header* h = find_header(headers, "Forwarded")) { // RFC 7239: host=..;proto=..
    const auto first =
        std::string_view(h->value).substr(0, std::min(h->value.find(','), h->value.size()));
    for (auto part : split(first, ';')) {
      part = trim(part);
      const auto eq = part.find('=');
      if (eq == std::string_view::npos) continue;
      const auto key = to_lower(part.substr(0, eq));
      if (key == "host")
        p.forwarded_host = first_item(part.substr(eq + 1));
      else if (key == "proto")
        p.forwarded_proto = to_lower(first_item(part.substr(eq + 1)));
    }
  }
  for (const char* name : {"X-Forwarded-Host", "X-Original-Host"})
    if (const Header* h = find_header(headers, name); h && p.forwarded_host.empty())
      p.forwarded_host = first_item(h->value);
  if (const Header* h = find_header(headers, "X-Forwarded-Proto"); h && p.forwarded_proto.empty())
    p.forwarded_proto = to_lower(first_item(h->value));
}

} // namespace

Presented extract_presented(const Scheme& scheme, const std::vector<Header>& headers,
                            const std::optional<std::string>& signature,
                            const SigningContext& explicit_ctx) {
  Presented p;
  std::string value;
  std::string where = "--signature";
  if (signature) {
    value = std::string(trim(*signature));
    p.header_name = scheme.signature_headers.front();
  } else if (const Header* h = find_first_header(headers, scheme.signature_headers)) {
    value = h->value;
    p.header_name = h->name;
    p.from_header = true;
    where = "--header " + h->name;
  } else {
    p.header_name = scheme.signature_headers.front();
  }
  auto set_timestamp = [&](std::string_view text, const std::string& at) {
    const auto ts = parse_timestamp(text, at);
    if (!scheme.timestamp_ms) {
      p.ctx.timestamp = ts;
      return;
    }
    p.ctx.timestamp_ms = ts;
    p.ctx.timestamp = ts / 1000;
  };
  if (const Header* h = find_first_header(headers, scheme.timestamp_headers))
    set_timestamp(h->value, "--header " + h->name);
  p.ctx.headers = headers;
  if (const Header* h = find_first_header(headers, scheme.id_headers)) p.ctx.id = h->value;
  if (const Header* h = find_header(headers, "Content-Encoding");
      h && !iequals(trim(h->value), "identity"))
    p.content_coding = to_lower(trim(h->value));
  read_forwarded(headers, p);

  if (!value.empty()) {
    switch (scheme.header_format) {
    case HeaderFormat::Plain:
      p.candidates.push_back(value);
      p.raw.push_back(value);
      break;
    case HeaderFormat::KeyList: {
      const std::string& ts_key = scheme.list_timestamp_key;
      if (value.find('=') == std::string::npos) {
        // A bare signature given with --signature (and the timestamp with --timestamp).
        p.candidates.push_back(value);
        p.raw.push_back(value);
        break;
      }
      for (auto item : split(value, scheme.list_separator)) {
        item = trim(item);
        if (item.empty()) continue;
        auto eq = item.find('=');
        if (eq == std::string_view::npos) {
          p.raw.emplace_back(item);
          continue;
        }
        auto key = item.substr(0, eq);
        auto val = item.substr(eq + 1);
        if (key == ts_key)
          set_timestamp(val, where);
        else if (key == scheme.prefix)
          p.candidates.emplace_back(val);
        p.raw.emplace_back(val);
      }
      break;
    }
    case HeaderFormat::SpaceList:
      for (auto token : split(value, ' ')) {
        if (token.empty()) continue;
        auto comma = token.find(',');
        if (comma != std::string_view::npos && token.substr(0, comma) == scheme.prefix)
          p.candidates.emplace_back(token.substr(comma + 1));
        p.raw.emplace_back(token);
      }
      break;
    }
  }
  if (explicit_ctx.timestamp) {
    p.ctx.timestamp = explicit_ctx.timestamp;
    p.ctx.timestamp_ms = explicit_ctx.timestamp_ms;
  }
  if (!explicit_ctx.id.empty()) p.ctx.id = explicit_ctx.id;
  p.ctx.url = explicit_ctx.url;
  if (!explicit_ctx.method.empty()) p.ctx.method = explicit_ctx.method;
  for (const auto& h : explicit_ctx.headers)
    p.ctx.headers.push_back(h);
  return p;
}

namespace {

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinInt64 = std::numeric_limits<std::int64_t>::min();

} // namespace

std::string check_freshness(const Scheme& scheme, const SigningContext& ctx, std::string_view body,
                            const VerifyOptions& options) {
  if (scheme.freshness == Freshness::None) return {};
  const std::int64_t tolerance = options.tolerance_s.value_or(scheme.tolerance_s);
  if (tolerance <= 0) return {};
  const std::string window = "tolerance " + std::to_string(tolerance) + " s, --tolerance";
  // The timestamp in its own unit (seconds, or ms for a body field), and how many make a second.
  std::optional<std::int64_t> ts;
  std::string shown;
  std::int64_t per_second = 1;
  if (!scheme.timestamp_field.empty()) {
    auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    const auto& name = scheme.timestamp_field;
    if (json.is_discarded() || !json.is_object() || !json.contains(name) ||
        !json[name].is_number_integer())
      return {}; // nothing to check against
    const auto& field = json[name];
    per_second = scheme.timestamp_ms ? 1000 : 1;
    shown = field.dump() + (scheme.timestamp_ms ? " ms" : " s");
    if (!field.is_number_unsigned() || field.get<std::uint64_t>() <= std::uint64_t{kMaxInt64})
      ts = field.get<std::int64_t>();
  } else {
    if (!ctx.timestamp) return "no timestamp to check";
    shown = std::to_string(*ctx.timestamp) + " s";
    // Times are kept in ms (received_ms); seconds that cannot be are no time a sender signs at.
    if (checked_mul(*ctx.timestamp, 1000)) ts = ctx.timestamp;
  }
  const auto now = checked_mul(options.now, per_second);
  const auto age = ts && now ? checked_sub(*now, *ts) : std::nullopt;
  if (!age || *age == kMinInt64) return "timestamp out of range: " + shown + " (" + window + ")";
  const std::int64_t limit = checked_mul(tolerance, per_second).value_or(kMaxInt64);
  if (*age > limit)
    return "timestamp too old: " + std::to_string(*age / per_second) + " s before now (" + window +
           ")";
  if (scheme.freshness != Freshness::PastOnly && -*age > limit)
    return "timestamp in the future: " + std::to_string(-*age / per_second) + " s ahead of now (" +
           window + ")";
  return {};
}

namespace {

// The signed id or timestamp a request's headers should carry and do not; "" when none is missing.
std::string missing_from_request(const Scheme& scheme, const Presented& presented) {
  if (scheme.needs_timestamp() && !presented.ctx.timestamp) {
    if (scheme.timestamp_headers.empty())
      return "no " + scheme.list_timestamp_key + "= timestamp in " + presented.header_name + " (" +
             scheme.title + " signs the timestamp with the body)";
    return "no " + scheme.timestamp_headers.front() + " header (" + scheme.title +
           " signs the timestamp with the body)";
  }
  if (scheme.needs_id() && presented.ctx.id.empty())
    return "no " + scheme.id_headers.front() + " header (" + scheme.title +
           " signs the message id with the timestamp and body)";
  return {};
}

} // namespace

VerifyResult verify(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                    const Presented& presented, std::string_view body,
                    const VerifyOptions& options) {
  VerifyResult result;
  if (presented.candidates.empty() && presented.raw.empty()) {
    result.reason = "no " + presented.header_name + " signature in the request";
    return result;
  }
  if (presented.from_header) { // what the request lacks makes it invalid, like a missing signature
    if (auto missing = missing_from_request(scheme, presented); !missing.empty()) {
      result.reason = missing;
      return result;
    }
  }
  bool matched = false;
  if (scheme.signer == Signer::Ed25519) matched = ed25519_matches(scheme, secret, presented, body);
  const std::string key =
      scheme.signer == Signer::Ed25519 ? std::string() : derive_key(key_format, secret);
  SigningContext ctx = presented.ctx;
  for (const auto& url : scheme.needs_url() ? accepted_urls(scheme, presented.ctx.url)
                                            : std::vector<std::string>{presented.ctx.url}) {
    if (scheme.signer == Signer::Ed25519) break;
    ctx.url = url;
    std::string expected = encode_mac(scheme, compute_mac(scheme, key, ctx, body));
    if (scheme.header_format == HeaderFormat::Plain) expected = scheme.prefix + expected;
    for (const auto& candidate : presented.candidates)
      matched = constant_time_equal(candidate, expected) || matched; // no early exit
  }

  result.mac_matched = matched;
  if (matched && scheme.signs_form()) {
    if (auto want = query_param(presented.ctx.url, "bodySHA256")) {
      if (!constant_time_equal(to_lower(*want), to_hex(sha256(body)))) {
        result.reason = "the body does not match the bodySHA256 in the URL";
        return result;
      }
    }
  }
  if (matched) {
    result.reason = check_freshness(scheme, presented.ctx, body, options);
    result.valid = result.reason.empty();
    return result;
  }
  if (presented.candidates.empty())
    result.reason = "no " + display_prefix(scheme) + " signature in " + presented.header_name;
  else
    result.reason = "signature does not match";
  if (options.diagnose && scheme.signer == Signer::Hmac)
    result.findings = diagnose(scheme, secret, key_format, presented, body);
  if (options.diagnose) { // public-key mistakes (public_key.hpp), first
    auto more = diagnose_public_key(scheme, secret, presented, body);
    if (!more.empty() && !result.findings.empty() && result.findings.back().code == "unexplained")
      result.findings.pop_back();
    result.findings.insert(result.findings.begin(), more.begin(), more.end());
  }
  return result;
}

} // namespace hooktool
