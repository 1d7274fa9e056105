// What the signature tests share (test_signature.cpp, test_verify.cpp, test_twilio.cpp): signing
// and verifying the way `hooktool sign` and `hooktool verify` do, and the vectors of the
// signature-scheme reference (section 3; each vector's ID is in the name of the test using it).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../helpers.hpp"
#include "core/signature/scheme.hpp"
#include "core/signature/signature.hpp"

namespace test {

using namespace hooktool;

inline SigningContext ctx_of(std::optional<std::int64_t> ts, std::string id = {},
                             std::string url = {}) {
  SigningContext ctx;
  ctx.timestamp = ts;
  ctx.id = std::move(id);
  ctx.url = std::move(url);
  return ctx;
}

// Signs like `hooktool sign`: derive the key, MAC, encode, render the headers.
inline std::vector<Header> sign_headers(const Scheme& s, std::string_view secret, KeyFormat format,
                                        const SigningContext& ctx, std::string_view body) {
  const std::string key = derive_key(format, secret);
  return signature_header_lines(s, encode_mac(s, compute_mac(s, key, ctx, body)), ctx);
}

inline Presented presented_from(const Scheme& s, const std::vector<std::string>& lines,
                                const SigningContext& explicit_ctx = {}) {
  std::vector<Header> headers;
  for (const auto& line : lines)
    headers.push_back(parse_header_line(line, "test"));
  return extract_presented(s, headers, std::nullopt, explicit_ctx);
}

// Verifies like `hooktool verify --header ...`.
inline VerifyResult verify_lines(const Scheme& s, std::string_view secret, KeyFormat format,
                                 const std::vector<std::string>& lines, std::string_view body,
                                 std::int64_t now, const SigningContext& explicit_ctx = {},
                                 std::optional<std::int64_t> tolerance = std::nullopt) {
  const Presented p = presented_from(s, lines, explicit_ctx);
  VerifyOptions options;
  options.now = now;
  options.tolerance_s = tolerance;
  return verify(s, secret, format, p, body, options);
}

#define CHECK_VALID(result)                                                                        \
  do {                                                                                             \
    const VerifyResult& r_ = (result);                                                             \
    INFO("reason: " << r_.reason);                                                                 \
    CHECK(r_.valid);                                                                               \
    CHECK(r_.reason.empty());                                                                      \
    CHECK(r_.findings.empty());                                                                    \
  } while (false)

// ---- Vectors (reference section 3) ----

// SW-1
inline const std::string kSw1Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
inline const std::string kSw1Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
inline constexpr std::int64_t kSw1Ts = 1614265330;
inline const std::string kSw1Body = R"({"test": 2432232314})";
inline const std::string kSw1Sig = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// SW-3 rotation: the new secret's signature of the SW-1 message.
inline const std::string kSw3NewSecret = "whsec_YW5vdGhlci0yNC1ieXRlLXNlY3JldCEh";
inline const std::string kSw3NewSig = "2NoWYYnx3BnNfUw9ADePU92Kj9eQ9fkLrh19WnUJQH4=";

// ST-1
inline const std::string kStripeSecret = "whsec_test_secret";
inline constexpr std::int64_t kStripeTs = 1700000000;
inline const std::string kSt1Body =
    "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
inline const std::string kSt1Sig =
    "4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150";
// ST-2
inline const std::string kSt2Body = R"({"id":"evt_1","object":"event"})";
inline const std::string kSt2Sig =
    "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";

// SL-1
inline const std::string kSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
inline constexpr std::int64_t kSlackTs = 1531420618;
inline const std::string kSlackBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib"
    "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
inline const std::string kSlackSig =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

// PD-1
inline const std::string kPaddleSecret =
    "pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI";
inline constexpr std::int64_t kPaddleTs = 1700000000;
inline const std::string kPaddleBody =
    R"({"event_id":"evt_01hv8x2acma2gz3we5sw3x4vz6","event_type":"transaction.completed",)"
    R"("occurred_at":"2023-11-14T22:13:20.000000Z","notification_id":"ntf_01hv8x2af6ckcqz6rxbvd1j0ab",)"
    R"("data":{"id":"txn_01hv8wptq8987qeep44cyrewp9"}})";
inline const std::string kPaddleSig =
    "50f910e1c6cc5fa726bb1743a66eb8f764ba7f226434f000249857b33bc9edb5";

// LN-1
inline const std::string kLinearSecret = "lin_wh_demo_secret";
inline const std::string kLinearBody =
    R"({"action":"create","type":"Issue","data":{"id":"a1b2"},"webhookTimestamp":1700000000000})";
inline const std::string kLinearSig =
    "f3006ca4e026cda822e9499fac40b8a950ea7bcbf479462d5eda3201e319f92d";

// A clearly wrong signature of the right shape (64 hex digits).
inline const std::string kBadHex(64, '0');

} // namespace test
