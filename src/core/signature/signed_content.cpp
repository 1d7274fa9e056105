// The signed bytes: a scheme's template rendered from the context and the body (see
// signed_content.hpp and signature.hpp's signed_message).
#include "core/signature/signed_content.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/url.hpp"

namespace hooktool {

namespace {

std::string require_timestamp(const Scheme& scheme, const SigningContext& ctx) {
  if (!ctx.timestamp) {
    std::string where = scheme.timestamp_headers.empty() ? scheme.signature_headers.front() + " t="
                                                         : scheme.timestamp_headers.front();
    throw Error(scheme.name + " signs a timestamp: give --timestamp or a " + where +
                " header (--timestamp)");
  }
  return std::to_string(*ctx.timestamp);
}

void require_url(const Scheme& scheme, const SigningContext& ctx) {
  if (ctx.url.empty())
    throw Error(scheme.name + " signs the URL the hook was sent to: give it with --url (--url)");
}

bool looks_like_json(std::string_view body) {
  const auto text = trim(body);
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return false;
  return !nlohmann::json::parse(text.begin(), text.end(), nullptr, false).is_discarded();
}

// Twilio: the URL, then the form pairs sorted by name as name+value, no separators; a name given
// several times adds each of its distinct values once, sorted, as the SDKs do:
// toFormUrlEncodedParam (`Array.from(new Set(paramValue)).sort()`) in
// https://github.com/twilio/twilio-node/blob/main/src/webhooks/webhooks.ts and compute_signature
// (`for value in sorted(set(values))`) in
// https://github.com/twilio/twilio-python/blob/main/twilio/request_validator.py
// A URL with bodySHA256= means a non-form body: the URL alone is signed. A JSON body without it is
// refused: reading it as a form would sign something Twilio never signs.
std::string twilio_message(const SigningContext& ctx, std::string_view body) {
  std::string message = ctx.url;
  if (query_param(ctx.url, "bodySHA256")) return message;
  if (looks_like_json(body))
    throw Error("twilio signs a JSON body through the URL: the URL Twilio calls carries "
                "bodySHA256=" +
                to_hex(sha256(body)) +
                " (the body's SHA-256) in its query, and this --url has none (--url)");
  auto pairs = parse_form_pairs(body);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (auto& [name, value] : pairs)
    message += name + value;
  return message;
}

} // namespace

std::string timestamp_text(const Scheme& scheme, const SigningContext& ctx, bool ms) {
  const std::string s = require_timestamp(scheme, ctx);
  if (!ms) return s;
  if (ctx.timestamp_ms && *ctx.timestamp_ms / 1000 == *ctx.timestamp)
    return std::to_string(*ctx.timestamp_ms);
  if (auto v = checked_mul(*ctx.timestamp, 1000)) return std::to_string(*v);
  throw Error("timestamp " + s + " is out of range in milliseconds (--timestamp)");
}

namespace {

// A value of the JSON body at a dot-separated path, as its text (strings unquoted).
std::string body_token(const Scheme& scheme, std::string_view body, const std::string& path) {
  auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  const nlohmann::json* at = &doc;
  for (auto key : split(path, '.')) {
    if (at->is_object() && at->contains(std::string(key))) {
      at = &(*at)[std::string(key)];
    } else if (auto index = parse_int(key); at->is_array() && index && *index >= 0 &&
                                            static_cast<std::size_t>(*index) < at->size()) {
      at = &(*at)[static_cast<std::size_t>(*index)];
    } else {
      throw Error(scheme.name + " signs the body's " + path + " and the body has none (payload)");
    }
  }
  return at->is_string() ? at->get<std::string>() : at->dump();
}

} // namespace

Frame render(const Scheme& scheme, const SigningContext& ctx, std::string_view body,
             bool with_body) {
  Frame frame;
  std::string* out = &frame.before;
  for (const auto& part : scheme.content.parts) {
    switch (part.kind) {
    case TemplatePart::Kind::Literal: *out += part.text; break;
    case TemplatePart::Kind::Body:
      if (with_body)
        out->append(body.data(), body.size());
      else
        out = &frame.after;
      break;
    case TemplatePart::Kind::Timestamp: *out += timestamp_text(scheme, ctx, false); break;
    case TemplatePart::Kind::TimestampMs: *out += timestamp_text(scheme, ctx, true); break;
    case TemplatePart::Kind::Id:
      if (ctx.id.empty())
        throw Error(
            scheme.name + " signs a message id: give --id or a " +
            (scheme.id_headers.empty() ? std::string("message id") : scheme.id_headers.front()) +
            " header (--id)");
      *out += ctx.id;
      break;
    case TemplatePart::Kind::Method: *out += ctx.method.empty() ? "POST" : ctx.method; break;
    case TemplatePart::Kind::Url:
      require_url(scheme, ctx);
      *out += ctx.url;
      break;
    case TemplatePart::Kind::FormSorted: {
      require_url(scheme, ctx);
      std::string pairs = twilio_message(ctx, body);
      *out += pairs.substr(ctx.url.size());
      break;
    }
    case TemplatePart::Kind::Header: {
      const Header* h = find_header(ctx.headers, part.text);
      if (!h)
        throw Error(scheme.name + " signs the " + part.text + " header: give it with --header '" +
                    part.text + ": ...' (--header)");
      *out += h->value;
      break;
    }
    case TemplatePart::Kind::BodyToken: *out += body_token(scheme, body, part.text); break;
    }
  }
  return frame;
}

std::string signed_message(const Scheme& scheme, const SigningContext& ctx, std::string_view body) {
  return render(scheme, ctx, body, true).before;
}

} // namespace hooktool
