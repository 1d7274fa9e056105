// Unit tests for core/signature/scheme: the catalog's invariants (every row named, titled, with a
// header, names that parse back), find_scheme, and each row that has a reference vector signing
// it to the value the provider documents.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/signature/crypto.hpp"
#include "core/signature/scheme.hpp"
#include "signature_checks.hpp"

using namespace hooktool;
using namespace test;

TEST_CASE("every built-in scheme has a unique name, a title and a signature header") {
  REQUIRE_FALSE(builtin_schemes().empty());
  std::set<std::string> names;
  for (const Scheme& s : builtin_schemes()) {
    INFO("scheme " << s.name);
    CHECK_FALSE(s.name.empty());
    CHECK(names.insert(s.name).second);
    CHECK_FALSE(s.title.empty());
    REQUIRE_FALSE(s.signature_headers.empty());
    for (const auto& h : s.signature_headers)
      CHECK_FALSE(h.empty());
    CHECK_FALSE(describe_scheme(s).empty());
    CHECK_FALSE(describe_signed_content(s.content).empty());
  }
}

TEST_CASE("every built-in scheme's algorithm, encoding and key format parse back") {
  for (const Scheme& s : builtin_schemes()) {
    INFO("scheme " << s.name);
    CHECK(parse_algo(algo_name(s.algo)) == s.algo);
    CHECK(parse_encoding(encoding_name(s.encoding)) == s.encoding);
    CHECK(parse_key_format(key_format_name(s.key_format)) == s.key_format);
  }
}

TEST_CASE("a scheme's inputs agree with what it signs") {
  for (const Scheme& s : builtin_schemes()) {
    INFO("scheme " << s.name);
    // A scheme that signs a timestamp checks its age, and one that checks an age signs one
    // (Linear reads it from the body, not a header).
    if (s.freshness != Freshness::None) CHECK(s.tolerance_s > 0);
    if (s.needs_timestamp()) CHECK(s.freshness != Freshness::None);
    if (s.needs_id()) CHECK_FALSE(s.id_headers.empty());
    if (s.header_format == HeaderFormat::SpaceList) CHECK_FALSE(s.timestamp_headers.empty());
  }
}

TEST_CASE("find_scheme finds each row by its exact name, and nothing else") {
  for (const Scheme& s : builtin_schemes())
    CHECK(find_scheme(s.name) == &s);
  CHECK(find_scheme("") == nullptr);
  CHECK(find_scheme("GitHub") == nullptr); // names are exact, lower-case
  CHECK(find_scheme("github ") == nullptr);
  CHECK(find_scheme("no-such-scheme") == nullptr);
}

TEST_CASE("make_hmac_scheme builds the generic row from its options") {
  const Scheme s = make_hmac_scheme(Algo::Sha512, Encoding::Base64, "v9=", "X-Sig");
  CHECK(s.name == "hmac");
  CHECK(s.algo == Algo::Sha512);
  CHECK(s.encoding == Encoding::Base64);
  CHECK(s.prefix == "v9=");
  REQUIRE(s.signature_headers.size() == 1);
  CHECK(s.signature_headers[0] == "X-Sig");
  CHECK(s.content.source == "{body}");
  CHECK(find_scheme("hmac") == nullptr); // not a catalog row
}

TEST_CASE("the rows sign their reference vectors to the documented header values") {
  struct Vector {
    const char* id;
    const char* scheme;
    std::string secret;
    SigningContext ctx;
    std::string body;
    const char* header;
    std::string value;
  };
  const std::vector<Vector> vectors = {
      {"SW-1", "standard", kSw1Secret, ctx_of(kSw1Ts, kSw1Id), kSw1Body, "webhook-signature",
       "v1," + kSw1Sig},
      {"ST-2", "stripe", kStripeSecret, ctx_of(kStripeTs), kSt2Body, "Stripe-Signature",
       "t=" + std::to_string(kStripeTs) + ",v1=" + kSt2Sig},
      {"SL-1", "slack", kSlackSecret, ctx_of(kSlackTs), kSlackBody, "X-Slack-Signature", kSlackSig},
      {"PD-1", "paddle", kPaddleSecret, ctx_of(kPaddleTs), kPaddleBody, "Paddle-Signature",
       "ts=" + std::to_string(kPaddleTs) + ";h1=" + kPaddleSig},
      {"LN-1", "linear", kLinearSecret, {}, kLinearBody, "Linear-Signature", kLinearSig},
      {"GH-2",
       "github",
       "mysecret",
       {},
       R"({"foo":"bar"})",
       "X-Hub-Signature-256",
       "sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3"},
  };
  for (const auto& v : vectors) {
    INFO(v.id << " with scheme " << v.scheme);
    const Scheme& s = scheme(v.scheme);
    const auto headers = sign_headers(s, v.secret, s.key_format, v.ctx, v.body);
    CHECK(value_of(headers, v.header) == v.value);
  }
}
