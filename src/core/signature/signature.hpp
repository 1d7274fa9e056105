// Signing and verifying with a Scheme: key derivation, the signed message, header rendering and
// parsing, the constant-time check and the timestamp window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/http.hpp"
#include "core/util/payload.hpp"
#include "core/signature/scheme.hpp"

namespace hooktool {

// Parses "Name: value" (what a user copies out of a log); throws Error naming `where`.
Header parse_header_line(std::string_view line, std::string_view where);

struct SigningContext {
  std::optional<std::int64_t> timestamp;  // unix seconds
  std::string id;                         // Standard Webhooks message id
  std::string url;                        // Twilio, Square
};

// The HMAC key bytes for a secret; throws Error when the secret cannot be decoded.
std::string derive_key(KeyFormat format, std::string_view secret);

// The raw MAC of the scheme's message; the body is given whole.
std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        std::string_view body);
// The same, streaming the body from a payload; returns the MAC, and the body size in `size`.
std::string compute_mac(const Scheme& scheme, std::string_view key, const SigningContext& ctx,
                        Payload& body, std::uint64_t* size = nullptr);

std::string encode_mac(const Scheme& scheme, std::string_view mac);
// What precedes the encoded MAC when it is written: "sha256=", "v1,", "v1=", "h1=".
std::string display_prefix(const Scheme& scheme);
// Every header a sender adds, in the order a sender writes them.
std::vector<Header> render_headers(const Scheme& scheme, std::string_view encoded_mac,
                                   const SigningContext& ctx);

// What a request presented: signature candidates and the context found next to them.
struct Presented {
  std::vector<std::string> candidates;  // compared exactly, in constant time
  std::vector<std::string> raw;         // every signature-like value, for diagnosis
  SigningContext ctx;
  std::string header_name;              // where the signature was found
};

// From --header lines and/or a --signature value; ctx fields given explicitly win over headers.
// Throws Error (exit 2) on malformed input; an absent signature yields empty candidates.
Presented extract_presented(const Scheme& scheme, const std::vector<Header>& headers,
                            const std::optional<std::string>& signature,
                            const SigningContext& explicit_ctx);

struct Finding {
  std::string code;     // stable id: "trailing-newline-added", "wrong-scheme", ...
  std::string message;  // one sentence saying what to fix
};

struct VerifyResult {
  bool valid = false;
  std::string reason;  // empty when valid
  std::vector<Finding> findings;
};

struct VerifyOptions {
  std::int64_t now = 0;                     // unix seconds
  std::optional<std::int64_t> tolerance_s;  // nullopt: the scheme's default; 0: no check
  bool diagnose = true;
};

// The body is given whole (diagnosis needs it all). The secret is the user's, undecoded.
VerifyResult verify(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                    const Presented& presented, std::string_view body, const VerifyOptions& options);

// The timestamp check alone; empty when fresh enough, else the reason.
std::string check_freshness(const Scheme& scheme, const SigningContext& ctx, std::string_view body,
                            const VerifyOptions& options);

}  // namespace hooktool
