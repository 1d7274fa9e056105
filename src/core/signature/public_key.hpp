// Public-key signatures over OpenSSL EVP: Ed25519 sign and verify, test key pairs, and the keys in
// the providers' own formats (Discord's hex, Standard Webhooks' whsk_/whpk_) and PEM.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/signature/scheme.hpp"

namespace hooktool {

struct SigningContext;
struct Presented;
struct Finding;

// The 64-byte Ed25519 signature of a message under a 32-byte seed (RFC 8032 "secret key").
std::string ed25519_sign(std::string_view seed, std::string_view message);
// Whether a signature of a message verifies under a 32-byte public key; never throws for the
// signature's bytes (a wrong length is a refusal).
bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature);
std::string ed25519_public_of(std::string_view seed); // the public key of a seed

struct Ed25519Pair {
  std::string seed;       // 32 bytes
  std::string public_key; // 32 bytes
};
Ed25519Pair ed25519_generate();

// A private key as a person has it: whsk_ + base64 (seed, or seed + public key as libsodium keeps
// it), 64 hex characters (the seed), 128 (seed + public key), or a PEM PRIVATE KEY. Gives the
// seed; throws Error naming `where` without quoting the key.
std::string parse_ed25519_private(std::string_view text, std::string_view where);
// A public key: whpk_ + base64, 64 hex characters (Discord's portal), base64 of the 32 bytes, or a
// PEM PUBLIC KEY. Gives the 32 bytes; throws Error naming `where`.
std::string parse_ed25519_public(std::string_view text, std::string_view where);
// Whether the text is a private key of a public-key scheme rather than a shared secret.
bool looks_like_ed25519_private(std::string_view text);

// The keys written in a scheme's provider format: "whsk_…"/"whpk_…" for Standard Webhooks, hex
// for Discord; and as PEM.
std::string format_ed25519_private(const Scheme& scheme, std::string_view seed);
std::string format_ed25519_public(const Scheme& scheme, std::string_view public_key);
std::string ed25519_private_pem(std::string_view seed);
std::string ed25519_public_pem(std::string_view public_key);

// The Ed25519 form of a scheme: the scheme itself when it signs with Ed25519, Standard Webhooks'
// v1a for `standard` (the same id.timestamp.body, signed "v1a,<base64>"); false when it has none.
bool has_ed25519_variant(const Scheme& scheme);
Scheme ed25519_variant(const Scheme& scheme);

// Whether one of the presented signatures verifies under the public key (given as text, any
// format parse_ed25519_public takes) over the scheme's message; each is checked, no early exit.
bool ed25519_matches(const Scheme& scheme, std::string_view public_key_text,
                     const Presented& presented, std::string_view body);

// What explains an Ed25519 signature that does not verify: signed over the body alone (timestamp
// not prepended), written in the other encoding, a trailing newline; else "unexplained". For a
// shared-secret scheme with an Ed25519 form (standard), the v1a entries a secret cannot check.
std::vector<Finding> diagnose_public_key(const Scheme& scheme, std::string_view key_text,
                                         const Presented& presented, std::string_view body);

} // namespace hooktool
