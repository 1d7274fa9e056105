// Unit tests for the built-in vendor catalog (vendors/*.json through core/vendor and core/sample):
// every sample is checked against the field list of the vendor's own documentation. The lists are
// written here from the docs, not read from the JSON files, so a file that drifts fails.
#include <doctest/doctest.h>

#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/util/url.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"

using namespace hooktool;
using json = nlohmann::ordered_json;

namespace {

// 2023-11-14T22:13:20.123Z: fixed so that time fields can be compared exactly.
constexpr std::int64_t kNowMs = 1700000000123;

enum class Kind { String, Integer, Boolean, Object, Array, Null };

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::String: return "string";
    case Kind::Integer: return "integer";
    case Kind::Boolean: return "boolean";
    case Kind::Object: return "object";
    case Kind::Array: return "array";
    case Kind::Null: return "null";
  }
  return "?";
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::String: return value.is_string();
    case Kind::Integer: return value.is_number_integer();
    case Kind::Boolean: return value.is_boolean();
    case Kind::Object: return value.is_object();
    case Kind::Array: return value.is_array();
    case Kind::Null: return value.is_null();
  }
  return false;
}

// "a.b.0.c": object keys and array indexes; nullptr when a step is missing.
const json* find_path(const json& doc, const std::string& path) {
  const json* node = &doc;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string step = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (node->is_array()) {
      if (step.empty() || step.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      size_t index = std::stoul(step);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else if (node->is_object()) {
      auto it = node->find(step);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

using FieldList = std::vector<std::pair<std::string, Kind>>;

// INFO captures its arguments in a lambda, and C++17 lets a lambda capture variables but not
// structured bindings (gcc accepts them, clang does not): the loops below name their parts instead.

void check_fields(const json& doc, const FieldList& fields) {
  for (const auto& field : fields) {
    const std::string& path = field.first;
    const Kind kind = field.second;
    INFO("field ", path, " should be a ", kind_name(kind));
    const json* value = find_path(doc, path);
    CHECK(value != nullptr);
    if (value) CHECK(has_kind(*value, kind));
  }
}

std::string text_at(const json& doc, const std::string& path) {
  const json* value = find_path(doc, path);
  return value && value->is_string() ? value->get<std::string>() : std::string("<not a string>");
}

bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern));
}

const char* const kUuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

const VendorProfile& vendor(const std::string& name) {
  const VendorProfile* v = Catalog::builtin().find(name);
  REQUIRE_MESSAGE(v != nullptr, "no built-in vendor ", name);
  return *v;
}

Sample sample(const std::string& vendor_name, const std::string& event, std::uint64_t seed = 7,
              const std::string& format = "", int batch = 1) {
  SampleOptions options;
  options.event = event;
  options.format = format;
  options.batch = batch;
  options.now_ms = kNowMs;
  Random random(seed);
  return make_sample(vendor(vendor_name), options, random);
}

std::vector<std::string> event_names(const VendorProfile& v) {
  std::vector<std::string> out;
  for (const auto& e : v.events) out.push_back(e.name);
  return out;
}

}  // namespace

TEST_CASE("the built-in vendor catalog holds the seed vendors with their events and schemes") {
  const Catalog& catalog = Catalog::builtin();
  std::set<std::string> names;
  for (const auto& v : catalog.all()) names.insert(v.name);
  CHECK(names == std::set<std::string>{"esputnik", "github", "joturl", "shopify", "slack", "standard",
                                        "stripe", "wisepops", "wisepops-v1", "wootric"});

  using Names = std::vector<std::string>;
  CHECK(event_names(vendor("wisepops")) == Names{"email", "phone", "survey"});
  CHECK(event_names(vendor("wisepops-v1")) == Names{"email"});
  CHECK(event_names(vendor("esputnik")) == Names{"delivered", "undelivered", "read", "clicked",
                                                 "unsubscribed", "spam", "subscription-changed"});
  CHECK(event_names(vendor("joturl")) == Names{"cta-form", "social-optin", "link-created"});
  CHECK(event_names(vendor("wootric")) == Names{"response-created", "response-updated", "decline-created"});
  for (const char* single : {"github", "stripe", "slack", "shopify", "standard"}) {
    INFO("vendor ", single);
    CHECK(vendor(single).events.size() == 1);
  }
  CHECK(vendor("github").events.front().name == "ping");

  // Signature schemes from design.md's table; eSputnik and JotUrl do not sign.
  CHECK(vendor("wisepops").scheme == "wisepops");
  CHECK(vendor("wisepops-v1").scheme == "wisepops");
  CHECK(vendor("esputnik").scheme.empty());
  CHECK(vendor("joturl").scheme.empty());
  CHECK(vendor("wootric").scheme == "wootric");
  for (const char* same : {"github", "stripe", "slack", "shopify", "standard"}) {
    INFO("vendor ", same);
    CHECK(vendor(same).scheme == same);
  }

  // Wisepops and eSputnik post arrays; the others one object per request.
  for (const auto& v : catalog.all()) {
    INFO("vendor ", v.name);
    CHECK(v.batch == (v.name == "wisepops" || v.name == "wisepops-v1" || v.name == "esputnik"));
    CHECK(!v.docs.empty());
    CHECK(!v.title.empty());
    CHECK(v.formats.front().first == "json");
    CHECK(v.formats.front().second == "application/json");
  }
  using Formats = std::vector<std::pair<std::string, std::string>>;
  CHECK(vendor("wootric").formats == Formats{{"json", "application/json"},
                                            {"form", "application/x-www-form-urlencoded"}});
}

TEST_CASE("every built-in vendor sample expands fully and is valid JSON") {
  for (const auto& v : Catalog::builtin().all()) {
    for (const auto& e : v.events) {
      for (const auto& f : v.formats) {
        const std::string& format = f.first;
        const std::string& type = f.second;
        INFO("vendor ", v.name, " event ", e.name, " format ", format);
        Sample s = sample(v.name, e.name, 11, format);
        CHECK(s.event == e.name);
        CHECK(s.content_type == type);
        CHECK(s.body.find("{{") == std::string::npos);
        CHECK(s.json.dump().find("{{") == std::string::npos);
        if (format == "json") {
          CHECK(json::accept(s.body));
          CHECK(s.json.is_array() == v.batch);
        }
      }
    }
  }
}

TEST_CASE("vendor wisepops (api2): a JSON array of leads with the documented fields") {
  const FieldList lead = {{"collected_at", Kind::String}, {"wisepop_id", Kind::Integer},
                          {"form_session", Kind::String}, {"ip", Kind::String},
                          {"country_code", Kind::String}, {"fields", Kind::Object}};
  for (const char* event : {"email", "phone", "survey"}) {
    INFO("event ", event);
    Sample s = sample("wisepops", event);
    CHECK(s.content_type == "application/json");
    REQUIRE(s.json.is_array());
    REQUIRE(s.json.size() == 1);
    const json& record = s.json[0];
    check_fields(record, lead);
    CHECK(text_at(record, "collected_at") == "2023-11-14T22:13:20.123Z");
    CHECK(matches(text_at(record, "form_session"), kUuid));
    CHECK(matches(text_at(record, "country_code"), "[A-Z]{2}"));
    CHECK(matches(text_at(record, "ip"), R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"));
    CHECK(!record["fields"].empty());
    for (const auto& value : record["fields"]) CHECK(value.is_string());
  }
  SUBCASE("email: fields holds the email") {
    const json record = sample("wisepops", "email").json[0];
    CHECK(matches(text_at(record, "fields.email"), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
  }
  SUBCASE("phone: fields holds a phone number, not an email") {
    const json record = sample("wisepops", "phone").json[0];
    CHECK(matches(text_at(record, "fields.phone"), R"(\+\d{8,15})"));
    CHECK(find_path(record, "fields.email") == nullptr);
  }
  SUBCASE("survey: fields maps questions to answers") {
    const json record = sample("wisepops", "survey").json[0];
    CHECK(find_path(record, "fields.email") == nullptr);
    CHECK(find_path(record, "fields.phone") == nullptr);
    CHECK(record["fields"].size() >= 1);
  }
  SUBCASE("--batch N gives N leads, each with its own form_session") {
    Sample s = sample("wisepops", "email", 3, "", 3);
    REQUIRE(s.json.size() == 3);
    std::set<std::string> sessions;
    for (const auto& record : s.json) sessions.insert(record["form_session"].get<std::string>());
    CHECK(sessions.size() == 3);
  }
  SUBCASE("the --set examples of the issue address real fields") {
    json doc = sample("wisepops", "email").json;
    apply_set(doc, "fields.email", "me@example.com");
    apply_set(doc, "0.fields.City", "Paris");
    CHECK(doc[0]["fields"]["email"] == "me@example.com");
    CHECK(doc[0]["fields"]["City"] == "Paris");
  }
}

TEST_CASE("vendor wisepops-v1 (api1): email at the top level and other_fields") {
  Sample s = sample("wisepops-v1", "email");
  REQUIRE(s.json.is_array());
  REQUIRE(s.json.size() == 1);
  const json& record = s.json[0];
  check_fields(record, {{"collected_at", Kind::String},
                        {"email", Kind::String},
                        {"wisepop_id", Kind::Integer},
                        {"ip", Kind::String},
                        {"country_code", Kind::String},
                        {"other_fields", Kind::Object}});
  CHECK(matches(text_at(record, "email"), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
  // api2's names are not api1's.
  CHECK(find_path(record, "fields") == nullptr);
  CHECK(find_path(record, "form_session") == nullptr);
}

TEST_CASE("vendor esputnik: arrays of activity records, status-specific fields only where documented") {
  const std::vector<std::pair<std::string, std::string>> statuses = {
      {"delivered", "DELIVERED"},       {"undelivered", "UNDELIVERED"}, {"read", "READ"},
      {"clicked", "CLICKED"},           {"unsubscribed", "UNSUBSCRIBED"}, {"spam", "SPAM"},
      {"subscription-changed", "SUBSCRIPTION_CHANGED"}};
  const FieldList common = {{"iid", Kind::String},          {"contactId", Kind::Integer},
                            {"activityStatus", Kind::String}, {"mediaType", Kind::String},
                            {"activityDateTime", Kind::String}, {"messageId", Kind::Integer},
                            {"messageInstanceId", Kind::Integer}, {"statusData", Kind::Object}};
  for (const auto& pair : statuses) {
    const std::string& event = pair.first;
    const std::string& status = pair.second;
    INFO("event ", event);
    Sample s = sample("esputnik", event);
    REQUIRE(s.json.is_array());
    REQUIRE(s.json.size() == 1);
    const json& record = s.json[0];
    check_fields(record, common);
    CHECK(text_at(record, "activityStatus") == status);
    // yyyy-MM-ddTHH:mm:ss, as in eSputnik's examples ("2023-09-14T08:30:03").
    CHECK(text_at(record, "activityDateTime") == "2023-11-14T22:13:20");
    // A bulk campaign (broadcastId) or a workflow (workflowId), one of the two.
    const json* broadcast = find_path(record, "broadcastId");
    const json* workflow = find_path(record, "workflowId");
    CHECK((broadcast != nullptr) != (workflow != nullptr));
    if (broadcast) CHECK(broadcast->is_number_integer());
    if (workflow) CHECK(workflow->is_number_integer());
    // The contact's address for the channel: email or sms.
    const json* email = find_path(record, "email");
    const json* sms = find_path(record, "sms");
    CHECK((email != nullptr) != (sms != nullptr));
    if (email) CHECK(matches(email->get<std::string>(), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
    if (sms) CHECK(matches(sms->get<std::string>(), R"(\d{10,15})"));
    // Only UNDELIVERED carries statusDescription and hardBounce; only CLICKED clickEventLink.
    CHECK((find_path(record, "statusDescription") != nullptr) == (status == "UNDELIVERED"));
    CHECK((find_path(record, "hardBounce") != nullptr) == (status == "UNDELIVERED"));
    CHECK((find_path(record, "clickEventLink") != nullptr) == (status == "CLICKED"));
    CHECK((find_path(record, "subscriptions") != nullptr) == (status == "SUBSCRIPTION_CHANGED"));
  }
  SUBCASE("undelivered: the reason and the blacklist flag") {
    const json record = sample("esputnik", "undelivered").json[0];
    check_fields(record, {{"statusDescription", Kind::String}, {"hardBounce", Kind::Boolean}});
    CHECK(!text_at(record, "statusDescription").empty());
  }
  SUBCASE("clicked: the link") {
    const json record = sample("esputnik", "clicked").json[0];
    CHECK(matches(text_at(record, "clickEventLink"), "https?://.+"));
  }
  SUBCASE("subscription-changed: the category keys") {
    const json record = sample("esputnik", "subscription-changed").json[0];
    REQUIRE(find_path(record, "subscriptions") != nullptr);
    CHECK(record["subscriptions"].is_array());
    CHECK(!record["subscriptions"].empty());
    for (const auto& key : record["subscriptions"]) CHECK(key.is_string());
  }
  SUBCASE("delivery: GET on save, no signature, retries doubling from 1 minute up to hourly") {
    const Delivery& d = vendor("esputnik").delivery;
    CHECK(d.get_on_save);
    CHECK(d.method == "POST");
    CHECK(!d.notes.empty());
    REQUIRE(d.retry_ms.size() >= 5);
    CHECK(d.retry_ms[0] == 60'000);
    CHECK(d.retry_ms[1] == 120'000);
    CHECK(d.retry_ms[2] == 240'000);
    CHECK(d.retry_ms[3] == 480'000);
    CHECK(d.retry_ms.back() == 3'600'000);
    for (size_t i = 1; i < d.retry_ms.size(); ++i) {
      CHECK(d.retry_ms[i] > d.retry_ms[i - 1]);
      CHECK(d.retry_ms[i] <= 2 * d.retry_ms[i - 1]);
    }
  }
}

TEST_CASE("vendor joturl: flat objects, extended_info a JSON object inside a string") {
  for (const char* event : {"cta-form", "social-optin"}) {
    INFO("event ", event);
    Sample s = sample("joturl", event);
    REQUIRE(s.json.is_object());
    check_fields(s.json, {{"data", Kind::String},
                          {"type", Kind::String},
                          {"date", Kind::String},
                          {"name", Kind::String},
                          {"extended_info", Kind::String}});
    // Flat: nothing nested at the top level.
    for (const auto& value : s.json) CHECK(!value.is_structured());
    CHECK(text_at(s.json, "date") == "2023-11-14 22:13:20");
    const std::string info = text_at(s.json, "extended_info");
    REQUIRE(json::accept(info));
    const json parsed = json::parse(info);
    CHECK(parsed.is_object());
    CHECK(!parsed.empty());
    // The raw body carries it as an escaped string, not as an object.
    CHECK(s.body.find("\"extended_info\":\"{\\\"") != std::string::npos);
  }
  SUBCASE("link-created: the tracking link's fields") {
    Sample s = sample("joturl", "link-created");
    REQUIRE(s.json.is_object());
    check_fields(s.json, {{"id", Kind::String},
                          {"alias", Kind::String},
                          {"domain_host", Kind::String},
                          {"domain_id", Kind::String},
                          {"project_id", Kind::String},
                          {"project_name", Kind::String},
                          {"short_url", Kind::String},
                          {"long_url", Kind::String},
                          {"notes", Kind::String},
                          {"tags", Kind::String}});
    for (const auto& value : s.json) CHECK(!value.is_structured());
    const std::string short_url = text_at(s.json, "short_url");
    CHECK(short_url == "https://" + text_at(s.json, "domain_host") + "/" + text_at(s.json, "alias"));
    CHECK(matches(text_at(s.json, "long_url"), "https?://.+"));
  }
  SUBCASE("delivery: unsigned, a timeout of a few seconds") {
    const Delivery& d = vendor("joturl").delivery;
    CHECK(d.timeout_ms >= 1'000);
    CHECK(d.timeout_ms <= 10'000);
    CHECK_FALSE(d.get_on_save);
  }
}

TEST_CASE("vendor wootric: response and decline payloads, JSON and Rack-style form") {
  const FieldList response = {{"response.id", Kind::Integer},
                              {"response.email", Kind::String},
                              {"response.external_id", Kind::String},
                              {"response.score", Kind::Integer},
                              {"response.text", Kind::String},
                              {"response.ip_address", Kind::String},
                              {"response.origin_url", Kind::String},
                              {"response.end_user_id", Kind::Integer},
                              {"response.end_user_properties", Kind::Object},
                              {"response.survey_id", Kind::Integer},
                              {"response.created_at", Kind::String},
                              {"response.updated_at", Kind::String},
                              {"response.excluded_from_calculations", Kind::Boolean},
                              {"event_name", Kind::String},
                              {"account_token", Kind::String},
                              {"survey_mode", Kind::String},
                              {"timestamp", Kind::String}};
  // Wootric's own form: "2016-08-04 13:57:31 -0700".
  const char* const wootric_time = R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4})";

  SUBCASE("response-created and response-updated (JSON)") {
    for (const auto& pair : std::vector<std::pair<std::string, std::string>>{
             {"response-created", "created"}, {"response-updated", "updated"}}) {
      const std::string& event = pair.first;
      const std::string& name = pair.second;
      INFO("event ", event);
      Sample s = sample("wootric", event);
      CHECK(s.format == "json");
      REQUIRE(s.json.is_object());
      check_fields(s.json, response);
      CHECK(text_at(s.json, "event_name") == name);
      CHECK(find_path(s.json, "decline") == nullptr);
      const json* score = find_path(s.json, "response.score");
      if (score && score->is_number_integer()) {
        CHECK(score->get<std::int64_t>() >= 0);
        CHECK(score->get<std::int64_t>() <= 10);
      }
      CHECK(!s.json["response"]["end_user_properties"].empty());
      CHECK(text_at(s.json, "timestamp") == "2023-11-14 22:13:20 +0000");
      CHECK(matches(text_at(s.json, "response.created_at"), wootric_time));
      CHECK(text_at(s.json, "account_token").rfind("NPS-", 0) == 0);
    }
  }
  SUBCASE("response-updated carries the feedback text") {
    CHECK(!text_at(sample("wootric", "response-updated").json, "response.text").empty());
  }
  SUBCASE("decline-created (JSON)") {
    Sample s = sample("wootric", "decline-created");
    REQUIRE(s.json.is_object());
    check_fields(s.json, {{"decline.id", Kind::Integer},
                          {"decline.email", Kind::String},
                          {"decline.external_id", Kind::String},
                          {"decline.ip_address", Kind::String},
                          {"decline.origin_url", Kind::String},
                          {"decline.end_user_id", Kind::Integer},
                          {"decline.end_user_properties", Kind::Object},
                          {"decline.survey_id", Kind::Integer},
                          {"decline.created_at", Kind::String},
                          {"decline.updated_at", Kind::String},
                          {"event_name", Kind::String},
                          {"account_token", Kind::String},
                          {"survey_mode", Kind::String},
                          {"timestamp", Kind::String}});
    CHECK(text_at(s.json, "event_name") == "created");
    CHECK(find_path(s.json, "response") == nullptr);
    CHECK(find_path(s.json, "decline.score") == nullptr);
  }
  SUBCASE("form: bracket-nested keys as in Wootric's sample payload") {
    Sample s = sample("wootric", "response-created", 7, "form");
    CHECK(s.content_type == "application/x-www-form-urlencoded");
    CHECK(s.body.find('{') == std::string::npos);
    std::set<std::string> keys;
    std::string timestamp, excluded, text = "<absent>";
    for (const auto& [k, v] : parse_form_pairs(s.body)) {
      keys.insert(k);
      if (k == "timestamp") timestamp = v;
      if (k == "response[excluded_from_calculations]") excluded = v;
      if (k == "response[text]") text = v;
    }
    for (const char* key : {"response[id]", "response[email]", "response[external_id]", "response[score]",
                            "response[text]", "response[ip_address]", "response[origin_url]",
                            "response[end_user_id]", "response[end_user_properties][pricing_plan]",
                            "response[end_user_properties][product_plan]", "response[survey_id]",
                            "response[created_at]", "response[updated_at]",
                            "response[excluded_from_calculations]", "event_name", "account_token",
                            "survey_mode", "timestamp"}) {
      INFO("form key ", key);
      CHECK(keys.count(key) == 1);
    }
    CHECK(s.body.find("response%5B") == std::string::npos);  // brackets are literal, as Rack writes them
    CHECK(timestamp == "2023-11-14 22:13:20 +0000");
    CHECK(excluded == "false");
    CHECK(text.empty());
  }
  SUBCASE("form: decline keys") {
    Sample s = sample("wootric", "decline-created", 7, "form");
    std::set<std::string> keys;
    for (const auto& [k, v] : parse_form_pairs(s.body)) keys.insert(k);
    CHECK(keys.count("decline[id]") == 1);
    CHECK(keys.count("decline[end_user_properties][pricing_plan]") == 1);
    CHECK(keys.count("event_name") == 1);
    CHECK(keys.count("response[id]") == 0);
  }
}

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

TEST_CASE("vendor standard: type, timestamp and data, nothing else") {
  Sample s = sample("standard", "");
  REQUIRE(s.json.is_object());
  check_fields(s.json, {{"type", Kind::String}, {"timestamp", Kind::String}, {"data", Kind::Object}});
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
        CHECK(sample(v.name, e.name, 1234, format).body == sample(v.name, e.name, 1234, format).body);
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
    const VendorProfile plain = parse_vendor(R"({"name": "p", "events": [{"name": "e", "body": {}}]})", "p.json");
    CHECK(plain.delivery.delivered(204));
    CHECK_FALSE(plain.delivery.delivered(301));
    CHECK(plain.delivery.success_rule() == "any 2xx");
    CHECK_FALSE(plain.delivery.ordered);
  }
  SUBCASE("bad declarations are input errors naming the field") {
    CHECK_THROWS_WITH(parse_vendor(R"({"name": "p", "delivery": {"success": [99]}, "events": [{"name": "e", "body": {}}]})", "p.json"),
                      doctest::Contains("p.json: delivery.success"));
    CHECK_THROWS_WITH(parse_vendor(R"({"name": "p", "delivery": {"success": "3xx"}, "events": [{"name": "e", "body": {}}]})", "p.json"),
                      doctest::Contains("\"2xx\" or a list"));
    CHECK_THROWS_WITH(parse_vendor(R"({"name": "p", "headers": {"Bad Name": "x"}, "events": [{"name": "e", "body": {}}]})", "p.json"),
                      doctest::Contains("is not a header name"));
    CHECK_THROWS_WITH(parse_vendor(R"({"name": "p", "headers": {"X-A": "a\r\nX-B: b"}, "events": [{"name": "e", "body": {}}]})", "p.json"),
                      doctest::Contains("line break"));
    CHECK_THROWS_WITH(parse_vendor(R"({"name": "p", "headers": {"X-A": 1}, "events": [{"name": "e", "body": {}}]})", "p.json"),
                      doctest::Contains("must be a string"));
  }
}
