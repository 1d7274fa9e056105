// Ed25519 over OpenSSL 3 (see public_key.hpp).
#include "core/signature/public_key.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "core/signature/crypto.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kSignatureSize = 64;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Pkey private_pkey(std::string_view seed) {
  if (seed.size() != kKeySize) throw Error("an Ed25519 private key is 32 bytes (key)");
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), seed.size()));
  if (!key) throw Error("OpenSSL refused the Ed25519 private key (key)");
  return key;
}

std::string raw_key(EVP_PKEY* key, bool private_part) {
  std::string out(kKeySize, '\0');
  std::size_t size = out.size();
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  const int ok = private_part ? EVP_PKEY_get_raw_private_key(key, data, &size)
                              : EVP_PKEY_get_raw_public_key(key, data, &size);
  if (ok != 1 || size != kKeySize) throw Error("OpenSSL could not export the Ed25519 key (key)");
  return out;
}

// A PEM block read by OpenSSL; nullptr when it is not one or not Ed25519.
Pkey read_pem(std::string_view text, bool private_part) {
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return nullptr;
  Pkey key(private_part ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                        : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return nullptr;
  return key;
}

std::string write_pem(EVP_PKEY* key, bool private_part) {
  Bio bio(BIO_new(BIO_s_mem()));
  const int ok = bio ? (private_part ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                                                nullptr, nullptr)
                                     : PEM_write_bio_PUBKEY(bio.get(), key))
                     : 0;
  if (ok != 1) throw Error("OpenSSL could not write the key as PEM (key)");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool is_pem(std::string_view text) { return starts_with(text, "-----BEGIN "); }

bool is_standard_webhooks(const Scheme& scheme) {
  return scheme.header_format == HeaderFormat::SpaceList;
}

} // namespace

std::string ed25519_sign(std::string_view seed, std::string_view message) {
  Pkey key = private_pkey(seed);
  MdCtx ctx(EVP_MD_CTX_new());
  std::string sig(kSignatureSize, '\0');
  std::size_t size = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, bytes(message),
                     message.size()) != 1 ||
      size != kSignatureSize)
    throw Error("OpenSSL could not sign with Ed25519 (key)");
  return sig;
}

bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature) {
  if (public_key.size() != kKeySize || signature.size() != kSignatureSize) return false;
  Pkey key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(public_key), public_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(message),
                          message.size()) == 1;
}

std::string ed25519_public_of(std::string_view seed) {
  return raw_key(private_pkey(seed).get(), false);
}

Ed25519Pair ed25519_generate() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) throw Error("OpenSSL could not make an Ed25519 key pair (keygen)");
  return {raw_key(key.get(), true), raw_key(key.get(), false)};
}

bool looks_like_ed25519_private(std::string_view text) {
  text = trim(text);
  return starts_with(text, "whsk_") || starts_with(text, "-----BEGIN PRIVATE KEY-----");
}

std::string parse_ed25519_private(std::string_view text, std::string_view where) {
  text = trim(text);
  const std::string at = " (" + std::string(where) + ")";
  if (is_pem(text)) {
    Pkey key = read_pem(text, true);
    if (!key) throw Error("the PEM block is not an Ed25519 PRIVATE KEY" + at);
    return raw_key(key.get(), true);
  }
  std::optional<std::string> raw;
  if (starts_with(text, "whsk_"))
    raw = base64_decode(text.substr(5));
  else if (text.size() == 2 * kKeySize || text.size() == 4 * kKeySize)
    raw = from_hex(text);
  if (!raw || (raw->size() != kKeySize && raw->size() != 2 * kKeySize))
    throw Error("the private key is not whsk_ + base64, 64 or 128 hex characters, or a PEM "
                "PRIVATE KEY" +
                at);
  const std::string seed = raw->substr(0, kKeySize);
  if (raw->size() == 2 * kKeySize &&
      !constant_time_equal(raw->substr(kKeySize), ed25519_public_of(seed)))
    throw Error("the private key's second half is not the public key of its first (a seed "
                "followed by its public key is expected)" +
                at);
  return seed;
}

std::string parse_ed25519_public(std::string_view text, std::string_view where) {
  text = trim(text);
  const std::string at = " (" + std::string(where) + ")";
  if (is_pem(text)) {
    if (starts_with(text, "-----BEGIN PRIVATE KEY-----"))
      throw Error("this is a private key: give the public one" + at);
    Pkey key = read_pem(text, false);
    if (!key) throw Error("the PEM block is not an Ed25519 PUBLIC KEY" + at);
    return raw_key(key.get(), false);
  }
  if (starts_with(text, "whsk_")) throw Error("whsk_ is the private key: give the whpk_ one" + at);
  std::optional<std::string> raw;
  if (starts_with(text, "whpk_"))
    raw = base64_decode(text.substr(5));
  else if (text.size() == 2 * kKeySize)
    raw = from_hex(text);
  else
    raw = base64_decode(text);
  if (!raw || raw->size() != kKeySize)
    throw Error("the public key is not 64 hex characters, whpk_ + base64, base64 of 32 bytes or "
                "a PEM PUBLIC KEY" +
                at);
  return *raw;
}

std::string format_ed25519_private(const Scheme& scheme, std::string_view seed) {
  if (is_standard_webhooks(scheme))
    return "whsk_" + base64_encode(std::string(seed) + ed25519_public_of(seed));
  return to_hex(seed);
}

std::string format_ed25519_public(const Scheme& scheme, std::string_view public_key) {
  if (is_standard_webhooks(scheme)) return "whpk_" + base64_encode(public_key);
  return to_hex(public_key);
}

std::string ed25519_private_pem(std::string_view seed) {
  return write_pem(private_pkey(seed).get(), true);
}

std::string ed25519_public_pem(std::string_view public_key) {
  Pkey key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(public_key), public_key.size()));
  if (!key) throw Error("an Ed25519 public key is 32 bytes (key)");
  return write_pem(key.get(), false);
}

bool has_ed25519_variant(const Scheme& scheme) {
  return scheme.signer == Signer::Ed25519 ||
         (is_standard_webhooks(scheme) && scheme.prefix == "v1");
}

Scheme ed25519_variant(const Scheme& scheme) {
  Scheme s = scheme;
  if (s.signer == Signer::Ed25519) return s;
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
  // "Asymmetric signatures": v1a, Ed25519 over the same id.timestamp.body, base64.
  s.signer = Signer::Ed25519;
  s.prefix = "v1a";
  s.key_format = KeyFormat::Ed25519;
  return s;
}

bool ed25519_matches(const Scheme& scheme, std::string_view public_key_text,
                     const Presented& presented, std::string_view body) {
  const std::string public_key = parse_ed25519_public(public_key_text, "--public-key");
  const std::string message = signed_message(scheme, presented.ctx, body);
  bool matched = false;
  for (const auto& candidate : presented.candidates) {
    std::string_view text = candidate;
    if (scheme.header_format == HeaderFormat::Plain && starts_with(text, scheme.prefix))
      text.remove_prefix(scheme.prefix.size());
    const auto sig = scheme.encoding == Encoding::Hex ? from_hex(text) : base64_decode(text);
    matched = (sig && ed25519_verify(public_key, message, *sig)) || matched; // no early exit
  }
  return matched;
}

namespace {

// Whether a candidate, decoded as `encoding`, verifies over `message`.
bool any_verifies(const std::vector<std::string>& candidates, Encoding encoding,
                  std::string_view public_key, std::string_view message) {
  for (const auto& c : candidates) {
    const auto sig = encoding == Encoding::Hex ? from_hex(c) : base64_decode(c);
    if (sig && ed25519_verify(public_key, message, *sig)) return true;
  }
  return false;
}

} // namespace

std::vector<Finding> diagnose_public_key(const Scheme& scheme, std::string_view key_text,
                                         const Presented& presented, std::string_view body) {
  std::vector<Finding> findings;
  if (scheme.signer == Signer::Hmac) {
    if (!has_ed25519_variant(scheme) || !presented.candidates.empty()) return findings;
    const std::string tag = ed25519_variant(scheme).prefix + ",";
    for (const auto& raw : presented.raw)
      if (starts_with(raw, tag)) {
        findings.push_back({"public-key-signature",
                            presented.header_name + " carries " + tag +
                                " (Ed25519) signatures: they are checked with the public key "
                                "(--public-key whpk_...), not a shared secret"});
        break;
      }
    return findings;
  }
  const std::string public_key = parse_ed25519_public(key_text, "--public-key");
  const std::string message = signed_message(scheme, presented.ctx, body);
  const Encoding other = scheme.encoding == Encoding::Hex ? Encoding::Base64 : Encoding::Hex;
  if (any_verifies(presented.candidates, scheme.encoding, public_key, body))
    findings.push_back(
        {"timestamp-not-prepended", "the signature is over the body alone: " + scheme.title +
                                        " signs " + describe_signed_content(scheme.content) +
                                        ", so the sender left out what comes before the body"});
  else if (any_verifies(presented.candidates, other, public_key, message))
    findings.push_back({"wrong-encoding", "the signature is written in " +
                                              std::string(encoding_name(other)) + "; " +
                                              scheme.title + " writes it in " +
                                              std::string(encoding_name(scheme.encoding))});
  else if (ends_with(body, "\n") && any_verifies(presented.candidates, scheme.encoding, public_key,
                                                 message.substr(0, message.size() - 1)))
    findings.push_back({"trailing-newline-added",
                        "the body has a trailing newline the sender did not sign (an editor or "
                        "echo added it): verify the bytes exactly as they arrived"});
  else if (any_verifies(presented.candidates, scheme.encoding, public_key, message + "\n"))
    findings.push_back({"trailing-newline-removed",
                        "the sender signed the body with a trailing newline that is missing here"});
  if (findings.empty())
    findings.push_back({"unexplained",
                        "no common mistake explains it: most likely the public key is not the "
                        "one of the key that signed, or the body was changed on the way"});
  return findings;
}

} // namespace hooktool
