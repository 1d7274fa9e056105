// Unit tests for core/signature/diagnose: one test per finding code.
//
// Each case presents the signature a sender would produce after one mistake, then checks that
// verify() says invalid and names that mistake. Unless noted, the mistaken signature was computed
// on this machine with OpenSSL, e.g. printf 'hello world' | openssl dgst -sha256 -hmac diag_secret.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "../helpers.hpp"
#include "core/signature/crypto.hpp"
#include "core/signature/diagnose.hpp"
#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"

using namespace hooktool;
using namespace test;

namespace {

const std::string kSecret = "diag_secret";

VerifyResult check(const Scheme& s, std::string_view secret, KeyFormat format,
                   const std::vector<Header>& headers, std::string_view body,
                   const SigningContext& explicit_ctx = {}, std::int64_t now = 0) {
  const Presented p = extract_presented(s, headers, std::nullopt, explicit_ctx);
  VerifyOptions o;
  o.now = now;
  return verify(s, secret, format, p, body, o);
}

// github scheme (HMAC-SHA256, hex, "sha256=") with the test secret.
VerifyResult github(const std::string& header_value, std::string_view body,
                    std::string_view secret = kSecret) {
  return check(scheme("github"), secret, KeyFormat::Raw, {{"X-Hub-Signature-256", header_value}},
               body);
}

// The finding of that code is there, with a message.
bool has(const VerifyResult& r, std::string_view code) {
  const Finding* f = find_finding(r, code);
  return f != nullptr && !f->message.empty();
}

#define CHECK_FINDING(result, code)                                                                \
  do {                                                                                             \
    const VerifyResult& r_ = (result);                                                             \
    INFO("reason: " << r_.reason);                                                                 \
    INFO("codes: " << codes(r_));                                                                  \
    CHECK_FALSE(r_.valid);                                                                         \
    CHECK(has(r_, code));                                                                          \
  } while (false)

// printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac diag_secret
const std::string kA1Hex = "55ace8e47693682411bc931dc08bea57c1d511d185ed080d17539b5c7b9a79a7";
// ... -binary | base64
const std::string kA1B64 = "Vazo5HaTaCQRvJMdwIvqV8HVEdGF7QgNF1ObXHuaeac=";
const std::string kA1 = R"({"a":1})";

} // namespace

TEST_CASE("a valid signature produces no findings") {
  SUBCASE("github") {
    auto r = github("sha256=" + kA1Hex, kA1);
    CHECK(r.valid);
    CHECK(r.findings.empty());
  }
  SUBCASE("standard") {
    auto r =
        check(scheme("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", KeyFormat::WhsecBase64,
              {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
               {"webhook-timestamp", "1614265330"},
               {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}},
              R"({"test": 2432232314})", {}, 1614265330);
    CHECK(r.valid);
    CHECK(r.findings.empty());
  }
  SUBCASE("diagnose=false gives no findings on a mismatch") {
    const Scheme& s = scheme("github");
    Presented p =
        extract_presented(s, {{"X-Hub-Signature-256", "sha256=" + kA1Hex}}, std::nullopt, {});
    VerifyOptions o;
    o.diagnose = false;
    auto r = verify(s, "other_secret", KeyFormat::Raw, p, kA1, o);
    CHECK_FALSE(r.valid);
    CHECK(r.findings.empty());
  }
}

TEST_CASE("diagnosis trailing-newline-added") {
  SUBCASE("LF") {
    // printf 'hello world' | openssl dgst -sha256 -hmac diag_secret  (received with a final \n)
    CHECK_FINDING(github("sha256=f2f09c4b6d74f2eff7d3eea191325ca98a961894b06c21df8c56c4343ec99013",
                         "hello world\n"),
                  "trailing-newline-added");
  }
  SUBCASE("CRLF") {
    CHECK_FINDING(github("sha256=f2f09c4b6d74f2eff7d3eea191325ca98a961894b06c21df8c56c4343ec99013",
                         "hello world\r\n"),
                  "trailing-newline-added");
  }
}

TEST_CASE("diagnosis trailing-newline-lost") {
  // printf 'hello world\n' | openssl dgst -sha256 -hmac diag_secret  (received without it)
  CHECK_FINDING(github("sha256=6d5e059e63d6908e9c37baf578f4a77cc45bf8adfad56ce12485dac9a49f1356",
                       "hello world"),
                "trailing-newline-lost");
}

TEST_CASE("diagnosis line-endings") {
  SUBCASE("signed LF, received CRLF") {
    // printf 'line1\nline2' | openssl dgst -sha256 -hmac diag_secret
    CHECK_FINDING(github("sha256=97574dc4f4c077866cc2524f95b09619485d24b93bc1665e5fe82b24291a6858",
                         "line1\r\nline2"),
                  "line-endings");
  }
  SUBCASE("signed CRLF, received LF") {
    // printf 'line1\r\nline2' | openssl dgst -sha256 -hmac diag_secret
    CHECK_FINDING(github("sha256=20cd5ea2abcc235c07038780b4019823d03bf69775ebb39249ab0a358fe53246",
                         "line1\nline2"),
                  "line-endings");
  }
}

TEST_CASE("diagnosis json-minified") {
  // printf '%s' '{"a":1,"b":true}' | openssl dgst -sha256 -hmac diag_secret
  CHECK_FINDING(github("sha256=052fccafadcc57bbc8e4b72edb7f466d07b897b735aafda1cbcc62f68c197051",
                       R"({"a": 1,  "b": true})"),
                "json-minified");
}

TEST_CASE("diagnosis json-pretty") {
  SUBCASE("2 spaces") {
    // printf '{\n  "a": 1,\n  "b": "x"\n}' | openssl dgst -sha256 -hmac diag_secret
    CHECK_FINDING(github("sha256=5aac97d5b498e3249157ff6c193778a8bcbeccb693edf933165f7a3433d2a266",
                         R"({"a":1,"b":"x"})"),
                  "json-pretty");
  }
  SUBCASE("4 spaces") {
    // printf '{\n    "a": 1,\n    "b": "x"\n}' | openssl dgst -sha256 -hmac diag_secret
    CHECK_FINDING(github("sha256=790c2ac7e291c32afbc83de574302c3683a03a6f7e3822bd131a525e298b2f99",
                         R"({"a":1,"b":"x"})"),
                  "json-pretty");
  }
}

TEST_CASE("diagnosis json-python") {
  // printf '%s' '{"a": 1, "b": [1, 2]}' | openssl dgst -sha256 -hmac diag_secret
  CHECK_FINDING(github("sha256=ea9707adf8c755e9b213a8e31ae317532a5ac7b0eaa42038241f2fec0cf0e9e0",
                       R"({"a":1,"b":[1,2]})"),
                "json-python");
}

TEST_CASE("diagnosis json-ascii") {
  // printf '%s' '{"name":"\u00e9"}' | openssl dgst -sha256 -hmac diag_secret   (literal \u00e9)
  CHECK_FINDING(github("sha256=9df16cfa9d06e2c19becc6c01cd82538dd75868245f91bac22aa9e38cc21e358",
                       "{\"name\":\"\xC3\xA9\"}"),
                "json-ascii");
}

TEST_CASE("diagnosis key-whitespace") {
  SUBCASE("trailing newline in the verifier's key") {
    CHECK_FINDING(github("sha256=" + kA1Hex, kA1, "diag_secret\n"), "key-whitespace");
  }
  SUBCASE("spaces around the verifier's key") {
    CHECK_FINDING(github("sha256=" + kA1Hex, kA1, "  diag_secret "), "key-whitespace");
  }
}

TEST_CASE("diagnosis key-newline") {
  // printf '%s' '{"a":1}' | openssl dgst -sha256 -mac HMAC
  //   -macopt hexkey:$(printf 'diag_secret\n' | xxd -p)
  CHECK_FINDING(
      github("sha256=9d250053aa5f999a427ed004a74b44b89473f018dcda474cc40e12afe7bbd84f", kA1),
      "key-newline");
}

TEST_CASE("diagnosis whsec-verbatim") {
  // Standard Webhooks message of SW-1 signed with the whole whsec_ string as key (Stripe style):
  // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
  //   openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -binary | base64
  auto r =
      check(scheme("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", KeyFormat::WhsecBase64,
            {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
             {"webhook-timestamp", "1614265330"},
             {"webhook-signature", "v1,TcxlhK9b6UD6iVI1ZU2tTqp8PEVfYRseNNfa6b+LcUg="}},
            R"({"test": 2432232314})", {}, 1614265330);
  CHECK_FINDING(r, "whsec-verbatim");
}

TEST_CASE("diagnosis whsec-decoded") {
  // Stripe message signed with the whsec_ secret base64-decoded (Standard Webhooks style):
  // printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -mac HMAC
  //   -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0
  auto r =
      check(scheme("stripe"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", KeyFormat::Raw,
            {{"Stripe-Signature",
              "t=1700000000,v1=b00abdba789ad393f654698eabc190239f08ffb270d8731d90b5f03d765b47db"}},
            R"({"id":"evt_1","object":"event"})", {}, 1700000000);
  CHECK_FINDING(r, "whsec-decoded");
}

TEST_CASE("diagnosis wrong-algorithm") {
  SUBCASE("sha512 where sha256 is expected") {
    // printf '%s' '{"a":1}' | openssl dgst -sha512 -hmac diag_secret
    auto r = github("sha256=3048f0dd8c89bdd2d6d436ad3c86c911a23f680c5bf6353cb60ce6570b896c14"
                    "d4f0694be05c920d4ff5fa2b957e0ea50a6e34dfb7beba48b937758974e069bc",
                    kA1);
    CHECK_FINDING(r, "wrong-algorithm");
    CHECK_FALSE(has(r, "wrong-scheme")); // no built-in scheme uses sha512
  }
  SUBCASE("sha1 where sha256 is expected") {
    // printf '%s' '{"a":1}' | openssl dgst -sha1 -hmac diag_secret
    auto r = github("sha1=04b953a9e71ac7a65f5f1972d7b7caee026a4923", kA1);
    CHECK_FINDING(r, "wrong-algorithm");
  }
}

TEST_CASE("diagnosis wrong-encoding") {
  SUBCASE("base64 where hex is expected") {
    // The right MAC, in base64 instead of hex.
    CHECK_FINDING(github("sha256=" + kA1B64, kA1), "wrong-encoding");
  }
  SUBCASE("hex where base64 is expected") {
    auto r =
        check(scheme("shopify"), kSecret, KeyFormat::Raw, {{"X-Shopify-Hmac-Sha256", kA1Hex}}, kA1);
    CHECK_FINDING(r, "wrong-encoding");
  }
}

TEST_CASE("diagnosis uppercase-hex") {
  // echo <kA1Hex> | tr a-f A-F
  CHECK_FINDING(
      github("sha256=55ACE8E47693682411BC931DC08BEA57C1D511D185ED080D17539B5C7B9A79A7", kA1),
      "uppercase-hex");
}

TEST_CASE("diagnosis missing-prefix") {
  SUBCASE("github bare hex") { CHECK_FINDING(github(kA1Hex, kA1), "missing-prefix"); }
  SUBCASE("standard webhooks without v1,") {
    auto r =
        check(scheme("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", KeyFormat::WhsecBase64,
              {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
               {"webhook-timestamp", "1614265330"},
               {"webhook-signature", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}},
              R"({"test": 2432232314})", {}, 1614265330);
    CHECK_FINDING(r, "missing-prefix");
    CHECK(r.reason == "no v1, signature in webhook-signature");
  }
}

TEST_CASE("diagnosis unexpected-prefix") {
  // Wisepops sends bare hex; a sha256= prefix is a mistake.
  auto r = check(scheme("wisepops"), kSecret, KeyFormat::Raw,
                 {{"X-Wisepops-Signature", "sha256=" + kA1Hex}}, kA1);
  CHECK_FINDING(r, "unexpected-prefix");
}

TEST_CASE("diagnosis wrong-prefix") {
  CHECK_FINDING(github("sha1=" + kA1Hex, kA1), "wrong-prefix");
}

TEST_CASE("diagnosis misplaced") {
  // The right Stripe MAC, but under v0= where Stripe reads only v1=.
  // printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -hmac
  // whsec_test_secret is ST-2's v1 from the reference.
  auto r =
      check(scheme("stripe"), "whsec_test_secret", KeyFormat::Raw,
            {{"Stripe-Signature",
              "t=1700000000,v0=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"}},
            R"({"id":"evt_1","object":"event"})", {}, 1700000000);
  CHECK_FINDING(r, "misplaced");
  CHECK(r.reason == "no v1= signature in Stripe-Signature");
}

TEST_CASE("diagnosis wrong-scheme") {
  // A Shopify-style signature (base64 HMAC-SHA256 of the body alone) checked as Square, which also
  // signs the notification URL.  ... | openssl dgst -sha256 -hmac diag_secret -binary | base64
  // Given with --signature: no header says whose it is.
  SigningContext ctx;
  ctx.url = "https://example.test/square-hook";
  const Scheme& s = scheme("square");
  VerifyOptions o;
  auto r = verify(s, kSecret, KeyFormat::Raw, extract_presented(s, {}, kA1B64, ctx), kA1, o);
  CHECK_FINDING(r, "wrong-scheme");
  for (const auto& f : r.findings)
    if (f.code == "wrong-scheme") CHECK(f.message.find("shopify") != std::string::npos);
}

TEST_CASE("diagnosis wrong-scheme is left out when the header names the vendor") {
  SUBCASE("Square's own header: not shopify's signature") {
    SigningContext ctx;
    ctx.url = "https://example.test/square-hook";
    auto r = check(scheme("square"), kSecret, KeyFormat::Raw,
                   {{"x-square-hmacsha256-signature", kA1B64}}, kA1, ctx);
    CHECK_FALSE(r.valid);
    CHECK_FALSE(has(r, "wrong-scheme"));
  }
  SUBCASE("X-Hub-Signature is shared: intercom's sha1 checked as bitbucket") {
    // printf '%s' '{"a":1}' | openssl dgst -sha1 -hmac diag_secret
    auto r = check(scheme("bitbucket"), kSecret, KeyFormat::Raw,
                   {{"X-Hub-Signature", "sha1=" + to_hex(hmac(Algo::Sha1, kSecret, kA1))}}, kA1);
    CHECK_FINDING(r, "wrong-scheme");
    for (const auto& f : r.findings)
      if (f.code == "wrong-scheme")
        CHECK(f.message.find("(github-sha1, intercom)") != std::string::npos);
  }
  SUBCASE("Stripe's header, --key-format whsec: not calendly") {
    // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac
    // whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string sig = to_hex(hmac(Algo::Sha256, secret, "1700000000." + kA1));
    auto r = check(scheme("stripe"), secret, KeyFormat::WhsecBase64,
                   {{"Stripe-Signature", "t=1700000000,v1=" + sig}}, kA1, {}, 1700000000);
    CHECK(codes(r) == "key-format");
  }
}

TEST_CASE("diagnosis unexplained") {
  // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac other_secret
  auto r = github("sha256=9cd887f632ee117dbff1f35fcaa78e100174e05703de5db7525fd8246cc02d6d", kA1);
  CHECK_FINDING(r, "unexplained");
  CHECK(codes(r) == "unexplained");
}

TEST_CASE("diagnosis not-a-signature") {
  auto r = github("sha256=not a signature!", kA1);
  CHECK_FINDING(r, "not-a-signature");
  CHECK(codes(r) == "not-a-signature");
}

TEST_CASE("diagnose() called directly names the same mistake") {
  const Scheme& s = scheme("github");
  Presented p = extract_presented(
      s,
      {{"X-Hub-Signature-256",
        "sha256=f2f09c4b6d74f2eff7d3eea191325ca98a961894b06c21df8c56c4343ec99013"}},
      std::nullopt, {});
  auto findings = diagnose(s, kSecret, KeyFormat::Raw, p, "hello world\n");
  REQUIRE_FALSE(findings.empty());
  CHECK(findings.front().code == "trailing-newline-added");
}

// ---- Point by point, what issue 10 found wrong or missing; the sender's signature is computed
// here with core/signature/crypto over what the sender sent; the copy verified is what arrived
// changed.

TEST_CASE(
    "diagnosis line-endings: CRLF and a final CRLF from a Windows editor, not re-serialized JSON") {
  const std::string sent = "{\n  \"a\": 1\n}";
  const std::string copy = "{\r\n  \"a\": 1\r\n}\r\n";
  auto r = github("sha256=" + to_hex(hmac(Algo::Sha256, kSecret, sent)), copy);
  CHECK(codes(r) == "line-endings");
  CHECK(r.findings[0].message.find("no final newline") != std::string::npos);
  SUBCASE("a final CRLF over LF the sender also ended with: CRLF only") {
    auto r2 = github("sha256=" + to_hex(hmac(Algo::Sha256, kSecret, sent + "\n")), copy);
    CHECK(codes(r2) == "line-endings");
    CHECK(r2.findings[0].message.find("no final newline") == std::string::npos);
  }
}

namespace {

VerifyResult square_at(const std::string& signed_url, const std::string& url,
                       const std::vector<Header>& extra = {}) {
  const std::string sig = base64_encode(hmac(Algo::Sha256, kSecret, signed_url + kA1));
  std::vector<Header> headers = extra;
  headers.push_back({"x-square-hmacsha256-signature", sig});
  SigningContext ctx;
  ctx.url = url;
  return check(scheme("square"), kSecret, KeyFormat::Raw, headers, kA1, ctx);
}

} // namespace

TEST_CASE("diagnosis of the URL, for the schemes that sign it") {
  SUBCASE("http for https") {
    auto r = square_at("https://example.test/hook", "http://example.test/hook");
    CHECK(codes(r) == "url-scheme");
    CHECK(r.findings[0].message.rfind("it matches the URL with https:// where yours has http://",
                                      0) == 0);
  }
  SUBCASE("http on a forwarded port for https without it") {
    auto r = square_at("https://example.test/hook", "http://example.test:8080/hook");
    CHECK(codes(r) == "url-scheme");
    CHECK(r.findings[0].message.find("and no port") != std::string::npos);
  }
  SUBCASE("the default port added or dropped") {
    CHECK(codes(square_at("https://example.test:443/hook", "https://example.test/hook")) ==
          "url-port");
    auto r = square_at("https://example.test/hook", "https://example.test:443/hook");
    CHECK(codes(r) == "url-port");
    CHECK(r.findings[0].message.find("without its port :443") != std::string::npos);
  }
  SUBCASE("the query dropped or reordered") {
    CHECK(codes(square_at("https://example.test/hook", "https://example.test/hook?x=1")) ==
          "url-query");
    auto r =
        square_at("https://example.test/hook?b=2&a=1&c=3", "https://example.test/hook?a=1&c=3&b=2");
    CHECK(codes(r) == "url-query");
    CHECK(r.findings[0].message.find("in another order") != std::string::npos);
  }
  SUBCASE("a trailing slash") {
    CHECK(codes(square_at("https://example.test/hook/", "https://example.test/hook")) ==
          "url-trailing-slash");
    CHECK(codes(square_at("https://example.test/hook", "https://example.test/hook/")) ==
          "url-trailing-slash");
  }
  SUBCASE("the Host a proxy rewrote") {
    auto r =
        square_at("https://hooks.example.test/hook", "http://127.0.0.1:8080/hook",
                  {{"X-Forwarded-Host", "hooks.example.test"}, {"X-Forwarded-Proto", "https"}});
    CHECK(codes(r) == "url-host");
    CHECK(r.findings[0].message.find("hooks.example.test") == std::string::npos); // no sender bytes
    CHECK(
        codes(square_at("https://hooks.example.test/hook", "http://127.0.0.1:8080/hook",
                        {{"Forwarded", "for=1.2.3.4;host=\"hooks.example.test\";proto=https"}})) ==
        "url-host");
  }
  SUBCASE("Twilio: http for https is named, the port is not (verify accepts either)") {
    const Scheme& s = scheme("twilio");
    const std::string body = "CallSid=CA1&Digits=1234";
    const std::string sig = base64_encode(hmac(Algo::Sha1, kSecret,
                                               "https://example.test/hook"
                                               "CallSidCA1Digits1234"));
    SigningContext ctx;
    ctx.url = "http://example.test/hook";
    auto r = check(s, kSecret, KeyFormat::Raw, {{"X-Twilio-Signature", sig}}, body, ctx);
    CHECK(codes(r) == "url-scheme");
    ctx.url = "https://example.test:443/hook";
    CHECK(check(s, kSecret, KeyFormat::Raw, {{"X-Twilio-Signature", sig}}, body, ctx).valid);
  }
}

TEST_CASE("diagnosis form-reencoded") {
  auto sent_as = [](const std::string& sent, const std::string& copy) {
    return github("sha256=" + to_hex(hmac(Algo::Sha256, kSecret, sent)), copy);
  };
  SUBCASE("brackets") {
    auto r = sent_as("response%5Bscore%5D=7&tags%5B%5D=a", "response[score]=7&tags[]=a");
    CHECK(codes(r) == "form-reencoded");
    CHECK(r.findings[0].message.find("brackets percent-encoded (%5B%5D)") != std::string::npos);
    CHECK(codes(sent_as("tags[]=a", "tags%5b%5d=a")) == "form-reencoded");
  }
  SUBCASE("'+' and %20") {
    auto r = sent_as("name=Ada%20Lovelace", "name=Ada+Lovelace");
    CHECK(codes(r) == "form-reencoded");
    CHECK(r.findings[0].message.find("spaces written %20 where your copy has '+'") !=
          std::string::npos);
    CHECK(codes(sent_as("name=Ada+Lovelace", "name=Ada%20Lovelace")) == "form-reencoded");
  }
  SUBCASE("%2F decoded") {
    auto r = sent_as("url=https%3A%2F%2Fexample.test%2Fa", "url=https%3A//example.test/a");
    CHECK(codes(r) == "form-reencoded");
    CHECK(r.findings[0].message.find("'/' percent-encoded (%2F)") != std::string::npos);
  }
  SUBCASE("a mixture: the form written again the standard way") {
    auto r = sent_as("a%5B%5D=x+y&u=%2Fp%21", "a[]=x%20y&u=/p!");
    CHECK(codes(r) == "form-reencoded");
    CHECK(r.findings[0].message.find("the standard way (spaces as '+')") != std::string::npos);
  }
  SUBCASE("a JSON body is not a form") {
    CHECK(codes(sent_as("{\"a\":\"x%20y\"}", "{\"a\":\"x+y\"}")) == "unexplained");
  }
}

TEST_CASE("diagnosis whsec-missing: a Stripe secret given without whsec_") {
  const std::string full = "whsec_test_secret";
  const std::string sig = to_hex(hmac(Algo::Sha256, full, "1700000000." + kA1));
  auto r = check(scheme("stripe"), "test_secret", KeyFormat::Raw,
                 {{"Stripe-Signature", "t=1700000000,v1=" + sig}}, kA1, {}, 1700000000);
  CHECK(codes(r) == "whsec-missing");
  CHECK(r.findings[0].message ==
        "it matches the secret with whsec_ in front: Stripe signs with the whole secret as its "
        "dashboard shows it, whsec_ included; give the secret with its whsec_ prefix");
}

TEST_CASE("diagnosis key-format: --key-format against the scheme's own") {
  // Standard Webhooks SW-1, verified with --key-format raw.
  auto r = check(scheme("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", KeyFormat::Raw,
                 {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
                  {"webhook-timestamp", "1614265330"},
                  {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}},
                 R"({"test": 2432232314})", {}, 1614265330);
  CHECK(codes(r) == "key-format");
  CHECK(r.findings[0].message ==
        "it matches the secret read the way Standard Webhooks / Svix reads it (whsec_ stripped, "
        "the rest base64-decoded): drop --key-format raw");
}
