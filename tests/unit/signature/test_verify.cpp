// Unit tests for core/signature's verify side: freshness windows, reading header lines, the
// signed values a request presents, and the errors of a missing input or a bad key.
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
    CHECK_VALID(at(kStripeTs + 100000000, 0)); // tolerance 0 turns the check off
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
  CHECK(check_freshness(scheme("github"), {}, "", o).empty()); // no timestamp in the scheme
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
    CHECK(error_code_of([&] { verify(s, "whsec_***", KeyFormat::WhsecBase64, p, kSw1Body, o); }) ==
          2);
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
    CHECK_THROWS_AS(signature_header_lines(scheme("stripe"), "00", {}), Error);
  }
  SUBCASE("Slack and Paddle need a timestamp") {
    CHECK_THROWS_AS(compute_mac(scheme("slack"), key, {}, "body"), Error);
    CHECK_THROWS_AS(compute_mac(scheme("paddle"), key, {}, "body"), Error);
    CHECK_THROWS_AS(signature_header_lines(scheme("slack"), "00", {}), Error);
  }
  SUBCASE("Standard Webhooks needs a timestamp and an id") {
    CHECK_THROWS_AS(compute_mac(scheme("standard"), key, ctx_of(std::nullopt, "msg_1"), "body"),
                    Error);
    CHECK(error_code_of(
              [&] { compute_mac(scheme("standard"), key, ctx_of(1700000000), "body"); }) == 2);
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
    CHECK_THROWS_AS(presented_from(scheme("slack"), {"X-Slack-Request-Timestamp: yesterday",
                                                     "X-Slack-Signature: v0=00"}),
                    Error);
    CHECK_THROWS_AS(presented_from(scheme("stripe"), {"Stripe-Signature: t=soon,v1=00"}), Error);
  }
}

TEST_CASE("extract_presented: explicit context wins, an absent signature is not an error") {
  SUBCASE("explicit timestamp and id override the headers") {
    const Scheme& s = scheme("standard");
    Presented p = presented_from(
        s, {"webhook-id: wrong", "webhook-timestamp: 1", "webhook-signature: v1," + kSw1Sig},
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
