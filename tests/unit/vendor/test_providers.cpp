// Unit tests for the built-in vendors beyond the seeds (GitHub, Stripe, Slack, Shopify, Standard
// Webhooks): their sample bodies and the headers each one sends, checked against the providers'
// documentation (the URLs are in the vendor files' notes); and what holds for every vendor: the
// same seed gives the same bytes, another seed fresh ids; and the vendor file format's headers,
// success rule, ordered delivery and retry headers.
#include <doctest/doctest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "core/show/capture.hpp"
#include "core/show/render.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"
#include "vendor_checks.hpp"

using namespace hooktool;
using namespace vendor_checks;

TEST_CASE("vendor github: the ping event") {
  Sample s = sample("github", "ping");
  REQUIRE(s.json.is_object());
  check_fields(s.json, {{"zen", Kind::String},
                        {"hook_id", Kind::Integer},
                        {"hook", Kind::Object},
                        {"hook.type", Kind::String},
                        {"hook.id", Kind::Integer},
                        {"hook.name", Kind::String},
                        {"hook.active", Kind::Boolean},
                        {"hook.events", Kind::Array},
                        {"hook.config", Kind::Object},
                        {"hook.config.content_type", Kind::String},
                        {"hook.config.insecure_ssl", Kind::String},
                        {"hook.config.url", Kind::String},
                        {"hook.created_at", Kind::String},
                        {"hook.updated_at", Kind::String},
                        {"hook.url", Kind::String},
                        {"hook.ping_url", Kind::String},
                        {"hook.deliveries_url", Kind::String},
                        {"repository", Kind::Object},
                        {"repository.id", Kind::Integer},
                        {"repository.name", Kind::String},
                        {"repository.full_name", Kind::String},
                        {"repository.owner.login", Kind::String},
                        {"sender", Kind::Object},
                        {"sender.login", Kind::String},
                        {"sender.id", Kind::Integer}});
  CHECK(s.json["hook"]["id"] == s.json["hook_id"]);
  CHECK(text_at(s.json, "hook.name") == "web");
  CHECK(text_at(s.json, "hook.created_at") == "2023-11-14T22:13:20Z");
  CHECK(!text_at(s.json, "zen").empty());
}

TEST_CASE("vendor github: the delivery headers GitHub sends, and the event they name") {
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
  const Sample s = sample("github", "ping");
  CHECK(header_names(s) == std::vector<std::string>{"User-Agent", "X-GitHub-Delivery",
                                                    "X-GitHub-Event", "X-GitHub-Hook-ID",
                                                    "X-GitHub-Hook-Installation-Target-ID",
                                                    "X-GitHub-Hook-Installation-Target-Type"});
  CHECK(matches(header_value(s, "User-Agent"), "GitHub-Hookshot/[0-9a-f]{7}"));
  CHECK(matches(header_value(s, "X-GitHub-Delivery"), kUuid));
  CHECK(header_value(s, "X-GitHub-Event") == "ping");
  // The hook and the repository of the body.
  CHECK(header_value(s, "X-GitHub-Hook-ID") == s.json["hook_id"].dump());
  CHECK(header_value(s, "X-GitHub-Hook-Installation-Target-ID") ==
        s.json["repository"]["id"].dump());
  CHECK(header_value(s, "X-GitHub-Hook-Installation-Target-Type") == "repository");
  CHECK(header_value(s, "X-GitHub-Delivery") !=
        header_value(sample("github", "ping", 8), "X-GitHub-Delivery"));

  // listen names the event of such a delivery from X-GitHub-Event (the body names none).
  CapturedRequest request;
  request.method = "POST";
  request.headers = s.headers;
  request.headers.push_back({"Content-Type", s.content_type});
  request.body = s.body;
  CHECK(describe_event(request) == "ping");
  request.headers.clear();
  CHECK(describe_event(request).empty());
}

TEST_CASE("vendor stripe: an Event object wrapping a PaymentIntent") {
  Sample s = sample("stripe", "payment_intent.succeeded");
  REQUIRE(s.json.is_object());
  check_fields(s.json, {{"id", Kind::String},
                        {"object", Kind::String},
                        {"api_version", Kind::String},
                        {"created", Kind::Integer},
                        {"data", Kind::Object},
                        {"data.object", Kind::Object},
                        {"data.object.id", Kind::String},
                        {"data.object.object", Kind::String},
                        {"data.object.amount", Kind::Integer},
                        {"data.object.amount_received", Kind::Integer},
                        {"data.object.currency", Kind::String},
                        {"data.object.status", Kind::String},
                        {"livemode", Kind::Boolean},
                        {"pending_webhooks", Kind::Integer},
                        {"request", Kind::Object},
                        {"request.id", Kind::String},
                        {"type", Kind::String}});
  CHECK(matches(text_at(s.json, "id"), "evt_[A-Za-z0-9]{24}"));
  CHECK(text_at(s.json, "object") == "event");
  CHECK(matches(text_at(s.json, "api_version"), R"(\d{4}-\d{2}-\d{2}(\.\w+)?)"));
  CHECK(s.json["created"] == kNowMs / 1000);
  CHECK(matches(text_at(s.json, "data.object.id"), "pi_[A-Za-z0-9]{24}"));
  CHECK(text_at(s.json, "data.object.object") == "payment_intent");
  CHECK(text_at(s.json, "data.object.status") == "succeeded");
  CHECK(s.json["data"]["object"]["amount"] == s.json["data"]["object"]["amount_received"]);
  CHECK(text_at(s.json, "type") == "payment_intent.succeeded");
  CHECK(text_at(s.json, "type") == s.event);
  // Stripe pretty-prints its event bodies with two spaces.
  CHECK(s.body.rfind("{\n  \"id\": \"evt_", 0) == 0);
}

TEST_CASE("vendor stripe: Stripe's User-Agent") {
  // As seen on Stripe's deliveries (the vendor file's notes cite where).
  const Sample s = sample("stripe", "payment_intent.succeeded");
  CHECK(header_names(s) == std::vector<std::string>{"User-Agent"});
  CHECK(header_value(s, "User-Agent") == "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
}

TEST_CASE("vendor slack: an Events API event_callback") {
  Sample s = sample("slack", "");
  CHECK(s.content_type == "application/json");
  REQUIRE(s.json.is_object());
  check_fields(s.json, {{"token", Kind::String},
                        {"team_id", Kind::String},
                        {"api_app_id", Kind::String},
                        {"event", Kind::Object},
                        {"event.type", Kind::String},
                        {"event.user", Kind::String},
                        {"event.text", Kind::String},
                        {"event.ts", Kind::String},
                        {"event.channel", Kind::String},
                        {"event.event_ts", Kind::String},
                        {"type", Kind::String},
                        {"event_id", Kind::String},
                        {"event_time", Kind::Integer},
                        {"authorizations", Kind::Array}});
  CHECK(text_at(s.json, "type") == "event_callback");
  CHECK(text_at(s.json, "event.type") == s.event);
  CHECK(matches(text_at(s.json, "team_id"), "T[A-Z0-9]{8,}"));
  CHECK(matches(text_at(s.json, "api_app_id"), "A[A-Z0-9]{8,}"));
  CHECK(matches(text_at(s.json, "event_id"), "Ev[A-Z0-9]{8,}"));
  CHECK(matches(text_at(s.json, "event.ts"), R"(\d{10}\.\d{6})"));
  CHECK(s.json["event_time"] == kNowMs / 1000);
}

TEST_CASE("vendor slack: Slack's User-Agent, and X-Slack-Retry-Num and -Reason on retries") {
  const Sample s = sample("slack", "app_mention");
  CHECK(header_names(s) == std::vector<std::string>{"User-Agent"});
  CHECK(header_value(s, "User-Agent") == "Slackbot 1.0 (+https://api.slack.com/robots)");
  // https://api.slack.com/apis/events-api#retries: send expands {{retry}} and {{retry_reason}}.
  const Delivery& d = vendor("slack").delivery;
  CHECK(d.retry_headers == HeaderTemplates{{"X-Slack-Retry-Num", "{{retry}}"},
                                           {"X-Slack-Retry-Reason", "{{retry_reason}}"}});
  CHECK(d.retry_ms == std::vector<std::int64_t>{0, 60'000, 300'000});
}

TEST_CASE("vendor shopify: an orders/create Order") {
  Sample s = sample("shopify", "orders/create");
  REQUIRE(s.json.is_object());
  check_fields(s.json, {{"id", Kind::Integer},
                        {"email", Kind::String},
                        {"created_at", Kind::String},
                        {"updated_at", Kind::String},
                        {"name", Kind::String},
                        {"order_number", Kind::Integer},
                        {"currency", Kind::String},
                        {"total_price", Kind::String},
                        {"subtotal_price", Kind::String},
                        {"total_tax", Kind::String},
                        {"financial_status", Kind::String},
                        {"customer", Kind::Object},
                        {"customer.id", Kind::Integer},
                        {"customer.email", Kind::String},
                        {"line_items", Kind::Array},
                        {"line_items.0.id", Kind::Integer},
                        {"line_items.0.title", Kind::String},
                        {"line_items.0.quantity", Kind::Integer},
                        {"line_items.0.price", Kind::String}});
  CHECK(text_at(s.json, "created_at") == "2023-11-14T22:13:20+00:00");
  // Money is a decimal string in Shopify's REST resources.
  for (const char* money : {"total_price", "subtotal_price", "total_tax", "line_items.0.price"}) {
    INFO("field ", money);
    CHECK(matches(text_at(s.json, money), R"(\d+\.\d{2})"));
  }
  const json* number = find_path(s.json, "order_number");
  if (number) CHECK(text_at(s.json, "name") == "#" + number->dump());
}

TEST_CASE("vendor shopify: the headers of every delivery") {
  // https://shopify.dev/docs/apps/build/webhooks/delivery-structure (X-Shopify-Hmac-Sha256 is the
  // signature, which send adds from the scheme).
  const Sample s = sample("shopify", "orders/create");
  CHECK(header_names(s) == std::vector<std::string>{"X-Shopify-Topic", "X-Shopify-Shop-Domain",
                                                    "X-Shopify-API-Version", "X-Shopify-Webhook-Id",
                                                    "X-Shopify-Triggered-At",
                                                    "X-Shopify-Event-Id"});
  CHECK(header_value(s, "X-Shopify-Topic") == "orders/create");
  CHECK(matches(header_value(s, "X-Shopify-Shop-Domain"), R"([a-z0-9-]+\.myshopify\.com)"));
  CHECK(matches(header_value(s, "X-Shopify-API-Version"), R"(\d{4}-(01|04|07|10))"));
  CHECK(matches(header_value(s, "X-Shopify-Webhook-Id"), kUuid));
  CHECK(matches(header_value(s, "X-Shopify-Event-Id"), kUuid));
  CHECK(header_value(s, "X-Shopify-Webhook-Id") != header_value(s, "X-Shopify-Event-Id"));
  // ISO 8601 UTC with nanoseconds, at the sample's time.
  CHECK(matches(header_value(s, "X-Shopify-Triggered-At"), R"(2023-11-14T22:13:20\.123\d{6}Z)"));
}

TEST_CASE("vendor standard: type, timestamp and data, nothing else") {
  Sample s = sample("standard", "");
  REQUIRE(s.json.is_object());
  check_fields(s.json,
               {{"type", Kind::String}, {"timestamp", Kind::String}, {"data", Kind::Object}});
  CHECK(s.json.size() == 3);
  CHECK(text_at(s.json, "type") == s.event);
  CHECK(text_at(s.json, "type").find('.') != std::string::npos);
  CHECK(text_at(s.json, "timestamp") == "2023-11-14T22:13:20.123Z");
}

TEST_CASE("vendor samples: the same seed and time give the same bytes") {
  for (const auto& v : Catalog::builtin().all()) {
    for (const auto& e : v.events) {
      for (const auto& f : v.formats) {
        const std::string& format = f.first;
        INFO("vendor ", v.name, " event ", e.name, " format ", format);
        CHECK(sample(v.name, e.name, 1234, format).body ==
              sample(v.name, e.name, 1234, format).body);
      }
    }
  }
}

TEST_CASE("vendor samples: another seed gives fresh ids") {
  // The id each vendor makes fresh on every delivery (GitHub's ping describes one fixed hook).
  const std::vector<std::tuple<std::string, std::string, std::string>> ids = {
      {"wisepops", "email", "0.form_session"},
      {"wisepops", "phone", "0.form_session"},
      {"wisepops", "survey", "0.form_session"},
      {"esputnik", "delivered", "0.iid"},
      {"esputnik", "undelivered", "0.iid"},
      {"joturl", "link-created", "id"},
      {"wootric", "response-created", "response.id"},
      {"wootric", "decline-created", "decline.id"},
      {"stripe", "payment_intent.succeeded", "id"},
      {"stripe", "payment_intent.succeeded", "data.object.id"},
      {"slack", "app_mention", "event_id"},
      {"shopify", "orders/create", "id"},
      {"standard", "contact.created", "data.id"}};
  for (const auto& id : ids) {
    const std::string& vendor_name = std::get<0>(id);
    const std::string& event = std::get<1>(id);
    const std::string& path = std::get<2>(id);
    INFO("vendor ", vendor_name, " event ", event, " id ", path);
    const json a = sample(vendor_name, event, 1).json;
    const json b = sample(vendor_name, event, 2).json;
    const json* id_a = find_path(a, path);
    const json* id_b = find_path(b, path);
    REQUIRE(id_a != nullptr);
    REQUIRE(id_b != nullptr);
    CHECK(*id_a != *id_b);
  }
  for (const auto& v : Catalog::builtin().all()) {
    if (v.name == "github") continue;
    for (const auto& e : v.events) {
      INFO("vendor ", v.name, " event ", e.name);
      CHECK(sample(v.name, e.name, 1).body != sample(v.name, e.name, 2).body);
    }
  }
}

TEST_CASE("vendor files: headers, the success rule, ordered delivery and retry headers") {
  const char* text = R"({
    "name": "acme", "headers": {"User-Agent": "Acme-Hookshot/{{digits:3}}", "X-Acme-Hook": "7"},
    "delivery": {"success": [200], "ordered": true, "retry_headers": {"X-Acme-Retry": "{{retry}}"}},
    "events": [{"name": "ping", "headers": {"x-acme-hook": "{{int:8:8}}", "X-Acme-Event": "ping"},
                "body": {"a": 1}}]})";
  const VendorProfile v = parse_vendor(text, "acme.json");
  CHECK(v.delivery.delivered(200));
  CHECK_FALSE(v.delivery.delivered(204));
  CHECK(v.delivery.success_rule() == "HTTP 200");
  CHECK(v.delivery.ordered);
  REQUIRE(v.delivery.retry_headers.size() == 1);
  CHECK(v.delivery.retry_headers[0].second == "{{retry}}");
  Random random(std::uint64_t{1});
  SampleOptions options;
  options.now_ms = kNowMs;
  const Sample s = make_sample(v, options, random);
  // The vendor's headers first, in order, then the event's; the event's replaces the vendor's.
  REQUIRE(s.headers.size() == 3);
  CHECK(s.headers[0].name == "User-Agent");
  CHECK(std::regex_match(s.headers[0].value, std::regex("Acme-Hookshot/[0-9]{3}")));
  CHECK(s.headers[1].name == "x-acme-hook");
  CHECK(s.headers[1].value == "8");
  CHECK(s.headers[2].value == "ping");

  SUBCASE("the default is any 2xx") {
    const VendorProfile plain =
        parse_vendor(R"({"name": "p", "events": [{"name": "e", "body": {}}]})", "p.json");
    CHECK(plain.delivery.delivered(204));
    CHECK_FALSE(plain.delivery.delivered(301));
    CHECK(plain.delivery.success_rule() == "any 2xx");
    CHECK_FALSE(plain.delivery.ordered);
  }
  SUBCASE("bad declarations are input errors naming the field") {
    CHECK_THROWS_WITH(
        parse_vendor(
            R"({"name": "p", "delivery": {"success": [99]}, "events": [{"name": "e", "body": {}}]})",
            "p.json"),
        doctest::Contains("p.json: delivery.success"));
    CHECK_THROWS_WITH(
        parse_vendor(
            R"({"name": "p", "delivery": {"success": "3xx"}, "events": [{"name": "e", "body": {}}]})",
            "p.json"),
        doctest::Contains("\"2xx\" or a list"));
    CHECK_THROWS_WITH(
        parse_vendor(
            R"({"name": "p", "headers": {"Bad Name": "x"}, "events": [{"name": "e", "body": {}}]})",
            "p.json"),
        doctest::Contains("is not a header name"));
    CHECK_THROWS_WITH(
        parse_vendor(
            R"({"name": "p", "headers": {"X-A": "a\r\nX-B: b"}, "events": [{"name": "e", "body": {}}]})",
            "p.json"),
        doctest::Contains("line break"));
    CHECK_THROWS_WITH(
        parse_vendor(
            R"({"name": "p", "headers": {"X-A": 1}, "events": [{"name": "e", "body": {}}]})",
            "p.json"),
        doctest::Contains("must be a string"));
  }
}
