// Unit tests for core/signature: Twilio, which signs the URL with the form's parameters sorted
// (or, with a JSON body, the URL with the body's hash), with the vectors of its SDKs.
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
// URL-signing schemes
// ---------------------------------------------------------------------------------------------

TEST_CASE("Twilio form vectors TW-1 and TW-2 sign and verify") {
  const Scheme& s = scheme("twilio");
  SUBCASE("TW-1") {
    const std::string url = "https://example.com/myapp.php?foo=1&bar=2";
    // Params out of order and '+' percent-encoded, as a form post carries them.
    const std::string body = "To=%2B18005551212&From=%2B14158675310&Caller=%2B14158675310&Digits="
                             "1234&CallSid=CA1234567890ABCDE";
    auto headers = sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "X-Twilio-Signature");
    CHECK(headers[0].value == "L/OH5YylLD5NRKLltdqwSvS0BnU=");
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw,
                             {"X-Twilio-Signature: L/OH5YylLD5NRKLltdqwSvS0BnU="}, body, 0,
                             ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("TW-2") {
    const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const std::string body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%"
                             "2B14158675309&To=%2B18005551212";
    auto headers = sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body);
    CHECK(value_of(headers, "X-Twilio-Signature") == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw,
                             {"X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="}, body, 0,
                             ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("a different URL fails") {
    auto r = verify_lines(s, "12345", KeyFormat::Raw,
                          {"X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="},
                          "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%"
                          "2B14158675309&To=%2B18005551212",
                          0, ctx_of(std::nullopt, {}, "https://mycompany.com/myapp.php?foo=1"));
    CHECK_FALSE(r.valid);
  }
}

TEST_CASE("Twilio JSON vector TW-3 signs the bodySHA256 URL and checks the body hash") {
  const Scheme& s = scheme("twilio");
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                          "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  SUBCASE("sign") {
    CHECK(value_of(sign_headers(s, "12345", KeyFormat::Raw, ctx_of(std::nullopt, {}, url), body),
                   "X-Twilio-Signature") == "a9nBmqA0ju/hNViExpshrM61xv4=");
  }
  SUBCASE("verify") {
    CHECK_VALID(verify_lines(s, "12345", KeyFormat::Raw,
                             {"X-Twilio-Signature: a9nBmqA0ju/hNViExpshrM61xv4="}, body, 0,
                             ctx_of(std::nullopt, {}, url)));
  }
  SUBCASE("the URL signature matches but the body hash does not") {
    auto r = verify_lines(
        s, "12345", KeyFormat::Raw, {"X-Twilio-Signature: a9nBmqA0ju/hNViExpshrM61xv4="},
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
