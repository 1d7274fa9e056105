// Unit tests for core/signature/scheme's data side: the signed-content template (parse_template,
// signed_message), a scheme declared as data (parse_scheme, scheme_to_json), and the diagnosis
// checks derived from a template. Expected HMACs were computed with OpenSSL, e.g.
// printf 'PUT\n{"a":1}' | openssl dgst -sha256 -hmac diag_secret
#include <doctest/doctest.h>

#include <string>

#include "core/signature/crypto.hpp"
#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "signature_checks.hpp"

using namespace hooktool;
using namespace test;

namespace {

std::string error_of(std::string_view text) {
  try {
    parse_template(text, "test");
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

Scheme declared(const char* json_text) {
  return parse_scheme(nlohmann::json::parse(json_text), "test");
}

} // namespace

TEST_CASE("a template parses into literal text and placeholders") {
  const auto t = parse_template("v0:{timestamp}:{body}", "test");
  REQUIRE(t.parts.size() == 4);
  CHECK(t.parts[0].kind == TemplatePart::Kind::Literal);
  CHECK(t.parts[0].text == "v0:");
  CHECK(t.parts[1].kind == TemplatePart::Kind::Timestamp);
  CHECK(t.parts[3].kind == TemplatePart::Kind::Body);
  CHECK(t.source == "v0:{timestamp}:{body}");
  CHECK(t.streams_body());
  const auto h = parse_template("{header:X-Req}|{body:data.id}|{{x}}", "test");
  REQUIRE(h.parts.size() == 4);
  CHECK(h.parts[0].kind == TemplatePart::Kind::Header);
  CHECK(h.parts[0].text == "X-Req");
  CHECK(h.parts[2].kind == TemplatePart::Kind::BodyToken);
  CHECK(h.parts[2].text == "data.id");
  CHECK(h.parts[3].text == "|{x}");
  CHECK_FALSE(h.streams_body());
}

TEST_CASE("a template that does not parse says why") {
  CHECK(error_of("{nonce}.{body}") ==
        "unknown placeholder {nonce}: use {body}, {timestamp}, {timestamp_ms}, {id}, {method}, "
        "{url}, {form_sorted}, {header:NAME} or {body:PATH} in the signed template "
        "'{nonce}.{body}' (test)");
  CHECK(error_of("{body").find("a '{' without its '}'") == 0);
  CHECK(error_of("body}").find("a '}' without its '{'") == 0);
  CHECK(error_of("{header:}").find("{header:...} needs a name") == 0);
  CHECK(error_of("{timestamp:x}").find("{timestamp} takes no ':'") == 0);
}

TEST_CASE("signed_message renders every kind of part") {
  const Scheme s =
      declared(R"({"name": "t", "header": "X-Sig", "timestamp_header": "X-Ts", "id_header": "X-Id",
    "signs": "{method} {url} {timestamp} {timestamp_ms} {id} {header:X-Req} {body:data.n} {body:list.1} {body}"})");
  SigningContext ctx = ctx_of(1700000000, "msg_1", "https://h.test/x");
  ctx.method = "PUT";
  ctx.headers = {{"x-req", "r-9"}};
  const std::string body = R"({"data":{"n":"five"},"list":[1,2]})";
  CHECK(signed_message(s, ctx, body) ==
        "PUT https://h.test/x 1700000000 1700000000000 msg_1 r-9 five 2 " + body);
  ctx.method.clear(); // POST unless told
  ctx.timestamp_ms = 1700000000123;
  CHECK(signed_message(s, ctx, body).substr(0, 49) ==
        "POST https://h.test/x 1700000000 1700000000123 ms");
  ctx.headers.clear();
  CHECK_THROWS_WITH(signed_message(s, ctx, body),
                    "t signs the X-Req header: give it with --header 'X-Req: ...' (--header)");
  ctx.headers = {{"X-Req", "r"}};
  CHECK_THROWS_WITH(signed_message(s, ctx, "{}"),
                    "t signs the body's data.n and the body has none (payload)");
}

TEST_CASE("the built-in templates reproduce the documented signed strings") {
  const auto ctx = ctx_of(1700000000, "msg_1", "https://h.test/x");
  CHECK(signed_message(scheme("stripe"), ctx, "B") == "1700000000.B");
  CHECK(signed_message(scheme("paddle"), ctx, "B") == "1700000000:B");
  CHECK(signed_message(scheme("slack"), ctx, "B") == "v0:1700000000:B");
  CHECK(signed_message(scheme("standard"), ctx, "B") == "msg_1.1700000000.B");
  CHECK(signed_message(scheme("square"), ctx, "B") == "https://h.test/xB");
  CHECK(signed_message(scheme("twilio"), ctx, "b=2&a=1") == "https://h.test/xa1b2");
  CHECK(signed_message(scheme("github"), ctx, "B") == "B");
}

TEST_CASE("a declared scheme signs like openssl and round-trips as data") {
  // printf 'POST\nhttps://h.test/x\n1700000000\n{"a":1}' | openssl dgst -sha512 -hmac k -binary
  //   | base64
  const Scheme s = declared(R"({"name": "acme", "signs": "{method}\n{url}\n{timestamp}\n{body}",
    "algorithm": "sha512", "encoding": "base64", "header": "X-Sig", "timestamp_header": "X-Ts",
    "window": {"seconds": 300, "direction": "both"}})");
  const auto headers = sign_headers(s, "k", KeyFormat::Raw,
                                    ctx_of(1700000000, {}, "https://h.test/x"), R"({"a":1})");
  REQUIRE(headers.size() == 2);
  CHECK(headers[0].name == "X-Ts");
  CHECK(headers[0].value == "1700000000");
  CHECK(headers[1].name == "X-Sig");
  CHECK(headers[1].value ==
        base64_encode(hmac(Algo::Sha512, "k", "POST\nhttps://h.test/x\n1700000000\n{\"a\":1}")));
  CHECK(headers[1].value ==
        "rLWq13LbfL2LXINwzal7Ld182ooACMBgRh+ugVu6L+xqWV6gFxhoSkUSoiDG4oQiv6cGC1da9SXvhR0EFePN+g==");
  CHECK(scheme_to_json(s)["signs"] == "{method}\n{url}\n{timestamp}\n{body}");
  // Every built-in round-trips through its declaration.
  for (const Scheme& b : builtin_schemes()) {
    INFO("scheme " << b.name);
    const Scheme back = parse_scheme(nlohmann::json::parse(scheme_to_json(b).dump()), "test");
    CHECK(scheme_to_json(back) == scheme_to_json(b));
  }
}

TEST_CASE("a declaration that does not hold together is refused") {
  CHECK_THROWS_WITH(declared(R"({"name": "x", "signs": "{timestamp}.{body}", "header": "X-S"})"),
                    doctest::Contains("it signs a timestamp: give \"timestamp_header\""));
  CHECK_THROWS_WITH(declared(R"({"name": "x", "signs": "{id}{body}", "header": "X-S"})"),
                    doctest::Contains("it signs an id: give \"id_header\""));
  CHECK_THROWS_WITH(declared(R"({"name": "x", "signs": "{body}", "header": "X-S", "algo": "md5"})"),
                    doctest::Contains("unknown scheme field \"algo\""));
  CHECK_THROWS_WITH(
      declared(R"({"name": "x", "signs": "{body}", "header": "X-S", "algorithm": "md5"})"),
      doctest::Contains("unknown algorithm 'md5'"));
  CHECK_THROWS_WITH(declared(R"({"name": "x", "signs": "{body}"})"),
                    doctest::Contains("\"header\" names the signature's header"));
  CHECK_THROWS_WITH(
      declared(R"({"name": "x", "signs": "{body}", "header": "X-S", "window": {"seconds": 5}})"),
      doctest::Contains("a window needs a timestamp"));
}

TEST_CASE("a timestamp in milliseconds travels and is signed as such") {
  const Scheme s = declared(R"({"name": "ms", "signs": "{timestamp_ms}.{body}", "header": "X-S",
    "timestamp_header": "X-T", "timestamp_unit": "ms", "window": {"seconds": 60, "direction": "past"}})");
  SigningContext ctx = ctx_of(1700000000);
  ctx.timestamp_ms = 1700000000250;
  const auto headers = sign_headers(s, "k", KeyFormat::Raw, ctx, "B");
  CHECK(headers[0].value == "1700000000250");
  CHECK(headers[1].value == to_hex(hmac(Algo::Sha256, "k", "1700000000250.B")));
  const auto r = verify_lines(s, "k", KeyFormat::Raw,
                              {"X-T: 1700000000250", "X-S: " + headers[1].value}, "B", 1700000010);
  CHECK(r.valid);
}

TEST_CASE("diagnosis derived from the template") {
  const std::string body = R"({"a":1})";
  SUBCASE("the timestamp not prepended: stripe's list carries an HMAC of the body alone") {
    // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac diag_secret
    const auto r = verify_lines(
        scheme("stripe"), "diag_secret", KeyFormat::Raw,
        {"Stripe-Signature: "
         "t=1700000000,v1=55ace8e47693682411bc931dc08bea57c1d511d185ed080d17539b5c7b9a79a7"},
        body, 1700000000);
    CHECK_FALSE(r.valid);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "template-body-only");
    CHECK(r.findings[0].message == "it matches an HMAC of the body alone: the signer leaves out "
                                   "the rest of what Stripe signs ('{timestamp}.{body}')");
  }
  SUBCASE("a timestamp signed in milliseconds where the scheme signs seconds") {
    const auto sig = to_hex(hmac(Algo::Sha256, "diag_secret", "1700000000000." + body));
    const auto r = verify_lines(scheme("stripe"), "diag_secret", KeyFormat::Raw,
                                {"Stripe-Signature: t=1700000000,v1=" + sig}, body, 1700000000);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "timestamp-unit");
  }
  SUBCASE("the message id left empty") {
    const auto sig =
        base64_encode(hmac(Algo::Sha256, *base64_decode("c2VjcmV0"), ".1700000000." + body));
    const auto r = verify_lines(
        scheme("standard"), "whsec_c2VjcmV0", KeyFormat::WhsecBase64,
        {"webhook-id: msg_1", "webhook-timestamp: 1700000000", "webhook-signature: v1," + sig},
        body, 1700000000);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "id-empty");
  }
  SUBCASE("another method") {
    const Scheme s = declared(R"({"name": "m", "signs": "{method}\n{body}", "header": "X-S"})");
    // printf 'PUT\n{"a":1}' | openssl dgst -sha256 -hmac diag_secret
    const auto sig = to_hex(hmac(Algo::Sha256, "diag_secret", "PUT\n" + body));
    const auto r = verify_lines(s, "diag_secret", KeyFormat::Raw, {"X-S: " + sig}, body, 0);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "method");
    CHECK(r.findings[0].message ==
          "it matches the method PUT, not POST: the signer signed the method it used");
  }
}
