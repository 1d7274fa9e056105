// The built-in scheme table. The facts are the providers' own documentation and official SDKs; the
// published vectors that pin each row (SW-1, ST-1, GH-1, ... by the reference's IDs) are checked in
// tests/unit/signature/ (test_signature.cpp, test_twilio.cpp, test_scheme.cpp).
#include "core/signature/scheme.hpp"

#include <cctype>

namespace hooktool {

bool Scheme::needs_timestamp() const {
  switch (content) {
  case SignedContent::TimestampBody:
  case SignedContent::TimestampDotBody:
  case SignedContent::TimestampColonBody:
  case SignedContent::V0TimestampBody:
  case SignedContent::IdDotTimestampDotBody: return true;
  default: return false;
  }
}

namespace {

Scheme body_hmac(std::string name, std::string title, Algo algo, Encoding enc, std::string prefix,
                 std::string header, std::string note = {}) {
  Scheme s;
  s.name = std::move(name);
  s.title = std::move(title);
  s.algo = algo;
  s.encoding = enc;
  s.prefix = std::move(prefix);
  s.signature_headers = {std::move(header)};
  s.note = std::move(note);
  return s;
}

// The catalog: one row a scheme, so the function is as long as the table (a data table, not logic).
std::vector<Scheme> make_table() {
  std::vector<Scheme> t;
  t.push_back(body_hmac("wisepops", "Wisepops", Algo::Sha256, Encoding::Hex, "",
                        "X-Wisepops-Signature", "key: the site's API key"));
  t.push_back(body_hmac("wootric", "Wootric (InMoment)", Algo::Sha1, Encoding::Hex,
                        "sha1=", "X-Wootric-Signature", "key: the account's secret token"));
  t.push_back(body_hmac("github", "GitHub", Algo::Sha256, Encoding::Hex, "sha256=",
                        "X-Hub-Signature-256", "also Meta (Facebook, Instagram, WhatsApp)"));
  t.push_back(body_hmac("github-sha1", "GitHub (legacy header)", Algo::Sha1, Encoding::Hex,
                        "sha1=", "X-Hub-Signature"));
  {
    Scheme s;
    s.name = "stripe";
    s.title = "Stripe";
    s.prefix = "v1";
    s.content = SignedContent::TimestampDotBody;
    s.header_format = HeaderFormat::StripeList;
    s.signature_headers = {"Stripe-Signature"};
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 300;
    s.note = "the whsec_ secret is used verbatim, not base64-decoded";
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "slack";
    s.title = "Slack";
    s.prefix = "v0=";
    s.content = SignedContent::V0TimestampBody;
    s.signature_headers = {"X-Slack-Signature"};
    s.timestamp_headers = {"X-Slack-Request-Timestamp"};
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 300;
    t.push_back(s);
  }
  t.push_back(body_hmac("shopify", "Shopify", Algo::Sha256, Encoding::Base64, "",
                        "X-Shopify-Hmac-Sha256", "base64 without a prefix"));
  t.back().signature_headers.push_back("shopify-hmac-sha256");
  {
    Scheme s;
    s.name = "standard";
    s.title = "Standard Webhooks / Svix";
    s.encoding = Encoding::Base64;
    s.prefix = "v1";
    s.content = SignedContent::IdDotTimestampDotBody;
    s.key_format = KeyFormat::WhsecBase64;
    s.header_format = HeaderFormat::SpaceList;
    s.signature_headers = {"webhook-signature", "svix-signature"};
    s.timestamp_headers = {"webhook-timestamp", "svix-timestamp"};
    s.id_headers = {"webhook-id", "svix-id"};
    s.freshness = Freshness::BothWays;
    s.tolerance_s = 300;
    s.note = "whsec_ secret base64-decoded; v1a: Ed25519 with whsk_/whpk_ keys; also GitLab "
             "signing tokens, Clerk, Resend";
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "twilio";
    s.title = "Twilio";
    s.algo = Algo::Sha1;
    s.encoding = Encoding::Base64;
    s.content = SignedContent::UrlSortedForm;
    s.signature_headers = {"X-Twilio-Signature"};
    s.note = "needs --url; JSON bodies: the URL carries bodySHA256";
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "zoom";
    s.title = "Zoom";
    s.prefix = "v0=";
    s.content = SignedContent::V0TimestampBody;
    s.signature_headers = {"x-zm-signature"};
    s.timestamp_headers = {"x-zm-request-timestamp"};
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 300;
    s.note = "Zoom sets no window; hooktool uses 5 min";
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "paddle";
    s.title = "Paddle Billing";
    s.prefix = "h1";
    s.content = SignedContent::TimestampColonBody;
    s.header_format = HeaderFormat::PaddleList;
    s.signature_headers = {"Paddle-Signature"};
    // Only a timestamp more than 5 s old is refused, as both SDKs do: `now > (ts + 5) * 1000` in
    // https://github.com/PaddleHQ/paddle-node-sdk/blob/main/src/notifications/helpers/webhooks-validator.ts
    // and `time() > int(timestamp + self.maximum_variance)` in
    // https://github.com/PaddleHQ/paddle-python-sdk/blob/main/paddle_billing/Notifications/Verifier.py
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 5;
    s.note = "the official SDKs refuse a timestamp over 5 s old";
    t.push_back(s);
  }
  {
    // https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
    // and verifyKey in https://github.com/discord/discord-interactions-js/blob/main/src/index.ts
    Scheme s;
    s.name = "discord";
    s.title = "Discord interactions";
    s.signer = Signer::Ed25519;
    s.content = SignedContent::TimestampBody;
    s.key_format = KeyFormat::Ed25519;
    s.signature_headers = {"X-Signature-Ed25519"};
    s.timestamp_headers = {"X-Signature-Timestamp"};
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 300;
    s.note = "Ed25519, verify with the portal's Public Key (64 hex); Discord sets no window, "
             "hooktool uses 5 min";
    t.push_back(s);
  }
  t.push_back(body_hmac("typeform", "Typeform", Algo::Sha256, Encoding::Base64,
                        "sha256=", "Typeform-Signature", "sha256= followed by base64, not hex"));
  t.push_back(
      body_hmac("intercom", "Intercom", Algo::Sha1, Encoding::Hex, "sha1=", "X-Hub-Signature"));
  t.push_back(body_hmac("bitbucket", "Bitbucket", Algo::Sha256, Encoding::Hex,
                        "sha256=", "X-Hub-Signature", "X-Hub-Signature carries sha256 here"));
  {
    Scheme s = body_hmac("linear", "Linear", Algo::Sha256, Encoding::Hex, "", "Linear-Signature",
                         "freshness from the body's webhookTimestamp (ms)");
    s.freshness = Freshness::BodyFieldMs;
    s.tolerance_s = 60;
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "calendly";
    s.title = "Calendly";
    s.prefix = "v1";
    s.content = SignedContent::TimestampDotBody;
    s.header_format = HeaderFormat::StripeList;
    s.signature_headers = {"Calendly-Webhook-Signature"};
    s.freshness = Freshness::PastOnly;
    s.tolerance_s = 180;
    s.note = "Calendly sets no window; hooktool uses 3 min";
    t.push_back(s);
  }
  {
    Scheme s;
    s.name = "square";
    s.title = "Square";
    s.encoding = Encoding::Base64;
    s.content = SignedContent::UrlBody;
    s.signature_headers = {"x-square-hmacsha256-signature"};
    s.note = "needs --url: the notification URL is signed too";
    t.push_back(s);
  }
  t.push_back(body_hmac("asana", "Asana", Algo::Sha256, Encoding::Hex, "", "X-Hook-Signature",
                        "key: the X-Hook-Secret from the handshake"));
  t.push_back(body_hmac("woocommerce", "WooCommerce", Algo::Sha256, Encoding::Base64, "",
                        "X-WC-Webhook-Signature"));
  t.push_back(body_hmac("coinbase", "Coinbase Commerce", Algo::Sha256, Encoding::Hex, "",
                        "X-CC-Webhook-Signature"));
  t.push_back(
      body_hmac("lemonsqueezy", "Lemon Squeezy", Algo::Sha256, Encoding::Hex, "", "X-Signature"));
  return t;
}

} // namespace

const std::vector<Scheme>& builtin_schemes() {
  static const std::vector<Scheme> table = make_table();
  return table;
}

const Scheme* find_scheme(std::string_view name) {
  for (const auto& s : builtin_schemes())
    if (s.name == name) return &s;
  return nullptr;
}

Scheme make_hmac_scheme(Algo algo, Encoding encoding, std::string prefix, std::string header) {
  return body_hmac("hmac", "Generic HMAC", algo, encoding, std::move(prefix), std::move(header),
                   "--algo, --encoding, --prefix, --header");
}

std::string describe_signed_content(SignedContent content) {
  switch (content) {
  case SignedContent::Body: return "body";
  case SignedContent::TimestampBody: return "timestamp+body";
  case SignedContent::TimestampDotBody: return "timestamp.body";
  case SignedContent::TimestampColonBody: return "timestamp:body";
  case SignedContent::V0TimestampBody: return "v0:timestamp:body";
  case SignedContent::IdDotTimestampDotBody: return "id.timestamp.body";
  case SignedContent::UrlBody: return "url+body";
  case SignedContent::UrlSortedForm: return "url+sorted form fields";
  }
  return "body";
}

std::string_view encoding_name(Encoding encoding) {
  return encoding == Encoding::Hex ? "hex" : "base64";
}

std::optional<Encoding> parse_encoding(std::string_view name) {
  if (name == "hex") return Encoding::Hex;
  if (name == "base64") return Encoding::Base64;
  return std::nullopt;
}

std::string_view key_format_name(KeyFormat format) {
  switch (format) {
  case KeyFormat::Raw: return "raw";
  case KeyFormat::WhsecBase64: return "whsec";
  case KeyFormat::Base64: return "base64";
  case KeyFormat::Hex: return "hex";
  case KeyFormat::Ed25519: return "ed25519";
  }
  return "raw";
}

std::optional<KeyFormat> parse_key_format(std::string_view name) {
  if (name == "raw") return KeyFormat::Raw;
  if (name == "whsec") return KeyFormat::WhsecBase64;
  if (name == "base64") return KeyFormat::Base64;
  if (name == "hex") return KeyFormat::Hex;
  if (name == "ed25519") return KeyFormat::Ed25519;
  return std::nullopt;
}

std::string describe_scheme(const Scheme& s) {
  if (s.signer == Signer::Ed25519)
    return "Ed25519 of " + describe_signed_content(s.content) + ", " +
           std::string(encoding_name(s.encoding)) + ", public key to verify";
  std::string algo(algo_name(s.algo));
  for (auto& c : algo)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = "HMAC-" + algo + " of " + describe_signed_content(s.content) + ", " +
                    std::string(encoding_name(s.encoding));
  if (s.header_format == HeaderFormat::Plain && !s.prefix.empty()) out += ", prefix " + s.prefix;
  if (s.key_format != KeyFormat::Raw) out += ", key " + std::string(key_format_name(s.key_format));
  return out;
}

} // namespace hooktool
