// The signature-scheme catalog: one row per scheme says what is signed, how, and where it travels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/signature/crypto.hpp"

namespace hooktool {

// What bytes go into the MAC: a template over the parts a sender has, parsed once. Syntax:
// literal text, and placeholders in braces; "{{" and "}}" are literal braces.
//   {body}          the body's bytes           {timestamp}     unix seconds
//   {timestamp_ms}  unix milliseconds          {id}            the message id
//   {method}        the HTTP method ("POST")   {url}           the URL the hook was sent to
//   {form_sorted}   the form's decoded pairs sorted by name, name+value (Twilio; none when the
//                   URL carries bodySHA256)
//   {header:NAME}   the value of request header NAME
//   {body:PATH}     a value of the JSON body: dot-separated keys and array indexes ("data.id")
struct TemplatePart {
  enum class Kind {
    Literal,
    Body,
    Timestamp,
    TimestampMs,
    Id,
    Method,
    Url,
    FormSorted,
    Header,
    BodyToken
  };
  Kind kind = Kind::Literal;
  std::string text; // the literal, the header's name or the JSON path
};

struct SignedTemplate {
  std::string source; // as written: "{timestamp}.{body}"
  std::vector<TemplatePart> parts;

  bool uses(TemplatePart::Kind kind) const;
  // The body is signed once, whole, and nothing else reads it: it can be streamed.
  bool streams_body() const;
};

// Parses a template; throws Error naming `where` on an unknown placeholder or unbalanced brace.
SignedTemplate parse_template(std::string_view text, std::string_view where);

enum class KeyFormat {
  Raw,         // the secret's bytes as given
  WhsecBase64, // optional "whsec_" prefix stripped, the rest base64-decoded
  Base64,      // the whole secret base64-decoded
  Hex,         // the whole secret hex-decoded
  Ed25519,     // an Ed25519 private key (whsk_, hex, PEM): the 32-byte seed (public_key.hpp)
};

// What makes the signature: a MAC with a shared secret, or a private key whose public half
// verifies (public_key.hpp).
enum class Signer { Hmac, Ed25519 };

enum class Encoding { Hex, Base64 };

// How the signature sits in its header (data: "format" "plain", "list", "space-list").
enum class HeaderFormat {
  Plain,     // prefix + signature; timestamp and id, if any, in headers of their own
  KeyList,   // t=<ts>,v1=<sig>[,v1=<sig>...] (Stripe), ts=<ts>;h1=<sig> (Paddle)
  SpaceList, // v1,<sig>[ v1,<sig>...]  with separate id and timestamp headers
};

// Which timestamps a verifier accepts (data: "window": {"seconds", "direction"}).
enum class Freshness {
  None,     // no window
  BothWays, // |now - ts| <= tolerance
  PastOnly, // now - ts <= tolerance; future timestamps pass
};

struct Scheme {
  std::string name;
  std::string title;
  Algo algo = Algo::Sha256;
  Signer signer = Signer::Hmac;
  Encoding encoding = Encoding::Hex;
  std::string prefix; // before the signature in a Plain header, the version tag in lists
  SignedTemplate content = parse_template("{body}", "scheme");
  KeyFormat key_format = KeyFormat::Raw;
  HeaderFormat header_format = HeaderFormat::Plain;
  char list_separator = ',';            // KeyList: between the items
  std::string list_timestamp_key = "t"; // KeyList: the timestamp item's key
  // First name is the one hooktool writes; every name is accepted when verifying.
  std::vector<std::string> signature_headers;
  std::vector<std::string> timestamp_headers;
  std::vector<std::string> id_headers;
  // Where the timestamp travels when not in a header or list: a field of the JSON body (Linear's
  // "webhookTimestamp"); and its unit in either place (true: milliseconds).
  std::string timestamp_field;
  bool timestamp_ms = false;
  Freshness freshness = Freshness::None;
  std::int64_t tolerance_s = 0;
  std::string note; // one line shown by `hooktool schemes`

  bool needs_url() const {
    return content.uses(TemplatePart::Kind::Url) || content.uses(TemplatePart::Kind::FormSorted);
  }
  bool needs_timestamp() const;
  bool needs_id() const { return content.uses(TemplatePart::Kind::Id); }
  // Twilio's URL handling: ports tried both ways, bodySHA256 for a non-form body.
  bool signs_form() const { return content.uses(TemplatePart::Kind::FormSorted); }
};

// The built-in table (schemes/builtin.json, compiled in), parsed on first use.
const std::vector<Scheme>& builtin_schemes();
const Scheme* find_scheme(std::string_view name);

// The generic scheme: HMAC of the body, chosen algorithm, encoding, prefix and header.
Scheme make_hmac_scheme(Algo algo, Encoding encoding, std::string prefix, std::string header);

// One scheme declared as data (a row of schemes/builtin.json, a vendor file's "signature"):
// name, title, algorithm, encoding, signs, prefix, key, format, list_separator, list_timestamp,
// header, timestamp_header, id_header (a string or a list), timestamp_field, timestamp_unit,
// window {seconds, direction}, note. Throws Error naming `where`.
Scheme parse_scheme(const nlohmann::json& row, const std::string& where);
// The declaration back as data (what `hooktool schemes --json` prints).
nlohmann::ordered_json scheme_to_json(const Scheme& scheme);

// "HMAC-SHA256 of {id}.{timestamp}.{body}, base64, key whsec" and the like.
std::string describe_signed_content(const SignedTemplate& content);
std::string describe_scheme(const Scheme& scheme);
std::string_view encoding_name(Encoding encoding);
std::optional<Encoding> parse_encoding(std::string_view name);
std::string_view key_format_name(KeyFormat format);
std::optional<KeyFormat> parse_key_format(std::string_view name);

} // namespace hooktool
