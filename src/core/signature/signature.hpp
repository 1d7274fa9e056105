// Signing and verifying with a Scheme: key derivation, the signed message, the signature's header
// lines and parsing them, the constant-time check and the timestamp window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature/scheme.hpp"
#include "core/util/http.hpp"
#include "core/util/payload.hpp"

namespace hooktool {

// Parses "Name: value" (what a user copies out of a log); throws Error naming `where`.
Header parse_header_line(std::string_view line, std::string_view where);

// The parts a sender has besides the body, for the scheme's signed template.
struct SigningContext {
  std::optional<std::int64_t> timestamp;    // unix seconds ({timestamp})
  std::optional<std::int64_t> timestamp_ms; // exact ms when known ({timestamp_ms}), else ts * 1000
  std::string id;                           // message id ({id}, Standard Webhooks)
  std::string url;                          // {url}: Twilio, Square
  std::string method;                       // {method}; "" is POST
  std::vector<Header> headers;              // {header:NAME}: the request's other headers
};

// An absolute URL in its parts, each as written (nothing decoded); join_url(*split_url(u)) == u.
struct UrlParts {
  std::string scheme;   // "https"
  std::string userinfo; // "user:pass@" with its '@', or ""
  std::string host;     // "example.com", "[::1]"
  std::string port;     // "8443" without its ':', or ""
  std::string path;     // "/hook", or ""
  std::string query;    // "?a=1" with its '?', or ""
  std::string fragment; // "#x" with its '#', or ""
};
std::optional<UrlParts> split_url(std::string_view url);
std::string join_url(const UrlParts& parts);
// 443 for https, 80 for anything else (as the Twilio SDKs add it).
std::string default_port(std::string_view scheme);

// The URLs a verifier accepts as the one signed: the URL as given first, and for Twilio also the
// URL without its port and with its port (the default one when it has none).
std::vector<std::string> accepted_urls(const Scheme& scheme, const std::string& url);

// The HMAC key bytes for a secret; throws Error when the secret cannot be decoded.
std::string derive_key(KeyFormat format, std::string_view secret);

// The bytes the scheme's template signs (its parts rendered from the context and the body); throws
// Error when the context lacks a part (timestamp, id, URL, header, body field).
std::string signed_message(const Scheme& scheme, const SigningContext& ctx, std::string_view body);
// The raw MAC of the scheme's message (an Ed25519 scheme: its signature, the key the seed); the
// body is given whole.
std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        std::string_view body);
// The same, streaming the body from a payload; returns the MAC, and the body size in `size`.
std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        Payload& body, std::uint64_t* size = nullptr);

std::string encode_mac(const Scheme& scheme, std::string_view mac);
// What precedes the encoded MAC when it is written: "sha256=", "v1,", "v1=", "h1=".
std::string display_prefix(const Scheme& scheme);
// Every header a sender adds for an encoded MAC, in the order a sender writes them (name and
// value); throws Error when the context lacks the timestamp the headers carry.
std::vector<Header> signature_header_lines(const Scheme& scheme, std::string_view encoded_mac,
                                           const SigningContext& ctx);
// A request signed: what send, replay and sign add to a body.
struct Signature {
  std::string encoded_mac;     // the MAC in the scheme's encoding, without its prefix
  std::vector<Header> headers; // signature_header_lines: every header a sender adds
  std::uint64_t body_size = 0; // the bytes signed
};
// Signs a body with a derived key (derive_key) in a context: MAC, encoding and header lines.
// Throws Error when the context lacks what the scheme signs (timestamp, id, URL).
Signature sign(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
               std::string_view body);
// The same, streaming the body from a payload, so memory stays flat however large it is (a
// form-signing scheme reads it whole).
Signature sign(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
               Payload& body);

// What a request presented: signature candidates and the context found next to them.
struct Presented {
  std::vector<std::string> candidates; // compared exactly, in constant time
  std::vector<std::string> raw;        // every signature-like value, for diagnosis
  SigningContext ctx;
  std::string header_name;    // where the signature was found
  bool from_header = false;   // found in a request header (not given by --signature)
  std::string content_coding; // the request's Content-Encoding, "" when none or identity
  // What a proxy says the sender called (X-Forwarded-Host / -Proto, Forwarded), for diagnosis.
  std::string forwarded_host;
  std::string forwarded_proto;
};

// From --header lines and/or a --signature value; ctx fields given explicitly win over headers.
// Throws Error (exit 2) on malformed input; an absent signature yields empty candidates.
Presented extract_presented(const Scheme& scheme, const std::vector<Header>& headers,
                            const std::optional<std::string>& signature,
                            const SigningContext& explicit_ctx);

struct Finding {
  std::string code;    // stable id: "trailing-newline-added", "wrong-scheme", ...
  std::string message; // one sentence saying what to fix
};

struct VerifyResult {
  bool valid = false;
  std::string reason; // empty when valid
  std::vector<Finding> findings;
  bool mac_matched = false; // a signature matched: invalid then for its timestamp or body hash
};

struct VerifyOptions {
  std::int64_t now = 0;                    // unix seconds
  std::optional<std::int64_t> tolerance_s; // nullopt: the scheme's default; 0: no check
  bool diagnose = true;
};

// The body is given whole (diagnosis needs it all). The secret is the user's, undecoded; for an
// Ed25519 scheme it is the public key's text (public_key.hpp), key_format unused.
VerifyResult verify(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                    const Presented& presented, std::string_view body,
                    const VerifyOptions& options);

// The timestamp check alone; empty when fresh enough, else the reason.
std::string check_freshness(const Scheme& scheme, const SigningContext& ctx, std::string_view body,
                            const VerifyOptions& options);

} // namespace hooktool
