// Unit tests for core/signature/public_key: Ed25519 against RFC 8032 section 7.1, the key formats,
// and the discord and Standard Webhooks v1a schemes signed and verified.
#include <doctest/doctest.h>

#include <string>

#include "core/signature/public_key.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

using namespace hooktool;

namespace {

std::string hex(std::string_view text) { return from_hex(text).value(); }

struct Vector {
  const char* name;
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1, 2 and 3 (https://www.rfc-editor.org/rfc/rfc8032#section-7.1).
const Vector kRfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

const Scheme& scheme(const char* name) { return *find_scheme(name); }

} // namespace

TEST_CASE("Ed25519 signs and verifies the RFC 8032 section 7.1 vectors") {
  for (const auto& v : kRfc8032) {
    CAPTURE(v.name);
    const std::string seed = hex(v.secret);
    const std::string message = hex(v.message);
    CHECK(to_hex(ed25519_public_of(seed)) == v.public_key);
    CHECK(to_hex(ed25519_sign(seed, message)) == v.signature);
    CHECK(ed25519_verify(hex(v.public_key), message, hex(v.signature)));
    std::string tampered = hex(v.signature);
    tampered[5] = static_cast<char>(tampered[5] ^ 1);
    CHECK_FALSE(ed25519_verify(hex(v.public_key), message, tampered));
    CHECK_FALSE(ed25519_verify(hex(v.public_key), message + "x", hex(v.signature)));
    CHECK_FALSE(ed25519_verify(hex(v.public_key), message, hex(v.signature).substr(0, 63)));
  }
  // A signature under TEST 1's key does not verify under TEST 2's.
  CHECK_FALSE(ed25519_verify(hex(kRfc8032[1].public_key), "", hex(kRfc8032[0].signature)));
}

TEST_CASE("private keys are read in the providers' formats and PEM, giving the seed") {
  const std::string seed = hex(kRfc8032[0].secret);
  const std::string pub = hex(kRfc8032[0].public_key);
  CHECK(parse_ed25519_private(kRfc8032[0].secret, "key") == seed);
  CHECK(parse_ed25519_private(std::string(kRfc8032[0].secret) + kRfc8032[0].public_key, "key") ==
        seed);
  CHECK(parse_ed25519_private("whsk_" + base64_encode(seed + pub), "key") == seed);
  CHECK(parse_ed25519_private("whsk_" + base64_encode(seed), "key") == seed);
  const std::string pem = ed25519_private_pem(seed);
  CHECK(starts_with(pem, "-----BEGIN PRIVATE KEY-----\n"));
  CHECK(parse_ed25519_private(pem, "key") == seed);
  CHECK(format_ed25519_private(scheme("standard"), seed) == "whsk_" + base64_encode(seed + pub));
  CHECK(format_ed25519_private(scheme("discord"), seed) == kRfc8032[0].secret);

  // A mismatched public half, a key of the wrong size, a public PEM: refused, the key not quoted.
  const std::string wrong_half = std::string(kRfc8032[0].secret) + kRfc8032[1].public_key;
  CHECK_THROWS_WITH_AS(parse_ed25519_private(wrong_half, "key"),
                       doctest::Contains("second half is not the public key"), Error);
  try {
    parse_ed25519_private("whsk_c2hvcnQ=", "--key-file");
    FAIL("accepted a 5-byte key");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "the private key is not whsk_ + base64, 64 or 128 hex characters, or a PEM PRIVATE KEY "
          "(--key-file)");
  }
  CHECK_THROWS_AS(parse_ed25519_private(ed25519_public_pem(pub), "key"), Error);
}

TEST_CASE("public keys are read as hex, whpk_, base64 and PEM") {
  const std::string pub = hex(kRfc8032[0].public_key);
  CHECK(parse_ed25519_public(kRfc8032[0].public_key, "--public-key") == pub);
  CHECK(parse_ed25519_public("whpk_" + base64_encode(pub), "--public-key") == pub);
  CHECK(parse_ed25519_public(base64_encode(pub), "--public-key") == pub);
  const std::string pem = ed25519_public_pem(pub);
  CHECK(starts_with(pem, "-----BEGIN PUBLIC KEY-----\n"));
  CHECK(parse_ed25519_public(pem + "\n", "--public-key") == pub);
  CHECK(format_ed25519_public(scheme("standard"), pub) == "whpk_" + base64_encode(pub));
  CHECK(format_ed25519_public(scheme("discord"), pub) == kRfc8032[0].public_key);
  CHECK_THROWS_WITH_AS(parse_ed25519_public("whsk_" + base64_encode(pub + pub), "--public-key"),
                       "whsk_ is the private key: give the whpk_ one (--public-key)", Error);
  CHECK_THROWS_WITH_AS(
      parse_ed25519_public(ed25519_private_pem(hex(kRfc8032[0].secret)), "--public-key"),
      "this is a private key: give the public one (--public-key)", Error);
  CHECK_THROWS_AS(parse_ed25519_public("abcd", "--public-key"), Error);
}

TEST_CASE("a generated pair signs what its public half verifies") {
  const Ed25519Pair pair = ed25519_generate();
  REQUIRE(pair.seed.size() == 32);
  CHECK(ed25519_public_of(pair.seed) == pair.public_key);
  CHECK(ed25519_verify(pair.public_key, "m", ed25519_sign(pair.seed, "m")));
  CHECK(ed25519_generate().seed != pair.seed);
}

TEST_CASE("discord signs timestamp + body, hex, in X-Signature-Ed25519") {
  const Scheme& discord = scheme("discord");
  const std::string seed = hex(kRfc8032[0].secret);
  SigningContext ctx;
  ctx.timestamp = 1700000000;
  const std::string body = R"({"type":1})";
  const Signature sig =
      sign(discord, derive_key(discord.key_format, kRfc8032[0].secret), ctx, body);
  CHECK(sig.encoded_mac == to_hex(ed25519_sign(seed, "1700000000" + body)));
  REQUIRE(sig.headers.size() == 2);
  CHECK(sig.headers[0].name == "X-Signature-Timestamp");
  CHECK(sig.headers[0].value == "1700000000");
  CHECK(sig.headers[1].name == "X-Signature-Ed25519");
  CHECK(sig.headers[1].value == sig.encoded_mac);
  CHECK(describe_scheme(discord) == "Ed25519 of {timestamp}{body}, hex, public key to verify");

  VerifyOptions options;
  options.now = 1700000000;
  const Presented presented = extract_presented(discord, sig.headers, std::nullopt, {});
  CHECK(verify(discord, kRfc8032[0].public_key, KeyFormat::Raw, presented, body, options).valid);
  const VerifyResult tampered =
      verify(discord, kRfc8032[0].public_key, KeyFormat::Raw, presented, body + " ", options);
  CHECK_FALSE(tampered.valid);
  CHECK(tampered.reason == "signature does not match");
  CHECK_FALSE(
      verify(discord, kRfc8032[1].public_key, KeyFormat::Raw, presented, body, options).valid);
}

TEST_CASE("Standard Webhooks v1a signs id.timestamp.body with Ed25519, base64") {
  const Scheme& standard = scheme("standard");
  REQUIRE(has_ed25519_variant(standard));
  CHECK_FALSE(has_ed25519_variant(scheme("github")));
  const Scheme v1a = ed25519_variant(standard);
  CHECK(v1a.prefix == "v1a");
  const std::string seed = hex(kRfc8032[2].secret);
  const std::string whsk = format_ed25519_private(standard, seed);
  const std::string whpk = format_ed25519_public(standard, hex(kRfc8032[2].public_key));
  SigningContext ctx;
  ctx.timestamp = 1700000000;
  ctx.id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const std::string body = R"({"type":"contact.created"})";
  const Signature sig = sign(v1a, derive_key(v1a.key_format, whsk), ctx, body);
  CHECK(sig.encoded_mac ==
        base64_encode(ed25519_sign(seed, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000." + body)));
  REQUIRE(sig.headers.size() == 3);
  CHECK(sig.headers[2].name == "webhook-signature");
  CHECK(sig.headers[2].value == "v1a," + sig.encoded_mac);

  VerifyOptions options;
  options.now = 1700000000;
  // v1 and v1a entries side by side: each key checks its own kind.
  std::vector<Header> headers = sig.headers;
  headers[2].value = "v1,bm90IHRoaXMgb25l " + headers[2].value;
  const Presented p = extract_presented(v1a, headers, std::nullopt, {});
  CHECK(p.candidates.size() == 1);
  CHECK(verify(v1a, whpk, KeyFormat::Raw, p, body, options).valid);
  options.now = 1700000000 + 301;
  const VerifyResult stale = verify(v1a, whpk, KeyFormat::Raw, p, body, options);
  CHECK_FALSE(stale.valid);
  CHECK(stale.reason == "timestamp too old: 301 s before now (tolerance 300 s, --tolerance)");
}

TEST_CASE("the diagnosis of an Ed25519 signature names the public-key mistakes") {
  const Scheme& discord = scheme("discord");
  const std::string seed = hex(kRfc8032[0].secret);
  const std::string body = R"({"type":1})";
  VerifyOptions options;
  options.now = 1700000000;
  auto findings = [&](const std::string& signature_header, const std::string& checked_body) {
    const std::vector<Header> headers = {{"X-Signature-Timestamp", "1700000000"},
                                         {"X-Signature-Ed25519", signature_header}};
    const Presented p = extract_presented(discord, headers, std::nullopt, {});
    const VerifyResult r =
        verify(discord, kRfc8032[0].public_key, KeyFormat::Raw, p, checked_body, options);
    CHECK_FALSE(r.valid);
    REQUIRE(r.findings.size() == 1);
    return r.findings.front();
  };
  const Finding body_only = findings(to_hex(ed25519_sign(seed, body)), body);
  CHECK(body_only.code == "timestamp-not-prepended");
  CHECK(body_only.message ==
        "the signature is over the body alone: Discord interactions signs "
        "{timestamp}{body}, so the sender left out what comes before the body");
  const Finding base64 = findings(base64_encode(ed25519_sign(seed, "1700000000" + body)), body);
  CHECK(base64.code == "wrong-encoding");
  CHECK(base64.message ==
        "the signature is written in base64; Discord interactions writes it in hex");
  const std::string good = to_hex(ed25519_sign(seed, "1700000000" + body));
  CHECK(findings(good, body + "\n").code == "trailing-newline-added");
  CHECK(findings(to_hex(ed25519_sign(seed, "1700000000" + body + "\n")), body).code ==
        "trailing-newline-removed");
  CHECK(findings(to_hex(ed25519_sign(hex(kRfc8032[1].secret), "1700000000" + body)), body).code ==
        "unexplained");

  // A shared secret given for a header that carries only v1a entries.
  const Scheme v1a = ed25519_variant(scheme("standard"));
  SigningContext ctx;
  ctx.timestamp = 1700000000;
  ctx.id = "msg_1";
  const Signature sig = sign(v1a, seed, ctx, body);
  const Presented p = extract_presented(scheme("standard"), sig.headers, std::nullopt, {});
  const VerifyResult r = verify(scheme("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                KeyFormat::WhsecBase64, p, body, options);
  CHECK(r.reason == "no v1, signature in webhook-signature");
  REQUIRE_FALSE(r.findings.empty());
  CHECK(r.findings.front().code == "public-key-signature");
  CHECK(r.findings.front().message ==
        "webhook-signature carries v1a, (Ed25519) signatures: they are checked with the public "
        "key (--public-key whpk_...), not a shared secret");
  for (const auto& f : r.findings)
    CHECK(f.code != "unexplained");
}
