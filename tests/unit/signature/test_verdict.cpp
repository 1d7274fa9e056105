// Unit tests for core/verdict: one decision on a received body, for listen and verify --request.
//
// The "wire" bytes stand for a compressed body and `decoded` for what net::decode_content makes of
// it: verify_received decides from the two, it does not decode. Signatures computed with OpenSSL:
// printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac diag_secret
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/signature/crypto.hpp"
#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"
#include "core/signature/verdict.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

using namespace hooktool;

namespace {

const std::string kSecret = "diag_secret";
const std::string kPlain = R"({"a":1})";
const std::string kPlainSig =
    "sha256=55ace8e47693682411bc931dc08bea57c1d511d185ed080d17539b5c7b9a79a7";
// Not real gzip: what matters is that these bytes differ from their decoding.
const std::string kWire = std::string("\x1f\x8b\x08\x00", 4) + "compressed";

std::string github_sig(std::string_view body) {
  return "sha256=" + to_hex(hmac(Algo::Sha256, kSecret, body));
}

VerifyResult check(const std::vector<Header>& headers, std::string_view body,
                   const std::optional<std::string>& decoded) {
  VerifyOptions o;
  return verify_request(*find_scheme("github"), kSecret, KeyFormat::Raw, headers, {}, body, decoded,
                        o);
}

std::string codes(const VerifyResult& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += (out.empty() ? "" : " ") + f.code;
  return out;
}

const Finding* finding(const VerifyResult& r, std::string_view code) {
  for (const auto& f : r.findings)
    if (f.code == code) return &f;
  return nullptr;
}

} // namespace

TEST_CASE("content_coding_to_undo") {
  CHECK(content_coding_to_undo({{"content-encoding", " gzip "}}, "x") == std::string("gzip"));
  CHECK(content_coding_to_undo({{"Content-Encoding", "gzip, br"}}, "x") == std::string("gzip, br"));
  CHECK_FALSE(content_coding_to_undo({{"Content-Encoding", "identity"}}, "x"));
  CHECK_FALSE(content_coding_to_undo({{"Content-Encoding", ""}}, "x"));
  CHECK_FALSE(content_coding_to_undo({{"Content-Encoding", "gzip"}}, ""));
  CHECK_FALSE(content_coding_to_undo({{"Content-Type", "application/json"}}, "x"));
}

TEST_CASE("a Content-Encoding body is valid signed before or after compressing") {
  SUBCASE("signed before compressing: the decoded body matches") {
    auto r =
        check({{"Content-Encoding", "gzip"}, {"X-Hub-Signature-256", kPlainSig}}, kWire, kPlain);
    CHECK(r.valid);
    CHECK(r.findings.empty());
  }
  SUBCASE("signed as sent: the bytes as received match") {
    auto r = check({{"Content-Encoding", "gzip"}, {"X-Hub-Signature-256", github_sig(kWire)}},
                   kWire, kPlain);
    CHECK(r.valid);
    CHECK(r.findings.empty());
  }
  SUBCASE("without the decoded body only the bytes as received count") {
    auto r = check({{"Content-Encoding", "gzip"}, {"X-Hub-Signature-256", kPlainSig}}, kWire,
                   std::nullopt);
    CHECK_FALSE(r.valid);
  }
}

TEST_CASE("a Content-Encoding mismatch is diagnosed naming Content-Encoding") {
  SUBCASE("neither matches: both tried, and what explains the decoded body") {
    // The decoded body's signature with a newline the sender did not sign... in the decoding.
    auto r = check({{"Content-Encoding", "gzip"}, {"X-Hub-Signature-256", kPlainSig}}, kWire,
                   kPlain + "\n");
    CHECK_FALSE(r.valid);
    CHECK(r.reason == "signature does not match");
    CHECK(codes(r) == "trailing-newline-added content-encoding");
    REQUIRE(finding(r, "content-encoding"));
    CHECK(finding(r, "content-encoding")->message ==
          "checked over the 14 bytes as received (Content-Encoding: gzip) and over the 8 bytes "
          "they decode to: the signature matches neither");
  }
  SUBCASE("neither matches and nothing explains it") {
    auto r = check({{"Content-Encoding", "GZIP"}, {"X-Hub-Signature-256", github_sig("other")}},
                   kWire, kPlain);
    CHECK(codes(r) == "unexplained content-encoding");
    CHECK(finding(r, "content-encoding")->message.find("Content-Encoding: gzip)") !=
          std::string::npos);
  }
  SUBCASE("the header says gzip, the body does not decode: decoded on the way") {
    auto r = check({{"Content-Encoding", "gzip"}, {"X-Hub-Signature-256", github_sig(kWire)}},
                   kPlain, std::nullopt);
    CHECK_FALSE(r.valid);
    CHECK(codes(r) == "content-encoding");
    CHECK(finding(r, "content-encoding")
              ->message.rfind(
                  "the headers say Content-Encoding: gzip but the body does not decode as gzip",
                  0) == 0);
  }
  SUBCASE("gzip bytes with no header saying so") {
    auto r = check({{"X-Hub-Signature-256", kPlainSig}}, kWire, std::nullopt);
    CHECK_FALSE(r.valid);
    CHECK(codes(r) == "content-encoding");
    CHECK(finding(r, "content-encoding")
              ->message.rfind("the body is gzip-compressed but no Content-Encoding header says so",
                              0) == 0);
  }
  SUBCASE("a plain body without Content-Encoding gets no such finding") {
    auto r = check({{"X-Hub-Signature-256", kPlainSig}}, kPlain + "x", std::nullopt);
    CHECK_FALSE(finding(r, "content-encoding"));
  }
}

TEST_CASE("a matching signature that is too old is reported as such, whichever body matched") {
  const Scheme& s = *find_scheme("stripe");
  const std::string ts = "1700000000";
  const std::string sig = to_hex(hmac(Algo::Sha256, kSecret, ts + "." + kPlain));
  VerifyOptions o;
  o.now = 1700000000 + 3600;
  auto r =
      verify_request(s, kSecret, KeyFormat::Raw,
                     {{"Content-Encoding", "gzip"}, {"Stripe-Signature", "t=" + ts + ",v1=" + sig}},
                     {}, kWire, kPlain, o);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.rfind("timestamp too old", 0) == 0);
  CHECK(r.findings.empty());
}

TEST_CASE("verify_request turns what the request lacks into an invalid verdict") {
  const Scheme& s = *find_scheme("standard");
  VerifyOptions o;
  auto r = verify_request(s, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", s.key_format,
                          {{"webhook-timestamp", "1614265330"}, {"webhook-signature", "v1,AAAA"}},
                          {}, kPlain, std::nullopt, o);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.rfind("no webhook-id header", 0) == 0);
}

TEST_CASE("present_request: one missing-signature verdict, with a hint at the scheme that fits") {
  const Scheme& github = *find_scheme("github");
  for (const Faults faults : {Faults::Verdict, Faults::Thrown}) {
    const Presentation p =
        present_request(github, {{"Stripe-Signature", "t=1,v1=00"}}, std::nullopt, {}, faults);
    REQUIRE(p.verdict);
    CHECK_FALSE(p.verdict->valid);
    CHECK(p.verdict->reason == "no X-Hub-Signature-256 header in the request");
    CHECK(codes(*p.verdict) == "wrong-scheme");
  }
  SUBCASE("a signature header, or --signature, is something to check") {
    CHECK_FALSE(present_request(github, {{"x-hub-signature-256", kPlainSig}}, std::nullopt, {},
                                Faults::Verdict)
                    .verdict);
    CHECK_FALSE(present_request(github, {}, kPlainSig, {}, Faults::Thrown).verdict);
  }
}

TEST_CASE("a request's faults are its verdict when a sender sent it, an error when typed") {
  const Scheme& stripe = *find_scheme("stripe");
  const std::vector<Header> malformed{{"Stripe-Signature", "t=abc,v1=00"}};
  const Presentation p = present_request(stripe, malformed, std::nullopt, {}, Faults::Verdict);
  REQUIRE(p.verdict);
  CHECK(p.verdict->reason.rfind("timestamp 'abc'", 0) == 0);
  CHECK_THROWS_AS(present_request(stripe, malformed, std::nullopt, {}, Faults::Thrown), Error);

  SUBCASE("a URL the scheme signs and the request lacks") {
    const Scheme& square = *find_scheme("square");
    const Presentation sq = present_request(square, {{"x-square-hmacsha256-signature", "AAAA"}},
                                            std::nullopt, {}, Faults::Verdict);
    REQUIRE_FALSE(sq.verdict);
    VerifyOptions o;
    const VerifyResult r = verify_presented(square, kSecret, KeyFormat::Raw, sq.presented, kPlain,
                                            std::nullopt, o, Faults::Verdict);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("--url") != std::string::npos);
    CHECK_THROWS_AS(verify_presented(square, kSecret, KeyFormat::Raw, sq.presented, kPlain,
                                     std::nullopt, o, Faults::Thrown),
                    Error);
  }
}
