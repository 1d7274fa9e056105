// The signature-scheme catalog: one row per scheme says what is signed, how, and where it travels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature/crypto.hpp"

namespace hooktool {

// What bytes go into the MAC. Each family is one enumerator; a scheme picks one.
enum class SignedContent {
  Body,                  // body
  TimestampBody,         // ts body, nothing between       (Discord)
  TimestampDotBody,      // ts "." body                     (Stripe, Calendly)
  TimestampColonBody,    // ts ":" body                     (Paddle)
  V0TimestampBody,       // "v0:" ts ":" body               (Slack, Zoom)
  IdDotTimestampDotBody, // id "." ts "." body              (Standard Webhooks, Svix)
  UrlBody,               // url body                        (Square)
  UrlSortedForm,         // url + sorted decoded form pairs (Twilio)
};

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

// How the signature sits in its header.
enum class HeaderFormat {
  Plain,      // prefix + signature
  StripeList, // t=<ts>,v1=<sig>[,v1=<sig>...]
  PaddleList, // ts=<ts>;h1=<sig>[;h1=<sig>...]
  SpaceList,  // v1,<sig>[ v1,<sig>...]  with separate id and timestamp headers
};

// Which timestamps a verifier accepts.
enum class Freshness {
  None,        // no timestamp in the scheme
  BothWays,    // |now - ts| <= tolerance
  PastOnly,    // now - ts <= tolerance; future timestamps pass
  BodyFieldMs, // like BothWays, the timestamp is the body's JSON field "webhookTimestamp" (ms)
};

struct Scheme {
  std::string name;
  std::string title;
  Algo algo = Algo::Sha256;
  Signer signer = Signer::Hmac;
  Encoding encoding = Encoding::Hex;
  std::string prefix; // before the signature in a Plain header, the version tag in lists
  SignedContent content = SignedContent::Body;
  KeyFormat key_format = KeyFormat::Raw;
  HeaderFormat header_format = HeaderFormat::Plain;
  // First name is the one hooktool writes; every name is accepted when verifying.
  std::vector<std::string> signature_headers;
  std::vector<std::string> timestamp_headers;
  std::vector<std::string> id_headers;
  Freshness freshness = Freshness::None;
  std::int64_t tolerance_s = 0;
  std::string note; // one line shown by `hooktool schemes`

  bool needs_url() const {
    return content == SignedContent::UrlBody || content == SignedContent::UrlSortedForm;
  }
  bool needs_timestamp() const;
  bool needs_id() const { return content == SignedContent::IdDotTimestampDotBody; }
};

const std::vector<Scheme>& builtin_schemes();
const Scheme* find_scheme(std::string_view name);

// The generic scheme: HMAC of the body, chosen algorithm, encoding, prefix and header.
Scheme make_hmac_scheme(Algo algo, Encoding encoding, std::string prefix, std::string header);

// "HMAC-SHA256 of id.timestamp.body, base64, key base64 after whsec_" and the like.
std::string describe_signed_content(SignedContent content);
std::string describe_scheme(const Scheme& scheme);
std::string_view encoding_name(Encoding encoding);
std::optional<Encoding> parse_encoding(std::string_view name);
std::string_view key_format_name(KeyFormat format);
std::optional<KeyFormat> parse_key_format(std::string_view name);

} // namespace hooktool
