// Unit tests for core/signature with the built-in schemes of core/scheme.
//
// Every vector comes from shared/reference/signature-schemes.md (ID in the test name). Each is
// checked both ways: signing (compute_mac + encode_mac + render_headers give the exact header
// values) and verifying (parse_header_line + extract_presented + verify say valid).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/payload.hpp"
#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"

using namespace hooktool;

namespace {

const Scheme& scheme(std::string_view name) {
  const Scheme* s = find_scheme(name);
  REQUIRE_MESSAGE(s != nullptr, "no built-in scheme " << std::string(name));
  return *s;
}

SigningContext ctx_of(std::optional<std::int64_t> ts, std::string id = {}, std::string url = {}) {
  SigningContext ctx;
  ctx.timestamp = ts;
  ctx.id = std::move(id);
  ctx.url = std::move(url);
  return ctx;
}

// Signs like `hooktool sign`: derive the key, MAC, encode, render the headers.
std::vector<Header> sign_headers(const Scheme& s, std::string_view secret, KeyFormat format,
                                 const SigningContext& ctx, std::string_view body) {
  const std::string key = derive_key(format, secret);
  return render_headers(s, encode_mac(s, compute_mac(s, key, ctx, body)), ctx);
}

std::string value_of(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return h.value;
  return "<absent " + std::string(name) + ">";
}

std::vector<std::string> names_of(const std::vector<Header>& headers) {
  std::vector<std::string> names;
  for (const auto& h : headers) names.push_back(h.name);
  return names;
}

Presented presented_from(const Scheme& s, const std::vector<std::string>& lines,
                         const SigningContext& explicit_ctx = {}) {
  std::vector<Header> headers;
  for (const auto& line : lines) headers.push_back(parse_header_line(line, "test"));
  return extract_presented(s, headers, std::nullopt, explicit_ctx);
}

// Verifies like `hooktool verify --header ...`.
VerifyResult verify_lines(const Scheme& s, std::string_view secret, KeyFormat format,
                          const std::vector<std::string>& lines, std::string_view body,
                          std::int64_t now, const SigningContext& explicit_ctx = {},
                          std::optional<std::int64_t> tolerance = std::nullopt) {
  const Presented p = presented_from(s, lines, explicit_ctx);
  VerifyOptions options;
  options.now = now;
  options.tolerance_s = tolerance;
  return verify(s, secret, format, p, body, options);
}

bool has_finding(const VerifyResult& r, std::string_view code) {
  for (const auto& f : r.findings)
    if (f.code == code) return true;
  return false;
}

#define CHECK_VALID(result)           \
  do {                                \
    const VerifyResult& r_ = (result); \
    INFO("reason: " << r_.reason);    \
    CHECK(r_.valid);                  \
    CHECK(r_.reason.empty());         \
    CHECK(r_.findings.empty());       \
  } while (false)

// ---- Vectors (reference section 3) ----

// SW-1
const std::string kSw1Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSw1Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kSw1Ts = 1614265330;
const std::string kSw1Body = R"({"test": 2432232314})";
const std::string kSw1Sig = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// SW-3 rotation: the new secret's signature of the SW-1 message.
const std::string kSw3NewSecret = "whsec_YW5vdGhlci0yNC1ieXRlLXNlY3JldCEh";
const std::string kSw3NewSig = "2NoWYYnx3BnNfUw9ADePU92Kj9eQ9fkLrh19WnUJQH4=";

// ST-1
const std::string kStripeSecret = "whsec_test_secret";
constexpr std::int64_t kStripeTs = 1700000000;
const std::string kSt1Body = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
const std::string kSt1Sig = "4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150";
// ST-2
const std::string kSt2Body = R"({"id":"evt_1","object":"event"})";
const std::string kSt2Sig = "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";

// SL-1
const std::string kSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::int64_t kSlackTs = 1531420618;
const std::string kSlackBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib"
    "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const std::string kSlackSig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

// PD-1
const std::string kPaddleSecret = "pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI";
constexpr std::int64_t kPaddleTs = 1700000000;
const std::string kPaddleBody =
    R"({"event_id":"evt_01hv8x2acma2gz3we5sw3x4vz6","event_type":"transaction.completed",)"
    R"("occurred_at":"2023-11-14T22:13:20.000000Z","notification_id":"ntf_01hv8x2af6ckcqz6rxbvd1j0ab",)"
    R"("data":{"id":"txn_01hv8wptq8987qeep44cyrewp9"}})";
const std::string kPaddleSig = "50f910e1c6cc5fa726bb1743a66eb8f764ba7f226434f000249857b33bc9edb5";

// LN-1
const std::string kLinearSecret = "lin_wh_demo_secret";
const std::string kLinearBody =
    R"({"action":"create","type":"Issue","data":{"id":"a1b2"},"webhookTimestamp":1700000000000})";
const std::string kLinearSig = "f3006ca4e026cda822e9499fac40b8a950ea7bcbf479462d5eda3201e319f92d";

// A clearly wrong signature of the right shape (64 hex digits).
const std::string kBadHex(64, '0');

}  // namespace

// ---------------------------------------------------------------------------------------------
// Standard Webhooks / Svix / GitLab signing token
// ---------------------------------------------------------------------------------------------

TEST_CASE("Standard Webhooks SW-1 signs and verifies") {
  const Scheme& s = scheme("standard");
  CHECK(kSw1Body.size() == 20);
  SUBCASE("key derivation strips whsec_ and base64-decodes") {
    CHECK(to_hex(derive_key(KeyFormat::WhsecBase64, kSw1Secret)) ==
          "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0");
    CHECK(to_hex(derive_key(KeyFormat::WhsecBase64, kSw1Secret.substr(6))) ==
          "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0");
  }
  SUBCASE("sign") {
    auto headers = sign_headers(s, kSw1Secret, s.key_format, ctx_of(kSw1Ts, kSw1Id), kSw1Body);
    CHECK(names_of(headers) ==
          std::vector<std::string>{"webhook-id", "webhook-timestamp", "webhook-signature"});
    CHECK(value_of(headers, "webhook-id") == kSw1Id);
    CHECK(value_of(headers, "webhook-timestamp") == "1614265330");
    CHECK(value_of(headers, "webhook-signature") == "v1," + kSw1Sig);
    CHECK(display_prefix(s) == "v1,");
  }
  SUBCASE("verify with webhook-* headers") {
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format,
                             {"webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
                              "webhook-signature: v1," + kSw1Sig},
                             kSw1Body, kSw1Ts + 1));
  }
  SUBCASE("verify with svix-* headers") {
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format,
                             {"svix-id: " + kSw1Id, "svix-timestamp: 1614265330",
                              "svix-signature: v1," + kSw1Sig},
                             kSw1Body, kSw1Ts));
  }
  SUBCASE("header names are case-insensitive") {
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format,
                             {"Webhook-Id: " + kSw1Id, "WEBHOOK-TIMESTAMP: 1614265330",
                              "Webhook-Signature: v1," + kSw1Sig},
                             kSw1Body, kSw1Ts));
  }
  SUBCASE("unknown versions in the list are skipped") {
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format,
                             {"webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
                              "webhook-signature: v2,AAAA v1," + kSw1Sig},
                             kSw1Body, kSw1Ts));
  }
  SUBCASE("a changed body fails") {
    auto r = verify_lines(s, kSw1Secret, s.key_format,
                          {"webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
                           "webhook-signature: v1," + kSw1Sig},
                          R"({"test": 2432232315})", kSw1Ts);
    CHECK_FALSE(r.valid);
    CHECK(r.reason == "signature does not match");
  }
}

TEST_CASE("Standard Webhooks SW-3 spec body and rotation header") {
  const Scheme& s = scheme("standard");
  SUBCASE("spec-example body: sign") {
    const std::string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    const std::string body =
        R"({"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}})";
    CHECK(body.size() == 121);
    auto headers = sign_headers(s, kSw1Secret, s.key_format, ctx_of(1674087231, id), body);
    CHECK(value_of(headers, "webhook-signature") == "v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=");
    CHECK(value_of(headers, "webhook-timestamp") == "1674087231");
    CHECK(value_of(headers, "webhook-id") == id);
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format,
                             {"webhook-id: " + id, "webhook-timestamp: 1674087231",
                              "webhook-signature: v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ="},
                             body, 1674087231 - 30));
  }
  SUBCASE("the new secret signs the first rotation entry") {
    auto headers = sign_headers(s, kSw3NewSecret, s.key_format, ctx_of(kSw1Ts, kSw1Id), kSw1Body);
    CHECK(value_of(headers, "webhook-signature") == "v1," + kSw3NewSig);
  }
  const std::vector<std::string> rotation = {
      "webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
      "webhook-signature: v1," + kSw3NewSig + " v1," + kSw1Sig};
  SUBCASE("rotation header verifies with the new secret") {
    CHECK_VALID(verify_lines(s, kSw3NewSecret, s.key_format, rotation, kSw1Body, kSw1Ts));
  }
  SUBCASE("rotation header verifies with the old secret") {
    CHECK_VALID(verify_lines(s, kSw1Secret, s.key_format, rotation, kSw1Body, kSw1Ts));
  }
  SUBCASE("rotation header fails with a third secret") {
    auto r = verify_lines(s, "whsec_" + base64_encode("some-other-24-byte-key!!"), s.key_format,
                          rotation, kSw1Body, kSw1Ts);
    CHECK_FALSE(r.valid);
  }
}

TEST_CASE("GitLab signing token GL-1 signs and verifies") {
  const Scheme& s = scheme("standard");
  const std::string secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  const std::string id = "0b6bdb4e-3f0a-4a8e-9a0e-6f6b8b1f2c3d";
  const std::string body =
      R"({"object_kind":"push","ref":"refs/heads/main","project":{"path_with_namespace":"group/project"}})";
  const std::string sig = "v1,SvNVMEQ3brjtOZYzWCkiFgPabZ8Ue0S5UpIC04l4UYA=";
  CHECK(body.size() == 96);
  CHECK(derive_key(KeyFormat::WhsecBase64, secret) == "0123456789abcdef0123456789abcdef");
  SUBCASE("sign") {
    auto headers = sign_headers(s, secret, s.key_format, ctx_of(1700000000, id), body);
    CHECK(value_of(headers, "webhook-signature") == sig);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, secret, s.key_format,
                             {"webhook-id: " + id, "webhook-timestamp: 1700000000",
                              "webhook-signature: " + sig},
                             body, 1700000000 + 100));
  }
}

// ---------------------------------------------------------------------------------------------
// Stripe
// ---------------------------------------------------------------------------------------------

TEST_CASE("Stripe ST-1 and ST-2 sign and verify") {
  const Scheme& s = scheme("stripe");
  CHECK(kSt1Body.size() == 51);
  CHECK(kSt2Body.size() == 31);
  CHECK(to_hex(sha256(kSt1Body)) == "b5d1269472e8074df9f095c4ca5d33b232e828ead93f4f8f676df648141b998e");
  SUBCASE("ST-1 sign") {
    auto headers = sign_headers(s, kStripeSecret, KeyFormat::Raw, ctx_of(kStripeTs), kSt1Body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "Stripe-Signature");
    CHECK(headers[0].value == "t=1700000000,v1=" + kSt1Sig);
  }
  SUBCASE("ST-1 verify") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"Stripe-Signature: t=1700000000,v1=" + kSt1Sig}, kSt1Body, kStripeTs + 10));
  }
  SUBCASE("ST-2 sign") {
    auto headers = sign_headers(s, kStripeSecret, KeyFormat::Raw, ctx_of(kStripeTs), kSt2Body);
    CHECK(value_of(headers, "Stripe-Signature") == "t=1700000000,v1=" + kSt2Sig);
  }
  SUBCASE("ST-2 verify") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"stripe-signature: t=1700000000,v1=" + kSt2Sig}, kSt2Body, kStripeTs));
  }
  SUBCASE("a bare --signature with an explicit timestamp") {
    Presented p = extract_presented(s, {}, kSt2Sig, ctx_of(kStripeTs));
    VerifyOptions o;
    o.now = kStripeTs;
    CHECK_VALID(verify(s, kStripeSecret, KeyFormat::Raw, p, kSt2Body, o));
  }
}

TEST_CASE("Stripe uses the whsec_ secret verbatim, Standard Webhooks decodes it") {
  SUBCASE("derive_key Raw keeps the whole string") {
    CHECK(derive_key(KeyFormat::Raw, kStripeSecret) == kStripeSecret);
    CHECK(scheme("stripe").key_format == KeyFormat::Raw);
  }
  SUBCASE("derive_key WhsecBase64 decodes after the prefix") {
    CHECK(scheme("standard").key_format == KeyFormat::WhsecBase64);
    CHECK(derive_key(KeyFormat::WhsecBase64, kSw1Secret) != kSw1Secret);
    CHECK(derive_key(KeyFormat::WhsecBase64, kSw1Secret).size() == 24);
  }
  SUBCASE("a whsec_ secret signs Stripe verbatim") {
    // printf '%s' '1700000000.{"id":"evt_1","object":"event"}' |
    //   openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    const std::string sig = "1e58533e9136e20e64d0cc6a7d309ac7aeb8c42d5cfa02e63055723957723ba6";
    const Scheme& s = scheme("stripe");
    CHECK(value_of(sign_headers(s, kSw1Secret, KeyFormat::Raw, ctx_of(kStripeTs), kSt2Body),
                   "Stripe-Signature") == "t=1700000000,v1=" + sig);
    CHECK_VALID(verify_lines(s, kSw1Secret, KeyFormat::Raw, {"Stripe-Signature: t=1700000000,v1=" + sig},
                             kSt2Body, kStripeTs));
    // The same secret base64-decoded (the Standard Webhooks way) does not match.
    auto r = verify_lines(s, kSw1Secret, KeyFormat::WhsecBase64,
                          {"Stripe-Signature: t=1700000000,v1=" + sig}, kSt2Body, kStripeTs);
    CHECK_FALSE(r.valid);
    // --key-format whsec overrode Stripe's own way: the one finding says to drop it, and no
    // "another scheme (calendly)" that signs the same bytes the same way.
    CHECK_FALSE(has_finding(r, "wrong-scheme"));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "key-format");
    CHECK(r.findings[0].message == "it matches the secret read the way Stripe reads it (the whole "
                                   "secret, verbatim): drop --key-format whsec");
  }
  SUBCASE("whsec_test_secret is not base64 after the prefix, so decoding it throws") {
    // "test_secret" leaves non-zero trailing bits (`printf test_secret | base64 -d` fails too).
    CHECK_THROWS_AS(derive_key(KeyFormat::WhsecBase64, kStripeSecret), Error);
  }
  SUBCASE("other key formats") {
    CHECK(derive_key(KeyFormat::Base64, "Zm9vYmFy") == "foobar");
    CHECK(derive_key(KeyFormat::Hex, "666f6f626172") == "foobar");
  }
}

TEST_CASE("Stripe accepts any of several v1 signatures and ignores v0") {
  const Scheme& s = scheme("stripe");
  SUBCASE("bad v1 first, good v1 second") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"Stripe-Signature: t=1700000000,v1=" + kBadHex + ",v1=" + kSt2Sig},
                             kSt2Body, kStripeTs));
  }
  SUBCASE("good v1 first, bad v1 second, a v0 at the end") {
    CHECK_VALID(verify_lines(
        s, kStripeSecret, KeyFormat::Raw,
        {"Stripe-Signature: t=1700000000,v1=" + kSt2Sig + ",v1=" + kBadHex + ",v0=" + kBadHex},
        kSt2Body, kStripeTs));
  }
  SUBCASE("spaces around items are tolerated") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"Stripe-Signature: t=1700000000, v1=" + kSt2Sig}, kSt2Body, kStripeTs));
  }
  SUBCASE("the right MAC under v0 does not count (no downgrade)") {
    auto r = verify_lines(s, kStripeSecret, KeyFormat::Raw,
                          {"Stripe-Signature: t=1700000000,v0=" + kSt2Sig}, kSt2Body, kStripeTs);
    CHECK_FALSE(r.valid);
  }
  SUBCASE("extract_presented collects every v1 as a candidate") {
    Presented p = presented_from(
        s, {"Stripe-Signature: t=1700000000,v1=aa,v1=bb,v0=cc"});
    CHECK(p.candidates == std::vector<std::string>{"aa", "bb"});
    REQUIRE(p.ctx.timestamp);
    CHECK(*p.ctx.timestamp == 1700000000);
    CHECK(p.raw.size() == 4);
  }
}

// ---------------------------------------------------------------------------------------------
// Body-only schemes
// ---------------------------------------------------------------------------------------------

TEST_CASE("GitHub GH-1 signs and verifies both headers") {
  const std::string secret = "It's a Secret to Everybody";
  const std::string body = "Hello, World!";
  const std::string sig256 = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  const std::string sig1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
  const std::vector<std::string> lines = {"X-Hub-Signature-256: " + sig256, "X-Hub-Signature: " + sig1};
  SUBCASE("sign sha256") {
    auto headers = sign_headers(scheme("github"), secret, KeyFormat::Raw, {}, body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-Hub-Signature-256");
    CHECK(headers[0].value == sig256);
  }
  SUBCASE("sign legacy sha1") {
    auto headers = sign_headers(scheme("github-sha1"), secret, KeyFormat::Raw, {}, body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-Hub-Signature");
    CHECK(headers[0].value == sig1);
  }
  SUBCASE("verify sha256 with both headers present") {
    CHECK_VALID(verify_lines(scheme("github"), secret, KeyFormat::Raw, lines, body, 0));
  }
  SUBCASE("verify legacy sha1 with both headers present") {
    CHECK_VALID(verify_lines(scheme("github-sha1"), secret, KeyFormat::Raw, lines, body, 0));
  }
}

TEST_CASE("GitHub GH-2 signs and verifies both headers") {
  const std::string secret = "mysecret";
  const std::string body = R"({"foo":"bar"})";
  const std::string sig256 = "sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3";
  const std::string sig1 = "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8";
  SUBCASE("sign") {
    CHECK(value_of(sign_headers(scheme("github"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature-256") == sig256);
    CHECK(value_of(sign_headers(scheme("github-sha1"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature") == sig1);
  }
  SUBCASE("verify") {
    const std::vector<std::string> lines = {"X-Hub-Signature: " + sig1, "X-Hub-Signature-256: " + sig256};
    CHECK_VALID(verify_lines(scheme("github"), secret, KeyFormat::Raw, lines, body, 0));
    CHECK_VALID(verify_lines(scheme("github-sha1"), secret, KeyFormat::Raw, lines, body, 0));
  }
}

TEST_CASE("Meta MT-1 verifies via the github schemes") {
  const std::string secret = "meta_app_secret_demo";
  const std::string body = R"({"object":"page","entry":[{"id":"1","time":1700000000}]})";
  const std::string sig256 = "sha256=9b1de084b1ddf1d3a7e0a59d07d3348d70b2f8541cbb3452f8fa97fd983f8c87";
  const std::string sig1 = "sha1=23b238ffb9fa02e90aab1a2ee2fe183b22f54afe";
  SUBCASE("sign") {
    CHECK(value_of(sign_headers(scheme("github"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature-256") == sig256);
    CHECK(value_of(sign_headers(scheme("github-sha1"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature") == sig1);
  }
  SUBCASE("verify") {
    const std::vector<std::string> lines = {"X-Hub-Signature-256: " + sig256, "X-Hub-Signature: " + sig1};
    CHECK_VALID(verify_lines(scheme("github"), secret, KeyFormat::Raw, lines, body, 0));
    CHECK_VALID(verify_lines(scheme("github-sha1"), secret, KeyFormat::Raw, lines, body, 0));
  }
}

namespace {
struct BodyVector {
  const char* id;
  const char* scheme;
  std::string secret;
  std::string body;
  const char* header;
  std::string value;
  size_t len;  // 0 when the reference gives none
};

void check_body_vector(const BodyVector& v) {
  INFO("vector " << v.id);
  const Scheme& s = scheme(v.scheme);
  if (v.len != 0) CHECK(v.body.size() == v.len);
  auto headers = sign_headers(s, v.secret, KeyFormat::Raw, {}, v.body);
  REQUIRE(headers.size() == 1);
  CHECK(headers[0].name == v.header);
  CHECK(headers[0].value == v.value);
  CHECK_VALID(verify_lines(s, v.secret, KeyFormat::Raw, {std::string(v.header) + ": " + v.value},
                           v.body, 1700000000));
}
}  // namespace

TEST_CASE("body-only vectors sign and verify") {
  SUBCASE("SH-1 Shopify") {
    check_body_vector({"SH-1", "shopify", "test-webhook-secret",
                       R"({"id":1234567890,"email":"customer@example.com","total_price":"123.45"})",
                       "X-Shopify-Hmac-Sha256", "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=", 71});
  }
  SUBCASE("SH-1 Shopify with the Events-style header name") {
    CHECK_VALID(verify_lines(
        scheme("shopify"), "test-webhook-secret", KeyFormat::Raw,
        {"shopify-hmac-sha256: QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw="},
        R"({"id":1234567890,"email":"customer@example.com","total_price":"123.45"})", 0));
  }
  SUBCASE("WP-1 Wisepops") {
    check_body_vector(
        {"WP-1", "wisepops", "wp_demo_api_key_0123456789abcdef",
         R"([{"collected_at":"2024-01-15T10:30:00.000Z","wisepop_id":12345,"ip":"203.0.113.7","country_code":"FR","fields":{"email":"jane@example.com"}}])",
         "X-Wisepops-Signature", "198cc57e1d1535601e718ad75343b21b35b00908e73203017e1f07c31b94ddfa",
         141});
  }
  SUBCASE("WT-1 Wootric") {
    check_body_vector(
        {"WT-1", "wootric", "09dfb1b73af998743fb011f8bfda8912",
         R"({"response":{"id":1128,"email":"nps@example.com","score":7},"event_name":"created","timestamp":"2016-08-04T13:57:31.329-07:00","account_token":"NPS-xxxxxxxx","survey_mode":"NPS"})",
         "X-Wootric-Signature", "sha1=4f10daa397edc1dedf97dbc0e262dfe896dd0fd8", 178});
  }
  SUBCASE("IC-1 Intercom") {
    check_body_vector(
        {"IC-1", "intercom", "intercom_client_secret_demo",
         R"({"type":"notification_event","topic":"ping","data":{"item":{"type":"ping","message":"hello"}}})",
         "X-Hub-Signature", "sha1=ff8b5dbaa6e6b31ecf2cfdcb493da534d5bf4ebf", 0});
  }
  SUBCASE("TF-1 Typeform") {
    check_body_vector(
        {"TF-1", "typeform", "typeform_demo_secret",
         R"({"event_id":"01HXYZ","event_type":"form_response","form_response":{"form_id":"abc123"}})",
         "Typeform-Signature", "sha256=iFYjXchWdjvLqbscuwv8UpqUQPiQ5GxqFNHF9vxrW6Y=", 0});
  }
  SUBCASE("BB-1 Bitbucket") {
    check_body_vector(
        {"BB-1", "bitbucket", "bitbucket_demo_secret",
         R"({"push":{"changes":[]},"repository":{"full_name":"team/repo"}})", "X-Hub-Signature",
         "sha256=9bf8e052d7d2a8fee573764f70992b1178731383da400ccb9772d3c21e010a77", 0});
  }
  SUBCASE("AS-1 Asana") {
    check_body_vector({"AS-1", "asana",
                       "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81",
                       R"({"events":[]})", "X-Hook-Signature",
                       "10468027b67df18c739cc4794c6fc2d2806dcaaf2259fc3e1ed9d26433659853", 0});
  }
  SUBCASE("LN-1 Linear (signature only; freshness below)") {
    const Scheme& s = scheme("linear");
    auto headers = sign_headers(s, kLinearSecret, KeyFormat::Raw, {}, kLinearBody);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "Linear-Signature");
    CHECK(headers[0].value == kLinearSig);
    CHECK_VALID(verify_lines(s, kLinearSecret, KeyFormat::Raw, {"Linear-Signature: " + kLinearSig},
                             kLinearBody, 1700000000 + 30));
  }
}

TEST_CASE("generic HMAC scheme GEN-1 in hex and base64") {
  const std::string secret = "generic_demo_secret";
  const std::string body = R"({"id":1})";
  SUBCASE("hex") {
    Scheme s = make_hmac_scheme(Algo::Sha256, Encoding::Hex, "", "X-Signature");
    auto headers = sign_headers(s, secret, KeyFormat::Raw, {}, body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-Signature");
    CHECK(headers[0].value == "6d4259ff154d9c0b67b70c40e32fbb4fc50491692fd5d76fd027ef852f283169");
    CHECK_VALID(verify_lines(
        s, secret, KeyFormat::Raw,
        {"X-Signature: 6d4259ff154d9c0b67b70c40e32fbb4fc50491692fd5d76fd027ef852f283169"}, body, 0));
  }
  SUBCASE("base64") {
    Scheme s = make_hmac_scheme(Algo::Sha256, Encoding::Base64, "", "X-WC-Webhook-Signature");
    auto headers = sign_headers(s, secret, KeyFormat::Raw, {}, body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-WC-Webhook-Signature");
    CHECK(headers[0].value == "bUJZ/xVNnAtntwxA4y+7T8UEkWkv1ddv0CfvhS8oMWk=");
    CHECK_VALID(verify_lines(s, secret, KeyFormat::Raw,
                             {"X-WC-Webhook-Signature: bUJZ/xVNnAtntwxA4y+7T8UEkWkv1ddv0CfvhS8oMWk="},
                             body, 0));
  }
  SUBCASE("with a prefix") {
    Scheme s = make_hmac_scheme(Algo::Sha256, Encoding::Hex, "sha256=", "X-Sig");
    CHECK(value_of(sign_headers(s, secret, KeyFormat::Raw, {}, body), "X-Sig") ==
          "sha256=6d4259ff154d9c0b67b70c40e32fbb4fc50491692fd5d76fd027ef852f283169");
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamped schemes
// ---------------------------------------------------------------------------------------------

TEST_CASE("Slack SL-1 signs and verifies") {
  const Scheme& s = scheme("slack");
  CHECK(kSlackBody.size() == 362);
  CHECK(to_hex(sha256(kSlackBody)) == "390eeeff8d0cb7c9f6ecf8a88c3df6452fea0914eb02f64844369f3758d8d330");
  SUBCASE("sign") {
    auto headers = sign_headers(s, kSlackSecret, KeyFormat::Raw, ctx_of(kSlackTs), kSlackBody);
    CHECK(names_of(headers) ==
          std::vector<std::string>{"X-Slack-Request-Timestamp", "X-Slack-Signature"});
    CHECK(value_of(headers, "X-Slack-Request-Timestamp") == "1531420618");
    CHECK(value_of(headers, "X-Slack-Signature") == kSlackSig);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, kSlackSecret, KeyFormat::Raw,
                             {"X-Slack-Request-Timestamp: 1531420618", "X-Slack-Signature: " + kSlackSig},
                             kSlackBody, kSlackTs));
  }
}

TEST_CASE("Zoom ZM-1 signs and verifies") {
  const Scheme& s = scheme("zoom");
  const std::string secret = "zoom_secret_token_abc123";
  const std::string body =
      R"({"event":"meeting.started","payload":{"account_id":"AAAAAA","object":{"id":"85746065432"}},"event_ts":1700000000000})";
  const std::string sig = "v0=71e1e93856823fa81383625b923f50e346affdaa3a1f76a2606f5d9deef5e573";
  SUBCASE("sign") {
    auto headers = sign_headers(s, secret, KeyFormat::Raw, ctx_of(1700000000), body);
    CHECK(value_of(headers, "x-zm-request-timestamp") == "1700000000");
    CHECK(value_of(headers, "x-zm-signature") == sig);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, secret, KeyFormat::Raw,
                             {"x-zm-request-timestamp: 1700000000", "x-zm-signature: " + sig}, body,
                             1700000000 + 5));
  }
}

TEST_CASE("Paddle PD-1 signs and verifies") {
  const Scheme& s = scheme("paddle");
  SUBCASE("sign") {
    auto headers = sign_headers(s, kPaddleSecret, KeyFormat::Raw, ctx_of(kPaddleTs), kPaddleBody);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "Paddle-Signature");
    CHECK(headers[0].value == "ts=1700000000;h1=" + kPaddleSig);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, kPaddleSecret, KeyFormat::Raw,
                             {"Paddle-Signature: ts=1700000000;h1=" + kPaddleSig}, kPaddleBody,
                             kPaddleTs + 2));
  }
}

TEST_CASE("Paddle accepts any of several h1 signatures") {
  const Scheme& s = scheme("paddle");
  SUBCASE("bad h1 first") {
    CHECK_VALID(verify_lines(s, kPaddleSecret, KeyFormat::Raw,
                             {"Paddle-Signature: ts=1700000000;h1=" + kBadHex + ";h1=" + kPaddleSig},
                             kPaddleBody, kPaddleTs));
  }
  SUBCASE("good h1 first") {
    CHECK_VALID(verify_lines(s, kPaddleSecret, KeyFormat::Raw,
                             {"Paddle-Signature: ts=1700000000;h1=" + kPaddleSig + ";h1=" + kBadHex},
                             kPaddleBody, kPaddleTs));
  }
  SUBCASE("only bad h1 values") {
    auto r = verify_lines(s, kPaddleSecret, KeyFormat::Raw,
                          {"Paddle-Signature: ts=1700000000;h1=" + kBadHex + ";h1=" + kBadHex},
                          kPaddleBody, kPaddleTs);
    CHECK_FALSE(r.valid);
  }
}

TEST_CASE("Calendly CL-1 signs and verifies") {
  const Scheme& s = scheme("calendly");
  const std::string secret = "calendly_signing_key_demo";
  const std::string body = R"({"event":"invitee.created","payload":{"email":"a@example.com"}})";
  const std::string value =
      "t=1700000000,v1=b0b55a7cf0ebd594c984e6a7d8e90ed133f1aab84188aae653bcd2a73bbc0bda";
  SUBCASE("sign") {
    auto headers = sign_headers(s, secret, KeyFormat::Raw, ctx_of(1700000000), body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "Calendly-Webhook-Signature");
    CHECK(headers[0].value == value);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, secret, KeyFormat::Raw, {"Calendly-Webhook-Signature: " + value}, body,
                             1700000000 + 60));
  }
}

// ---------------------------------------------------------------------------------------------
// URL-signing schemes
// ---------------------------------------------------------------------------------------------

TEST_CASE("Twilio form vectors TW-1 and TW-2 sign and verify") {
  const Scheme& s = scheme("twilio");
  SUBCASE("TW-1") {
    const std::string url = "https://example.com/myapp.php?foo=1&bar=2";
    // Params out of order and '+' percent-encoded, as a form post carries them.
    const std::string body =
        "To=%2B18005551212&From=%2B14158675310&Caller=%2B14158675310&Digits=1234&CallSid=CA1234567890ABCDE";
    auto headers = sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-Twilio-Signature");
    CHECK(headers[0].value == "L/OH5YylLD5NRKLltdqwSvS0BnU=");
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: L/OH5YylLD5NRKLltdqwSvS0BnU="},
                             body, 0, ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("TW-2") {
    const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const std::string body =
        "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    auto headers = sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body);
    CHECK(value_of(headers, "X-Twilio-Signature") == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="},
                             body, 0, ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("a different URL fails") {
    auto r = verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="},
                          "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212",
                          0, ctx_of(std::nullopt, {}, "https://mycompany.com/myapp.php?foo=1"));
    CHECK_FALSE(r.valid);
  }
}

TEST_CASE("Twilio JSON vector TW-3 signs the bodySHA256 URL and checks the body hash") {
  const Scheme& s = scheme("twilio");
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string url =
      "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  SUBCASE("sign") {
    CHECK(value_of(sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body),
                   "X-Twilio-Signature") == "a9nBmqA0ju/hNViExpshrM61xv4=");
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: a9nBmqA0ju/hNViExpshrM61xv4="},
                             body, 0, ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("the URL signature matches but the body hash does not") {
    auto r = verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: a9nBmqA0ju/hNViExpshrM61xv4="},
                          R"({"property": "value", "boolean": false})", 0, ctx_of(std::nullopt, {}, url));
    CHECK_FALSE(r.valid);
    CHECK(r.reason == "the body does not match the bodySHA256 in the URL");
  }
}

// The vectors below come from twilio-python's own RequestValidator (twilio/request_validator.py at
// 306691e, run as is): compute_signature for signing, validate for what it accepts.
TEST_CASE("Twilio signs a repeated name's distinct values once each, sorted, as its SDKs do") {
  const Scheme& s = scheme("twilio");
  const auto ctx = ctx_of(std::nullopt, {}, "https://example.com/hook");
  const std::string body = "To=%2B18005551212&Digits=1234&Digits=1234&Digits=1&CallSid=CA1";
  CHECK(value_of(sign_headers(s, "12345", KeyFormat::Raw, ctx, body), "X-Twilio-Signature") ==
        "HdZ/TAetbOmk/KMUr6HplMo97Pc=");
  CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw,
                           {"X-Twilio-Signature: HdZ/TAetbOmk/KMUr6HplMo97Pc="}, body, 0, ctx));
  // The same pairs with the repeat dropped sign the same.
  CHECK(value_of(sign_headers(s, "12345", KeyFormat::Raw, ctx,
                              "CallSid=CA1&Digits=1&Digits=1234&To=%2B18005551212"),
                 "X-Twilio-Signature") == "HdZ/TAetbOmk/KMUr6HplMo97Pc=");
}

TEST_CASE("Twilio verify accepts the URL with or without its port, as its SDKs do") {
  const Scheme& s = scheme("twilio");
  const std::string body = "To=%2B18005551212&Digits=1234&Digits=1234&Digits=1&CallSid=CA1";
  auto at = [&](const std::string& url, const std::string& sig) {
    return verify_lines(s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: " + sig}, body, 0,
                        ctx_of(std::nullopt, {}, url));
  };
  SUBCASE("signed with :443, verified without") {
    CHECK_VALID(at("https://example.com/hook?x=1", "9mIeZn/ZZ0YyZbzH17q6nTwxyAg="));
  }
  SUBCASE("signed without, verified with :443") {
    CHECK_VALID(at("https://example.com:443/hook?x=1", "2q+Ez5zrrjXUhFZZKhW9e3N1qE8="));
  }
  SUBCASE("http and :80") {
    CHECK_VALID(at("http://example.com/hook", "kRJEVNKlJFVcpE136ywmOgBYnjs="));
  }
  SUBCASE("another port is dropped too (remove_port drops any)") {
    CHECK_VALID(at("https://example.com:8443/hook", "HdZ/TAetbOmk/KMUr6HplMo97Pc="));
  }
  SUBCASE("but not http for https") {
    CHECK_FALSE(at("http://example.com/hook?x=1", "9mIeZn/ZZ0YyZbzH17q6nTwxyAg=").valid);
    CHECK_FALSE(at("http://example.com/hook?x=1", "2q+Ez5zrrjXUhFZZKhW9e3N1qE8=").valid);
  }
  SUBCASE("the URLs tried") {
    CHECK(accepted_urls(s, "https://u:p@example.com/a?b#c") ==
          std::vector<std::string>{"https://u:p@example.com/a?b#c",
                                   "https://u:p@example.com:443/a?b#c"});
    CHECK(accepted_urls(s, "http://[::1]:8080/a") ==
          std::vector<std::string>{"http://[::1]:8080/a", "http://[::1]/a"});
    CHECK(accepted_urls(scheme("square"), "https://example.com/a") ==
          std::vector<std::string>{"https://example.com/a"});
    CHECK(accepted_urls(s, "not a url") == std::vector<std::string>{"not a url"});
  }
}

TEST_CASE("Twilio refuses a JSON body whose URL has no bodySHA256") {
  const Scheme& s = scheme("twilio");
  const std::string body = R"({"property": "value", "boolean": true})";
  const auto ctx = ctx_of(std::nullopt, {}, "https://mycompany.com/myapp.php?foo=1&bar=2");
  std::string message;
  int code = 0;
  try {
    compute_mac(s, "12345", ctx, body);
  } catch (const Error& e) {
    message = e.what();
    code = e.code();
  }
  CHECK(code == 2);
  CHECK(message == "twilio signs a JSON body through the URL: the URL Twilio calls carries "
                   "bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620 "
                   "(the body's SHA-256) in its query, and this --url has none (--url)");
  // A form body is signed as before.
  CHECK_NOTHROW(compute_mac(s, "12345", ctx, "a=1"));
}

TEST_CASE("split_url and join_url") {
  auto p = split_url("https://user@Example.com:8443/a/b?x=1&y#frag");
  REQUIRE(p);
  CHECK(p->scheme == "https");
  CHECK(p->userinfo == "user@");
  CHECK(p->host == "Example.com");
  CHECK(p->port == "8443");
  CHECK(p->path == "/a/b");
  CHECK(p->query == "?x=1&y");
  CHECK(p->fragment == "#frag");
  CHECK(join_url(*p) == "https://user@Example.com:8443/a/b?x=1&y#frag");
  CHECK(split_url("http://h?q")->path.empty());
  CHECK(split_url("http://h?q")->query == "?q");
  CHECK_FALSE(split_url("/relative"));
  CHECK_FALSE(split_url("http://"));
  CHECK_FALSE(split_url("http://[::1/x"));
}

TEST_CASE("Square SQ-1 signs and verifies") {
  const Scheme& s = scheme("square");
  const std::string url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9";
  const std::string body =
      R"({"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}})";
  const std::string sig = "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=";
  SUBCASE("sign") {
    auto headers = sign_headers(s, "Ibxx_5AKakO-3qeNVR61Dw", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "x-square-hmacsha256-signature");
    CHECK(headers[0].value == sig);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, "Ibxx_5AKakO-3qeNVR61Dw", KeyFormat::Raw,
                             {"x-square-hmacsha256-signature: " + sig}, body, 0,
                             ctx_of(std::nullopt, {}, url)));
  }
}

// ---------------------------------------------------------------------------------------------
// Freshness
// ---------------------------------------------------------------------------------------------

TEST_CASE("Standard Webhooks rejects timestamps too old and too new") {
  const Scheme& s = scheme("standard");
  const std::vector<std::string> lines = {"webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
                                          "webhook-signature: v1," + kSw1Sig};
  auto at = [&](std::int64_t now, std::optional<std::int64_t> tol = std::nullopt) {
    return verify_lines(s, kSw1Secret, s.key_format, lines, kSw1Body, now, {}, tol);
  };
  SUBCASE("within 300 s either way") {
    CHECK_VALID(at(kSw1Ts + 300));
    CHECK_VALID(at(kSw1Ts - 300));
  }
  SUBCASE("301 s old") {
    auto r = at(kSw1Ts + 301);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("too old") != std::string::npos);
  }
  SUBCASE("301 s in the future") {
    auto r = at(kSw1Ts - 301);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("in the future") != std::string::npos);
  }
  SUBCASE("tolerance 0 disables the check") {
    CHECK_VALID(at(kSw1Ts + 100000000, 0));
    CHECK_VALID(at(kSw1Ts - 100000000, 0));
  }
  SUBCASE("a custom tolerance replaces the default") {
    CHECK_VALID(at(kSw1Ts + 1000, 1000));
    CHECK_FALSE(at(kSw1Ts + 1001, 1000).valid);
    CHECK_FALSE(at(kSw1Ts + 11, 10).valid);
  }
}

TEST_CASE("Stripe and Slack reject only old timestamps") {
  SUBCASE("Stripe") {
    const Scheme& s = scheme("stripe");
    const std::vector<std::string> lines = {"Stripe-Signature: t=1700000000,v1=" + kSt2Sig};
    auto at = [&](std::int64_t now, std::optional<std::int64_t> tol = std::nullopt) {
      return verify_lines(s, kStripeSecret, KeyFormat::Raw, lines, kSt2Body, now, {}, tol);
    };
    CHECK_VALID(at(kStripeTs + 300));
    auto old = at(kStripeTs + 301);
    CHECK_FALSE(old.valid);
    CHECK(old.reason.find("too old") != std::string::npos);
    CHECK_VALID(at(kStripeTs - 301));
    CHECK_VALID(at(kStripeTs - 100000));
    CHECK_VALID(at(kStripeTs + 100000000, 0));  // tolerance 0 turns the check off
  }
  SUBCASE("Slack") {
    const Scheme& s = scheme("slack");
    const std::vector<std::string> lines = {"X-Slack-Request-Timestamp: 1531420618",
                                            "X-Slack-Signature: " + kSlackSig};
    auto at = [&](std::int64_t now, std::optional<std::int64_t> tol = std::nullopt) {
      return verify_lines(s, kSlackSecret, KeyFormat::Raw, lines, kSlackBody, now, {}, tol);
    };
    CHECK_VALID(at(kSlackTs + 300));
    auto old = at(kSlackTs + 301);
    CHECK_FALSE(old.valid);
    CHECK(old.reason.find("too old") != std::string::npos);
    CHECK_VALID(at(kSlackTs - 301));
    CHECK_VALID(at(kSlackTs - 100000));
    CHECK_VALID(at(kSlackTs + 100000000, 0));
  }
}

TEST_CASE("Paddle refuses only timestamps over 5 s old, as its SDKs do") {
  const Scheme& s = scheme("paddle");
  const std::vector<std::string> lines = {"Paddle-Signature: ts=1700000000;h1=" + kPaddleSig};
  auto at = [&](std::int64_t now, std::optional<std::int64_t> tol = std::nullopt) {
    return verify_lines(s, kPaddleSecret, KeyFormat::Raw, lines, kPaddleBody, now, {}, tol);
  };
  SUBCASE("valid at ts+2") { CHECK_VALID(at(kPaddleTs + 2)); }
  SUBCASE("invalid at ts+6") {
    auto r = at(kPaddleTs + 6);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("too old") != std::string::npos);
  }
  SUBCASE("valid at ts+5, the SDKs' limit (now > ts + 5 fails)") { CHECK_VALID(at(kPaddleTs + 5)); }
  SUBCASE("valid ahead of the clock: the SDKs check only age") {
    CHECK_VALID(at(kPaddleTs - 6));
    CHECK_VALID(at(kPaddleTs - 100000));
  }
  SUBCASE("tolerance 0 disables the check") { CHECK_VALID(at(kPaddleTs + 3600, 0)); }
}

TEST_CASE("Linear checks the body's webhookTimestamp in ms, 60 s either way") {
  const Scheme& s = scheme("linear");
  const std::vector<std::string> lines = {"Linear-Signature: " + kLinearSig};
  auto at = [&](std::int64_t now, std::optional<std::int64_t> tol = std::nullopt) {
    return verify_lines(s, kLinearSecret, KeyFormat::Raw, lines, kLinearBody, now, {}, tol);
  };
  SUBCASE("valid at +30 s and -30 s") {
    CHECK_VALID(at(1700000030));
    CHECK_VALID(at(1699999970));
  }
  SUBCASE("valid at exactly 60 s") { CHECK_VALID(at(1700000060)); }
  SUBCASE("too old at +61 s") {
    auto r = at(1700000061);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("too old") != std::string::npos);
  }
  SUBCASE("in the future at -61 s") {
    auto r = at(1699999939);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("in the future") != std::string::npos);
  }
  SUBCASE("a linear-timestamp header is ignored") {
    CHECK_FALSE(verify_lines(s, kLinearSecret, KeyFormat::Raw,
                             {"Linear-Signature: " + kLinearSig, "linear-timestamp: 1800000000"},
                             kLinearBody, 1800000000)
                    .valid);
  }
  SUBCASE("tolerance 0 disables the check") { CHECK_VALID(at(1800000000, 0)); }
  SUBCASE("check_freshness directly") {
    VerifyOptions o;
    o.now = 1700000061;
    CHECK_FALSE(check_freshness(s, {}, kLinearBody, o).empty());
    o.now = 1700000059;
    CHECK(check_freshness(s, {}, kLinearBody, o).empty());
    // No webhookTimestamp field: nothing to check against.
    CHECK(check_freshness(s, {}, R"({"action":"create"})", o).empty());
  }
}

TEST_CASE("check_freshness without a timestamp") {
  VerifyOptions o;
  o.now = 1700000000;
  CHECK(check_freshness(scheme("stripe"), {}, "", o) == "no timestamp to check");
  CHECK(check_freshness(scheme("github"), {}, "", o).empty());  // no timestamp in the scheme
}

// Found by review: a timestamp times 1000 overflowed (undefined behaviour) when it was near the
// 64-bit limits; t=9223372036854775807 came out as "too old".
TEST_CASE("a timestamp beyond what milliseconds can hold is out of range") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  VerifyOptions o;
  o.now = kStripeTs;
  SUBCASE("Stripe signed at t=9223372036854775807") {
    const Scheme& s = scheme("stripe");
    const auto headers = sign_headers(s, kStripeSecret, KeyFormat::Raw, ctx_of(kMax), kSt2Body);
    REQUIRE(value_of(headers, "Stripe-Signature").rfind("t=9223372036854775807,", 0) == 0);
    const auto r = verify(s, kStripeSecret, KeyFormat::Raw,
                          extract_presented(s, headers, std::nullopt, {}), kSt2Body, o);
    CHECK_FALSE(r.valid);
    CHECK(r.reason ==
          "timestamp out of range: 9223372036854775807 s (tolerance 300 s, --tolerance)");
  }
  SUBCASE("seconds at either limit, for every way of checking") {
    for (const char* name : {"stripe", "standard", "paddle", "slack"}) {
      CAPTURE(name);
      for (std::int64_t ts : {kMax, kMin, kMax / 1000 + 1, kMin / 1000 - 1}) {
        CAPTURE(ts);
        CHECK(check_freshness(scheme(name), ctx_of(ts), "", o).find("timestamp out of range: ") ==
              0);
      }
    }
  }
  SUBCASE("the largest seconds that fit are far in the future or the past") {
    CHECK(check_freshness(scheme("standard"), ctx_of(kMax / 1000), "", o)
              .find("timestamp in the future: ") == 0);
    CHECK(check_freshness(scheme("standard"), ctx_of(kMin / 1000), "", o)
              .find("timestamp too old: ") == 0);
    CHECK(check_freshness(scheme("stripe"), ctx_of(kMax / 1000), "", o).empty()); // past only
  }
  SUBCASE("Linear's webhookTimestamp in ms at and past the limits") {
    const Scheme& s = scheme("linear");
    auto at = [&](const std::string& ms) {
      return check_freshness(s, {}, R"({"webhookTimestamp":)" + ms + "}", o);
    };
    for (const char* ms : {"-9223372036854775808", "9223372036854775808", "18446744073709551615"}) {
      CAPTURE(ms);
      CHECK(at(ms) ==
            "timestamp out of range: " + std::string(ms) + " ms (tolerance 60 s, --tolerance)");
    }
    CHECK(at("9223372036854775807").find("timestamp in the future: ") == 0);
  }
  SUBCASE("a tolerance too large for milliseconds lets any timestamp through") {
    o.tolerance_s = kMax;
    CHECK(check_freshness(scheme("standard"), ctx_of(kStripeTs - 100000000), "", o).empty());
    CHECK(check_freshness(scheme("linear"), {}, kLinearBody, o).empty());
  }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

namespace {
template <typename F>
int error_code_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return -1;
}
}  // namespace

TEST_CASE("invalid key encodings throw a usage Error") {
  SUBCASE("whsec with invalid base64") {
    CHECK_THROWS_AS(derive_key(KeyFormat::WhsecBase64, "whsec_!!!not-base64"), Error);
    CHECK(error_code_of([] { derive_key(KeyFormat::WhsecBase64, "whsec_!!!not-base64"); }) == 2);
  }
  SUBCASE("whsec with nothing after the prefix") {
    CHECK(error_code_of([] { derive_key(KeyFormat::WhsecBase64, "whsec_"); }) == 2);
  }
  SUBCASE("verify with an undecodable whsec secret") {
    const Scheme& s = scheme("standard");
    Presented p = presented_from(s, {"webhook-id: " + kSw1Id, "webhook-timestamp: 1614265330",
                                     "webhook-signature: v1," + kSw1Sig});
    VerifyOptions o;
    o.now = kSw1Ts;
    CHECK(error_code_of([&] { verify(s, "whsec_***", KeyFormat::WhsecBase64, p, kSw1Body, o); }) == 2);
  }
  SUBCASE("base64 and hex formats") {
    CHECK(error_code_of([] { derive_key(KeyFormat::Base64, "not base64!"); }) == 2);
    CHECK(error_code_of([] { derive_key(KeyFormat::Hex, "abc"); }) == 2);
    CHECK(error_code_of([] { derive_key(KeyFormat::Hex, "zz"); }) == 2);
    CHECK(error_code_of([] { derive_key(KeyFormat::Hex, ""); }) == 2);
  }
}

TEST_CASE("parse_header_line reads Name: value") {
  SUBCASE("simple") {
    Header h = parse_header_line("Stripe-Signature: t=1,v1=abc", "test");
    CHECK(h.name == "Stripe-Signature");
    CHECK(h.value == "t=1,v1=abc");
  }
  SUBCASE("whitespace around name and value is trimmed") {
    Header h = parse_header_line("  X-A  :   v 1  ", "test");
    CHECK(h.name == "X-A");
    CHECK(h.value == "v 1");
  }
  SUBCASE("only the first colon splits") {
    Header h = parse_header_line("X-Url: https://a.test:8443/x", "test");
    CHECK(h.name == "X-Url");
    CHECK(h.value == "https://a.test:8443/x");
  }
  SUBCASE("an empty value") {
    Header h = parse_header_line("X-Empty:", "test");
    CHECK(h.name == "X-Empty");
    CHECK(h.value.empty());
  }
}

TEST_CASE("parse_header_line rejects malformed lines") {
  SUBCASE("no colon") {
    CHECK_THROWS_AS(parse_header_line("Stripe-Signature t=1", "--header"), Error);
    CHECK(error_code_of([] { parse_header_line("Stripe-Signature t=1", "--header"); }) == 2);
  }
  SUBCASE("empty line") { CHECK_THROWS_AS(parse_header_line("", "--header"), Error); }
  SUBCASE("empty name") {
    CHECK_THROWS_AS(parse_header_line(": value", "--header"), Error);
    CHECK_THROWS_AS(parse_header_line("   : value", "--header"), Error);
  }
  SUBCASE("characters HTTP does not allow in a name") {
    CHECK_THROWS_AS(parse_header_line("X Sig: v", "--header"), Error);
    CHECK_THROWS_AS(parse_header_line("X(Sig): v", "--header"), Error);
    CHECK_THROWS_AS(parse_header_line("X/Sig: v", "--header"), Error);
    CHECK_THROWS_AS(parse_header_line("X=Sig: v", "--header"), Error);
    CHECK_THROWS_AS(parse_header_line("X\tSig: v", "--header"), Error);
  }
  SUBCASE("the message names where the line came from") {
    try {
      parse_header_line("nonsense", "--header #3");
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("--header #3") != std::string::npos);
    }
  }
}

TEST_CASE("a missing timestamp, id or URL throws Error") {
  const std::string key = "k";
  SUBCASE("Stripe needs a timestamp") {
    CHECK(error_code_of([&] { compute_mac(scheme("stripe"), key, {}, "body"); }) == 2);
    CHECK_THROWS_AS(render_headers(scheme("stripe"), "00", {}), Error);
  }
  SUBCASE("Slack and Paddle need a timestamp") {
    CHECK_THROWS_AS(compute_mac(scheme("slack"), key, {}, "body"), Error);
    CHECK_THROWS_AS(compute_mac(scheme("paddle"), key, {}, "body"), Error);
    CHECK_THROWS_AS(render_headers(scheme("slack"), "00", {}), Error);
  }
  SUBCASE("Standard Webhooks needs a timestamp and an id") {
    CHECK_THROWS_AS(compute_mac(scheme("standard"), key, ctx_of(std::nullopt, "msg_1"), "body"), Error);
    CHECK(error_code_of([&] { compute_mac(scheme("standard"), key, ctx_of(1700000000), "body"); }) == 2);
  }
  SUBCASE("Twilio and Square need a URL") {
    CHECK(error_code_of([&] { compute_mac(scheme("twilio"), key, {}, "a=1"); }) == 2);
    CHECK(error_code_of([&] { compute_mac(scheme("square"), key, {}, "{}"); }) == 2);
  }
  SUBCASE("a request header without t= is invalid, saying so") {
    const Scheme& s = scheme("stripe");
    Presented p = presented_from(s, {"Stripe-Signature: v1=" + kSt2Sig});
    CHECK_FALSE(p.ctx.timestamp);
    VerifyOptions o;
    o.now = kStripeTs;
    auto r = verify(s, kStripeSecret, KeyFormat::Raw, p, kSt2Body, o);
    CHECK_FALSE(r.valid);
    CHECK(r.reason ==
          "no t= timestamp in Stripe-Signature (Stripe signs the timestamp with the body)");
  }
  SUBCASE("--signature without --timestamp is still a usage error") {
    const Scheme& s = scheme("stripe");
    Presented p = extract_presented(s, {}, kSt2Sig, {});
    VerifyOptions o;
    CHECK(error_code_of([&] { verify(s, kStripeSecret, KeyFormat::Raw, p, kSt2Body, o); }) == 2);
  }
  SUBCASE("a Standard Webhooks request without webhook-id is invalid, saying so") {
    const Scheme& s = scheme("standard");
    Presented p =
        presented_from(s, {"webhook-timestamp: 1614265330", "webhook-signature: v1," + kSw1Sig});
    VerifyOptions o;
    o.now = kSw1Ts;
    auto r = verify(s, kSw1Secret, s.key_format, p, kSw1Body, o);
    CHECK_FALSE(r.valid);
    CHECK(r.reason ==
          "no webhook-id header (Standard Webhooks / Svix signs the message id with the "
          "timestamp and body)");
    CHECK(r.findings.empty());
  }
  SUBCASE("a Slack request without its timestamp header is invalid, saying so") {
    const Scheme& s = scheme("slack");
    auto r = verify_lines(s, kSlackSecret, KeyFormat::Raw, {"X-Slack-Signature: " + kSlackSig},
                          kSlackBody, kSlackTs);
    CHECK_FALSE(r.valid);
    CHECK(r.reason ==
          "no X-Slack-Request-Timestamp header (Slack signs the timestamp with the body)");
  }
  SUBCASE("a timestamp header that is not a number throws") {
    CHECK_THROWS_AS(presented_from(scheme("slack"),
                                   {"X-Slack-Request-Timestamp: yesterday", "X-Slack-Signature: v0=00"}),
                    Error);
    CHECK_THROWS_AS(presented_from(scheme("stripe"), {"Stripe-Signature: t=soon,v1=00"}), Error);
  }
}

TEST_CASE("extract_presented: explicit context wins, an absent signature is not an error") {
  SUBCASE("explicit timestamp and id override the headers") {
    const Scheme& s = scheme("standard");
    Presented p = presented_from(s,
                                 {"webhook-id: wrong", "webhook-timestamp: 1",
                                  "webhook-signature: v1," + kSw1Sig},
                                 ctx_of(kSw1Ts, kSw1Id));
    REQUIRE(p.ctx.timestamp);
    CHECK(*p.ctx.timestamp == kSw1Ts);
    CHECK(p.ctx.id == kSw1Id);
    VerifyOptions o;
    o.now = kSw1Ts;
    CHECK_VALID(verify(s, kSw1Secret, s.key_format, p, kSw1Body, o));
  }
  SUBCASE("--signature wins over the header") {
    const Scheme& s = scheme("github");
    Presented p = extract_presented(
        s, {parse_header_line("X-Hub-Signature-256: sha256=" + kBadHex, "t")},
        std::string("  sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3 "),
        {});
    VerifyOptions o;
    CHECK_VALID(verify(s, "mysecret", KeyFormat::Raw, p, R"({"foo":"bar"})", o));
  }
  SUBCASE("no signature header") {
    const Scheme& s = scheme("github");
    Presented p = presented_from(s, {"Content-Type: application/json"});
    CHECK(p.candidates.empty());
    CHECK(p.raw.empty());
    VerifyOptions o;
    auto r = verify(s, "mysecret", KeyFormat::Raw, p, "{}", o);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("X-Hub-Signature-256") != std::string::npos);
    CHECK(r.findings.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

TEST_CASE("compute_mac streaming a Payload equals the string overload") {
  struct Case {
    const char* scheme;
    SigningContext ctx;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"github", {}, R"({"foo":"bar"})"},
      {"stripe", ctx_of(kStripeTs), kSt1Body},
      {"slack", ctx_of(kSlackTs), kSlackBody},
      {"paddle", ctx_of(kPaddleTs), kPaddleBody},
      {"standard", ctx_of(kSw1Ts, kSw1Id), kSw1Body},
      {"square", ctx_of(std::nullopt, {}, "https://example.test/hook"), "{}"},
      {"twilio", ctx_of(std::nullopt, {}, "https://example.com/myapp.php?foo=1&bar=2"),
       "Digits=1234&CallSid=CA1"},
      {"github", {}, ""},
      {"github", {}, std::string(300000, 'x')},  // more than one 256 KiB chunk
  };
  for (const auto& c : cases) {
    INFO("scheme " << c.scheme << ", body size " << c.body.size());
    const Scheme& s = scheme(c.scheme);
    const std::string key = "stream-key";
    const std::string whole = compute_mac(s, key, c.ctx, std::string_view(c.body));
    Payload payload = Payload::from_bytes(c.body, "memory");
    std::uint64_t size = 12345;
    CHECK(compute_mac(s, key, c.ctx, payload, &size) == whole);
    CHECK(size == c.body.size());
    Payload again = Payload::from_bytes(c.body, "memory");
    CHECK(compute_mac(s, key, c.ctx, again) == whole);
  }
  SUBCASE("the streamed GH-2 vector") {
    Payload payload = Payload::from_bytes(R"({"foo":"bar"})", "memory");
    CHECK(to_hex(compute_mac(scheme("github"), "mysecret", {}, payload)) ==
          "4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3");
  }
}

TEST_CASE("scheme catalog lookups") {
  CHECK(find_scheme("no-such-scheme") == nullptr);
  for (const char* name : {"wisepops", "wootric", "github", "github-sha1", "stripe", "slack", "shopify",
                           "standard", "twilio", "zoom", "paddle", "typeform", "intercom", "bitbucket",
                           "linear", "calendly", "square", "asana", "woocommerce", "coinbase",
                           "lemonsqueezy"}) {
    INFO(name);
    CHECK(find_scheme(name) != nullptr);
  }
  CHECK(parse_key_format("whsec") == KeyFormat::WhsecBase64);
  CHECK(parse_key_format("raw") == KeyFormat::Raw);
  CHECK_FALSE(parse_key_format("utf8"));
  CHECK(parse_encoding("base64") == Encoding::Base64);
  CHECK_FALSE(parse_encoding("b64"));
}

// ---------------------------------------------------------------------------------------------
// sign: the one signing function of send, replay and sign
// ---------------------------------------------------------------------------------------------

TEST_CASE("sign gives the encoded MAC, the header lines and the size, whole or streamed") {
  SUBCASE("Standard Webhooks SW-1") {
    const Scheme& s = scheme("standard");
    const std::string key = derive_key(s.key_format, kSw1Secret);
    const Signature whole = sign(s, key, ctx_of(kSw1Ts, kSw1Id), kSw1Body);
    CHECK(whole.encoded_mac == kSw1Sig);
    CHECK(whole.body_size == 20);
    CHECK(names_of(whole.headers) ==
          std::vector<std::string>{"webhook-id", "webhook-timestamp", "webhook-signature"});
    CHECK(value_of(whole.headers, "webhook-id") == kSw1Id);
    CHECK(value_of(whole.headers, "webhook-timestamp") == "1614265330");
    CHECK(value_of(whole.headers, "webhook-signature") == "v1," + kSw1Sig);
    Payload payload = Payload::from_bytes(std::string(kSw1Body), "test");
    const Signature streamed = sign(s, key, ctx_of(kSw1Ts, kSw1Id), payload);
    CHECK(streamed.encoded_mac == kSw1Sig);
    CHECK(streamed.body_size == 20);
    CHECK(value_of(streamed.headers, "webhook-signature") == "v1," + kSw1Sig);
  }
  SUBCASE("Stripe ST-1: the header carries t= and v1=") {
    const Scheme& s = scheme("stripe");
    const Signature sig = sign(s, kStripeSecret, ctx_of(kStripeTs), kSt1Body);
    CHECK(sig.encoded_mac == kSt1Sig);
    REQUIRE(sig.headers.size() == 1);
    CHECK(sig.headers[0].name == "Stripe-Signature");
    CHECK(sig.headers[0].value == "t=1700000000,v1=" + kSt1Sig);
    CHECK(sig.headers[0].value ==
          signature_header_lines(s, sig.encoded_mac, ctx_of(kStripeTs))[0].value);
  }
  SUBCASE("Twilio TW-1, streamed: a form scheme reads the body whole") {
    const Scheme& s = scheme("twilio");
    const std::string url = "https://example.com/myapp.php?foo=1&bar=2";
    const std::string body = "To=%2B18005551212&From=%2B14158675310&Caller=%2B14158675310&"
                             "Digits=1234&CallSid=CA1234567890ABCDE";
    Payload payload = Payload::from_bytes(body, "test");
    const Signature sig = sign(s, "12345", ctx_of(std::nullopt, {}, url), payload);
    CHECK(sig.body_size == body.size());
    CHECK(value_of(sig.headers, "X-Twilio-Signature") == "L/OH5YylLD5NRKLltdqwSvS0BnU=");
  }
  SUBCASE("what the context lacks is an Error (exit 2)") {
    CHECK(error_code_of([] { sign(scheme("stripe"), "k", {}, "body"); }) == 2);
    CHECK(error_code_of([] { sign(scheme("standard"), "k", ctx_of(1700000000), "body"); }) == 2);
    CHECK(error_code_of([] { sign(scheme("square"), "k", {}, "{}"); }) == 2);
    CHECK_THROWS_AS(signature_header_lines(scheme("stripe"), "00", {}), Error);
  }
}
