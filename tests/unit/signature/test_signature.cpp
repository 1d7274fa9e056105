// Unit tests for core/signature: signing with the built-in schemes (core/signature/scheme), and
// streaming a payload through the MAC.
//
// Every vector is one of the reference's (published by the provider, or computed with its SDK or by
// its documented algorithm; its ID in the test name, its values in signature_checks.hpp). Twilio's
// are in test_twilio.cpp, freshness and errors in test_verify.cpp. Each is checked both ways:
// signing (compute_mac + encode_mac + signature_header_lines give the exact header values) and
// verifying (parse_header_line + extract_presented + verify say valid).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/payload.hpp"
#include "signature_checks.hpp"

using namespace hooktool;
using namespace test;

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
    CHECK_VALID(verify_lines(
        s, kSw1Secret, s.key_format,
        {"svix-id: " + kSw1Id, "svix-timestamp: 1614265330", "svix-signature: v1," + kSw1Sig},
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
    CHECK(value_of(headers, "webhook-signature") ==
          "v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=");
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
    CHECK_VALID(verify_lines(
        s, secret, s.key_format,
        {"webhook-id: " + id, "webhook-timestamp: 1700000000", "webhook-signature: " + sig}, body,
        1700000000 + 100));
  }
}

// ---------------------------------------------------------------------------------------------
// Stripe
// ---------------------------------------------------------------------------------------------

TEST_CASE("Stripe ST-1 and ST-2 sign and verify") {
  const Scheme& s = scheme("stripe");
  CHECK(kSt1Body.size() == 51);
  CHECK(kSt2Body.size() == 31);
  CHECK(to_hex(sha256(kSt1Body)) ==
        "b5d1269472e8074df9f095c4ca5d33b232e828ead93f4f8f676df648141b998e");
  SUBCASE("ST-1 sign") {
    auto headers = sign_headers(s, kStripeSecret, KeyFormat::Raw, ctx_of(kStripeTs), kSt1Body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "Stripe-Signature");
    CHECK(headers[0].value == "t=1700000000,v1=" + kSt1Sig);
  }
  SUBCASE("ST-1 verify") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"Stripe-Signature: t=1700000000,v1=" + kSt1Sig}, kSt1Body,
                             kStripeTs + 10));
  }
  SUBCASE("ST-2 sign") {
    auto headers = sign_headers(s, kStripeSecret, KeyFormat::Raw, ctx_of(kStripeTs), kSt2Body);
    CHECK(value_of(headers, "Stripe-Signature") == "t=1700000000,v1=" + kSt2Sig);
  }
  SUBCASE("ST-2 verify") {
    CHECK_VALID(verify_lines(s, kStripeSecret, KeyFormat::Raw,
                             {"stripe-signature: t=1700000000,v1=" + kSt2Sig}, kSt2Body,
                             kStripeTs));
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
    CHECK_VALID(verify_lines(s, kSw1Secret, KeyFormat::Raw,
                             {"Stripe-Signature: t=1700000000,v1=" + sig}, kSt2Body, kStripeTs));
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
                             {"Stripe-Signature: t=1700000000, v1=" + kSt2Sig}, kSt2Body,
                             kStripeTs));
  }
  SUBCASE("the right MAC under v0 does not count (no downgrade)") {
    auto r = verify_lines(s, kStripeSecret, KeyFormat::Raw,
                          {"Stripe-Signature: t=1700000000,v0=" + kSt2Sig}, kSt2Body, kStripeTs);
    CHECK_FALSE(r.valid);
  }
  SUBCASE("extract_presented collects every v1 as a candidate") {
    Presented p = presented_from(s, {"Stripe-Signature: t=1700000000,v1=aa,v1=bb,v0=cc"});
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
  const std::string sig256 =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  const std::string sig1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
  const std::vector<std::string> lines = {"X-Hub-Signature-256: " + sig256,
                                          "X-Hub-Signature: " + sig1};
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

namespace {
// A body signed both ways GitHub does (X-Hub-Signature-256 and X-Hub-Signature): each scheme signs
// its own header and verifies with both present, in either order.
void check_github_pair(const std::string& secret, const std::string& body,
                       const std::string& sig256, const std::string& sig1,
                       const std::vector<std::string>& lines) {
  SUBCASE("sign") {
    CHECK(value_of(sign_headers(scheme("github"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature-256") == sig256);
    CHECK(value_of(sign_headers(scheme("github-sha1"), secret, KeyFormat::Raw, {}, body),
                   "X-Hub-Signature") == sig1);
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(scheme("github"), secret, KeyFormat::Raw, lines, body, 0));
    CHECK_VALID(verify_lines(scheme("github-sha1"), secret, KeyFormat::Raw, lines, body, 0));
  }
}
} // namespace

TEST_CASE("GitHub GH-2 signs and verifies both headers") {
  const std::string sig256 =
      "sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3";
  const std::string sig1 = "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8";
  check_github_pair("mysecret", R"({"foo":"bar"})", sig256, sig1,
                    {"X-Hub-Signature: " + sig1, "X-Hub-Signature-256: " + sig256});
}

TEST_CASE("Meta MT-1 verifies via the github schemes") {
  const std::string sig256 =
      "sha256=9b1de084b1ddf1d3a7e0a59d07d3348d70b2f8541cbb3452f8fa97fd983f8c87";
  const std::string sig1 = "sha1=23b238ffb9fa02e90aab1a2ee2fe183b22f54afe";
  check_github_pair("meta_app_secret_demo",
                    R"({"object":"page","entry":[{"id":"1","time":1700000000}]})", sig256, sig1,
                    {"X-Hub-Signature-256: " + sig256, "X-Hub-Signature: " + sig1});
}

namespace {
struct BodyVector {
  const char* id;
  const char* scheme;
  std::string secret;
  std::string body;
  const char* header;
  std::string value;
  size_t len; // 0 when the reference gives none
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
} // namespace

TEST_CASE("body-only vectors sign and verify") {
  SUBCASE("SH-1 Shopify") {
    check_body_vector({"SH-1", "shopify", "test-webhook-secret",
                       R"({"id":1234567890,"email":"customer@example.com","total_price":"123.45"})",
                       "X-Shopify-Hmac-Sha256",
                       "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=", 71});
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
        {"X-Signature: 6d4259ff154d9c0b67b70c40e32fbb4fc50491692fd5d76fd027ef852f283169"}, body,
        0));
  }
  SUBCASE("base64") {
    Scheme s = make_hmac_scheme(Algo::Sha256, Encoding::Base64, "", "X-WC-Webhook-Signature");
    auto headers = sign_headers(s, secret, KeyFormat::Raw, {}, body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-WC-Webhook-Signature");
    CHECK(headers[0].value == "bUJZ/xVNnAtntwxA4y+7T8UEkWkv1ddv0CfvhS8oMWk=");
    CHECK_VALID(verify_lines(
        s, secret, KeyFormat::Raw,
        {"X-WC-Webhook-Signature: bUJZ/xVNnAtntwxA4y+7T8UEkWkv1ddv0CfvhS8oMWk="}, body, 0));
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
  CHECK(to_hex(sha256(kSlackBody)) ==
        "390eeeff8d0cb7c9f6ecf8a88c3df6452fea0914eb02f64844369f3758d8d330");
  SUBCASE("sign") {
    auto headers = sign_headers(s, kSlackSecret, KeyFormat::Raw, ctx_of(kSlackTs), kSlackBody);
    CHECK(names_of(headers) ==
          std::vector<std::string>{"X-Slack-Request-Timestamp", "X-Slack-Signature"});
    CHECK(value_of(headers, "X-Slack-Request-Timestamp") == "1531420618");
    CHECK(value_of(headers, "X-Slack-Signature") == kSlackSig);
  }
  SUBCASE("verify") {
    CHECK_VALID(
        verify_lines(s, kSlackSecret, KeyFormat::Raw,
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
    CHECK_VALID(
        verify_lines(s, kPaddleSecret, KeyFormat::Raw,
                     {"Paddle-Signature: ts=1700000000;h1=" + kBadHex + ";h1=" + kPaddleSig},
                     kPaddleBody, kPaddleTs));
  }
  SUBCASE("good h1 first") {
    CHECK_VALID(
        verify_lines(s, kPaddleSecret, KeyFormat::Raw,
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
    CHECK_VALID(verify_lines(s, secret, KeyFormat::Raw, {"Calendly-Webhook-Signature: " + value},
                             body, 1700000000 + 60));
  }
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
    auto headers = sign_headers(s, "Ibxx_5AKakO-3qeNVR61Dw", KeyFormat::Raw,
                                ctx_of(std::nullopt, {}, url), body);
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
      {"github", {}, std::string(300000, 'x')}, // more than one 256 KiB chunk
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
  for (const char* name :
       {"wisepops",    "wootric",   "github",      "github-sha1", "stripe", "slack",
        "shopify",     "standard",  "twilio",      "zoom",        "paddle", "typeform",
        "intercom",    "bitbucket", "linear",      "calendly",    "square", "asana",
        "woocommerce", "coinbase",  "lemonsqueezy"}) {
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
