// Unit tests for the built-in seed vendors (vendors/*.json through core/vendor: vendor, sample):
// every sample is checked against the field list of the vendor's own document
// (/work/shared/vendor-docs, the vendors' webhook pages), and its bytes where the document shows
// bytes. The lists are written here from the documents, not read from the JSON files, so a file
// that drifts fails.
#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/show/capture.hpp"
#include "core/util/url.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"
#include "vendor_checks.hpp"

using namespace hooktool;
using namespace vendor_checks;

namespace {

std::vector<std::string> event_names(const VendorProfile& v) {
  std::vector<std::string> out;
  for (const auto& e : v.events)
    out.push_back(e.name);
  return out;
}

// A document's example laid out on lines, as one body: the lines joined without their breaks.
std::string joined(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != '\n') out.push_back(c);
  return out;
}

// The unix milliseconds of an ISO 8601 UTC time such as collected_at.
std::int64_t utc_ms(const json& value) {
  const auto ms = value.is_string() ? parse_utc_ms(value.get<std::string>()) : std::nullopt;
  REQUIRE_MESSAGE(ms.has_value(), "not an ISO 8601 UTC time: ", value.dump());
  return *ms;
}

} // namespace

TEST_CASE("the built-in vendor catalog holds the seed vendors with their events and schemes") {
  const Catalog& catalog = Catalog::builtin();
  std::set<std::string> names;
  for (const auto& v : catalog.all())
    names.insert(v.name);
  CHECK(names == std::set<std::string>{"discord", "esputnik", "github", "joturl", "shopify",
                                       "slack", "standard", "stripe", "wisepops", "wisepops-v1",
                                       "wootric"});

  using Names = std::vector<std::string>;
  CHECK(event_names(vendor("wisepops")) == Names{"email", "phone", "survey"});
  CHECK(event_names(vendor("wisepops-v1")) == Names{"email"});
  CHECK(event_names(vendor("esputnik")) == Names{"delivered", "undelivered", "read", "clicked",
                                                 "unsubscribed", "spam", "subscription-changed"});
  CHECK(event_names(vendor("joturl")) == Names{"cta-form", "social-optin", "link-created"});
  CHECK(event_names(vendor("wootric")) ==
        Names{"response-created", "response-updated", "decline-created"});
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
  CHECK(vendor("wootric").formats ==
        Formats{{"json", "application/json"}, {"form", "application/x-www-form-urlencoded"}});
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
        for (const auto& h : s.headers)
          CHECK(h.value.find("{{") == std::string::npos);
        if (format == "json") {
          CHECK(json::accept(s.body));
          CHECK(s.json.is_array() == v.batch);
        }
      }
    }
  }
}

TEST_CASE("vendor wisepops (api2): a JSON array of leads with the documented fields") {
  // wisepops-api2.txt, "The Payload": the example array's lead.
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
    check_exact_fields(record, lead);
    CHECK(text_at(record, "collected_at") == "2023-11-14T22:13:20.123Z");
    CHECK(matches(text_at(record, "form_session"), kUuid));
    CHECK(matches(text_at(record, "country_code"), "[A-Z]{2}"));
    CHECK(matches(text_at(record, "ip"), R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"));
    CHECK(!record["fields"].empty());
    for (const auto& value : record["fields"])
      CHECK(value.is_string());
  }
  SUBCASE("email: fields holds the example's email, Gender and City") {
    const json record = sample("wisepops", "email").json[0];
    check_exact_fields(record["fields"],
                       {{"email", Kind::String}, {"Gender", Kind::String}, {"City", Kind::String}});
    CHECK(matches(text_at(record, "fields.email"), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
    CHECK(matches(text_at(record, "fields.Gender"), "male|female"));
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
  SUBCASE("--batch N gives N leads, each with its own form_session and a later collected_at") {
    // The example: 10:10:58.389Z, then 10:10:59.010Z.
    Sample s = sample("wisepops", "email", 3, "", 3);
    REQUIRE(s.json.size() == 3);
    std::set<std::string> sessions;
    for (const auto& record : s.json)
      sessions.insert(record["form_session"].get<std::string>());
    CHECK(sessions.size() == 3);
    CHECK(utc_ms(s.json[0]["collected_at"]) < utc_ms(s.json[1]["collected_at"]));
    CHECK(utc_ms(s.json[1]["collected_at"]) < utc_ms(s.json[2]["collected_at"]));
    CHECK(text_at(s.json, "2.collected_at") == "2023-11-14T22:13:20.123Z"); // the last one is now
    CHECK(text_at(s.json, "0.collected_at") == "2023-11-14T22:13:18.881Z");
  }
  SUBCASE("the --set examples of the issue address real fields") {
    json doc = sample("wisepops", "email").json;
    apply_set(doc, "fields.email", "me@example.com");
    apply_set(doc, "0.fields.City", "Paris");
    CHECK(doc[0]["fields"]["email"] == "me@example.com");
    CHECK(doc[0]["fields"]["City"] == "Paris");
  }
  SUBCASE("the document's example array, byte for byte but for its layout") {
    const std::vector<std::pair<std::string, std::string>> sets = {
        {"0.collected_at", "2019-10-10T10:10:58.389Z"},
        {"1.collected_at", "2019-10-10T10:10:59.010Z"},
        {"wisepop_id", "12345"},
        {"0.form_session", "e3ff440d-602f-414a-85fa-9d6268d0a82a"},
        {"1.form_session", "549f53dc-c691-488c-9bb2-9c0ef8460d23"},
        {"ip", "127.0.0.1"},
        {"country_code", "US"},
        {"0.fields.email", "example@example.com"},
        {"0.fields.Gender", "male"},
        {"0.fields.City", "New York"},
        {"1.fields.email", "other.example@example.com"},
        {"1.fields.Gender", "female"},
        {"1.fields.City", "Seattle"}};
    // wisepops-api2.txt's example, as the document shows it; compact, as Wisepops sends JSON.
    const char* const example = R"([
{
"collected_at": "2019-10-10T10:10:58.389Z",
"wisepop_id": 12345,
"form_session": "e3ff440d-602f-414a-85fa-9d6268d0a82a",
"ip": "127.0.0.1",
"country_code": "US",
"fields": {
"email": "example@example.com",
"Gender": "male",
"City": "New York"
}
},
{
"collected_at": "2019-10-10T10:10:59.010Z",
"wisepop_id": 12345,
"form_session": "549f53dc-c691-488c-9bb2-9c0ef8460d23",
"ip": "127.0.0.1",
"country_code": "US",
"fields": {
"email": "other.example@example.com",
"Gender": "female",
"City": "Seattle"
}
}
])";
    CHECK(sample("wisepops", "email", 7, "", 2, sets).body == json::parse(example).dump());
  }
}

TEST_CASE("vendor wisepops-v1 (api1): email at the top level and other_fields") {
  Sample s = sample("wisepops-v1", "email", 7, "", 2);
  REQUIRE(s.json.is_array());
  REQUIRE(s.json.size() == 2);
  const json& record = s.json[0];
  // wisepops-api1-legacy.txt, "The Payload".
  check_exact_fields(record, {{"collected_at", Kind::String},
                              {"email", Kind::String},
                              {"wisepop_id", Kind::Integer},
                              {"ip", Kind::String},
                              {"country_code", Kind::String},
                              {"other_fields", Kind::Object}});
  check_exact_fields(record["other_fields"], {{"Gender", Kind::String}, {"City", Kind::String}});
  CHECK(matches(text_at(record, "email"), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
  // "2019-10-10T10:10:58.389Z", then "2019-10-10T10:10:59.010Z".
  CHECK(matches(text_at(record, "collected_at"), R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
  CHECK(utc_ms(s.json[0]["collected_at"]) < utc_ms(s.json[1]["collected_at"]));
}

TEST_CASE("vendor joturl: the document's example messages, written with JotUrl's \\/") {
  SUBCASE("cta-form: data, type email or other, date YYYY-MM-DD, name; nothing else") {
    const Sample s = sample("joturl", "cta-form");
    check_exact_fields(s.json, {{"data", Kind::String},
                                {"type", Kind::String},
                                {"date", Kind::String},
                                {"name", Kind::String}});
    CHECK(matches(text_at(s.json, "type"), "email|other"));
    CHECK(text_at(s.json, "date") == "2023-11-14");
    // joturl.txt's "Example webhook message for Form CTAs", lines joined.
    CHECK(sample("joturl", "cta-form", 7, "", 1,
                 {{"data", "john.smith.1257121140@example.com"},
                  {"date", "2020-03-26"},
                  {"name", "John Smith"}})
              .body == joined(R"({
"data":"john.smith.1257121140@example.com",
"type":"email",
"date":"2020-03-26",
"name":"John Smith"
})"));
  }
  SUBCASE("social-optin: type always email, extended_info a JSON object inside a string") {
    const Sample s = sample("joturl", "social-optin");
    check_exact_fields(s.json, {{"data", Kind::String},
                                {"type", Kind::String},
                                {"date", Kind::String},
                                {"name", Kind::String},
                                {"extended_info", Kind::String}});
    CHECK(text_at(s.json, "type") == "email");
    const std::string info = text_at(s.json, "extended_info");
    REQUIRE(json::accept(info));
    CHECK(json::parse(info).is_object());
    // The raw body carries it as an escaped string, not as an object.
    CHECK(s.body.find("\"extended_info\":\"{\\\"") != std::string::npos);
    // The example's extended_info is "{}" (--set would put {} in as JSON: it is set here).
    json example = sample("joturl", "social-optin", 7, "", 1,
                          {{"data", "john.smith.1257121140@example.com"},
                           {"date", "2020-03-26"},
                           {"name", "John Smith"}})
                       .json;
    example["extended_info"] = "{}";
    CHECK(vendor_json(example, vendor("joturl")) == joined(R"({
"data":"john.smith.1257121140@example.com",
"type":"email",
"date":"2020-03-26",
"name":"John Smith",
"extended_info":"{}"
})"));
  }
  SUBCASE("link-created: every field of the example, ids of decimal digits, '/' written '\\/'") {
    const Sample s = sample("joturl", "link-created");
    check_exact_fields(s.json, {{"id", Kind::String},
                                {"alias", Kind::String},
                                {"domain_id", Kind::String},
                                {"domain_host", Kind::String},
                                {"domain_nickname", Kind::String},
                                {"project_id", Kind::String},
                                {"project_name", Kind::String},
                                {"short_url", Kind::String},
                                {"long_url", Kind::String},
                                {"notes", Kind::String},
                                {"tags", Kind::String}});
    for (const char* id : {"id", "domain_id", "project_id"}) {
      INFO("field ", id);
      CHECK(matches(text_at(s.json, id), "[1-9][0-9]{9,18}"));
    }
    const std::string short_url = text_at(s.json, "short_url");
    CHECK(short_url ==
          "https://" + text_at(s.json, "domain_host") + "/" + text_at(s.json, "alias"));
    CHECK(matches(text_at(s.json, "long_url"), "https?://.+"));
    // Every '/' of the body is escaped, as PHP's json_encode writes it.
    CHECK(s.body.find("\"short_url\":\"https:\\/\\/jo.my\\/spring-sale\"") != std::string::npos);
    for (size_t i = s.body.find('/'); i != std::string::npos; i = s.body.find('/', i + 1)) {
      INFO("the '/' at byte ", i);
      CHECK((i > 0 && s.body[i - 1] == '\\'));
    }
    // joturl.txt's "Example webhook message for tracking link creation", lines joined, without
    // the comma it has after the last field (which is not JSON).
    const std::vector<std::pair<std::string, std::string>> sets = {
        {"id", "342352536456456"},
        {"alias", "joturl"},
        {"domain_id", "67567567567567657"},
        {"project_id", "697897897897898"},
        {"project_name", "project #1"},
        {"short_url", "https://jo.my/joturl"},
        {"long_url", "https://www.joturl.com/"}};
    CHECK(sample("joturl", "link-created", 7, "", 1, sets).body == joined(R"({
"id":"342352536456456",
"alias":"joturl",
"domain_id":"67567567567567657",
"domain_host":"jo.my",
"domain_nickname":"",
"project_id":"697897897897898",
"project_name":"project #1",
"short_url":"https:\/\/jo.my\/joturl",
"long_url":"https:\/\/www.joturl.com\/",
"notes":"",
"tags":""
})"));
  }
  SUBCASE("delivery: unsigned, a timeout of a few seconds") {
    const Delivery& d = vendor("joturl").delivery;
    CHECK(d.timeout_ms >= 1'000);
    CHECK(d.timeout_ms <= 10'000);
    CHECK_FALSE(d.get_on_save);
  }
}

namespace {

// wootric.txt, "JSON: response created sample payload", as the document shows it.
const char* const kWootricResponseJson = R"({
  "response": {
    "id": 1128,
    "email": "nps@example.com",
    "external_id": "123abc",
    "score": 7,
    "text": null,
    "ip_address": "127.0.0.1",
    "origin_url": "https://wootric.com/",
    "end_user_id": 30,
    "end_user_properties": {
      "pricing_plan": "Enterprise",
      "product_plan": "Web App"
    },
    "survey_id": 1146,
    "created_at": "2016-08-04T13:57:26.558-07:00",
    "updated_at": "2016-08-04T13:57:26.558-07:00",
    "excluded_from_calculations": false
  },
  "event_name": "created",
  "timestamp": "2016-08-04T13:57:31.329-07:00",
  "account_token": "NPS-xxxxxxxx",
  "survey_mode": "NPS"
})";

// The --set pairs that give a response-created sample the example's values; times as given.
std::vector<std::pair<std::string, std::string>>
wootric_response_sets(const std::string& created, const std::string& timestamp) {
  return {{"response.id", "1128"},
          {"response.email", "nps@example.com"},
          {"response.external_id", "123abc"},
          {"response.score", "7"},
          {"response.ip_address", "127.0.0.1"},
          {"response.origin_url", "https://wootric.com/"},
          {"response.end_user_id", "30"},
          {"response.end_user_properties.pricing_plan", "Enterprise"},
          {"response.survey_id", "1146"},
          {"response.created_at", created},
          {"response.updated_at", created},
          {"timestamp", timestamp},
          {"account_token", "NPS-xxxxxxxx"}};
}

} // namespace

TEST_CASE("vendor wootric: the document's JSON and URL-encoded examples, byte for byte") {
  const FieldList response = {{"id", Kind::Integer},
                              {"email", Kind::String},
                              {"external_id", Kind::String},
                              {"score", Kind::Integer},
                              {"text", Kind::Null},
                              {"ip_address", Kind::String},
                              {"origin_url", Kind::String},
                              {"end_user_id", Kind::Integer},
                              {"end_user_properties", Kind::Object},
                              {"survey_id", Kind::Integer},
                              {"created_at", Kind::String},
                              {"updated_at", Kind::String},
                              {"excluded_from_calculations", Kind::Boolean}};
  const FieldList top = {{"response", Kind::Object},
                         {"event_name", Kind::String},
                         {"timestamp", Kind::String},
                         {"account_token", Kind::String},
                         {"survey_mode", Kind::String}};

  SUBCASE("response-created (JSON): the example's keys in its order, text null, its time format") {
    const Sample s = sample("wootric", "response-created");
    CHECK(s.format == "json");
    check_exact_fields(s.json, top);
    check_exact_fields(s.json["response"], response);
    check_exact_fields(s.json["response"]["end_user_properties"],
                       {{"pricing_plan", Kind::String}, {"product_plan", Kind::String}});
    CHECK(text_at(s.json, "event_name") == "created");
    // 2023-11-14T22:13:20.123Z at the example's offset, written as in
    // "2016-08-04T13:57:26.558-07:00".
    CHECK(text_at(s.json, "timestamp") == "2023-11-14T15:13:20.123-07:00");
    CHECK(s.body.find(R"("created_at":"2023-11-14T15:13:20.123-07:00")") != std::string::npos);
    CHECK(s.body.find(R"("text":null,)") != std::string::npos);
    const auto score = s.json["response"]["score"].get<std::int64_t>();
    CHECK((score >= 0 && score <= 10));
    CHECK(text_at(s.json, "account_token").rfind("NPS-", 0) == 0);
    // With the example's values set, the body is the example (compact).
    CHECK(sample("wootric", "response-created", 7, "", 1,
                 wootric_response_sets("2016-08-04T13:57:26.558-07:00",
                                       "2016-08-04T13:57:31.329-07:00"))
              .body == json::parse(kWootricResponseJson).dump());
  }
  SUBCASE("response-updated carries the comment in text") {
    const Sample s = sample("wootric", "response-updated");
    CHECK(text_at(s.json, "event_name") == "updated");
    CHECK(!text_at(s.json, "response.text").empty());
    CHECK(keys_of(s.json) == keys_of(sample("wootric", "response-created").json));
  }
  SUBCASE("decline-created (JSON): the decline example's keys in its order") {
    const Sample s = sample("wootric", "decline-created");
    check_exact_fields(s.json, {{"decline", Kind::Object},
                                {"event_name", Kind::String},
                                {"timestamp", Kind::String},
                                {"account_token", Kind::String},
                                {"survey_mode", Kind::String}});
    check_exact_fields(s.json["decline"], {{"id", Kind::Integer},
                                           {"email", Kind::String},
                                           {"external_id", Kind::String},
                                           {"ip_address", Kind::String},
                                           {"origin_url", Kind::String},
                                           {"end_user_id", Kind::Integer},
                                           {"end_user_properties", Kind::Object},
                                           {"survey_id", Kind::Integer},
                                           {"created_at", Kind::String},
                                           {"updated_at", Kind::String}});
    CHECK(text_at(s.json, "event_name") == "created");
    CHECK(text_at(s.json, "decline.created_at") == "2023-11-14T15:13:20.123-07:00");
  }
  SUBCASE("form: the document's order of pairs, %20 for spaces, its time format, text=") {
    const Sample s = sample("wootric", "response-created", 7, "form");
    CHECK(s.content_type == "application/x-www-form-urlencoded");
    CHECK(s.body.find("&response[created_at]=2023-11-14%2015%3A13%3A20%20-0700&") !=
          std::string::npos);
    CHECK(s.body.find("&response[end_user_properties][product_plan]=Web%20App&") !=
          std::string::npos);
    CHECK(s.body.find("&response[text]=&") != std::string::npos);
    CHECK(s.body.find('+') == std::string::npos);
    // wootric.txt, "URL Encoded: response created sample payload", lines joined.
    CHECK(sample("wootric", "response-created", 7, "form", 1,
                 wootric_response_sets("2016-08-04 13:57:26 -0700", "2016-08-04 13:57:31 -0700"))
              .body == joined(R"(response[id]=1128&
response[email]=nps%40example.com&
response[external_id]=123abc&
response[score]=7&
response[text]=&
response[ip_address]=127.0.0.1&
response[origin_url]=https%3A%2F%2Fwootric.com%2F&
response[end_user_id]=30&
response[end_user_properties][pricing_plan]=Enterprise&
response[end_user_properties][product_plan]=Web%20App&
response[survey_id]=1146&
response[created_at]=2016-08-04%2013%3A57%3A26%20-0700&
response[updated_at]=2016-08-04%2013%3A57%3A26%20-0700&
response[excluded_from_calculations]=false&
event_name=created&
timestamp=2016-08-04%2013%3A57%3A31%20-0700&
account_token=NPS-xxxxxxxx&
survey_mode=NPS)"));
  }
  SUBCASE("form: the decline example") {
    const std::vector<std::pair<std::string, std::string>> sets = {
        {"decline.id", "19"},
        {"decline.email", "nps@example.com"},
        {"decline.external_id", "123abc"},
        {"decline.ip_address", "127.0.0.1"},
        {"decline.origin_url", "https://wootric.com/"},
        {"decline.end_user_id", "31"},
        {"decline.end_user_properties.pricing_plan", "Pro"},
        {"decline.survey_id", "1147"},
        {"decline.created_at", "2016-08-04 13:58:21 -0700"},
        {"decline.updated_at", "2016-08-04 13:58:21 -0700"},
        {"timestamp", "2016-08-04 13:58:23 -0700"},
        {"account_token", "NPS-xxxxxxxx"}};
    // wootric.txt, "URL Encoded: decline created sample payload", lines joined; but for the '@',
    // which that example leaves as it is and the response example writes %40 (they decode alike).
    CHECK(sample("wootric", "decline-created", 7, "form", 1, sets).body == joined(R"(decline[id]=19&
decline[email]=nps%40example.com&
decline[external_id]=123abc&
decline[ip_address]=127.0.0.1&
decline[origin_url]=https%3A%2F%2Fwootric.com%2F&
decline[end_user_id]=31&
decline[end_user_properties][pricing_plan]=Pro&
decline[end_user_properties][product_plan]=Web%20App&
decline[survey_id]=1147&
decline[created_at]=2016-08-04%2013%3A58%3A21%20-0700&
decline[updated_at]=2016-08-04%2013%3A58%3A21%20-0700&
event_name=created&
timestamp=2016-08-04%2013%3A58%3A23%20-0700&
account_token=NPS-xxxxxxxx&
survey_mode=NPS)"));
  }
  SUBCASE("form: the pairs read back as the JSON sample's fields") {
    std::set<std::string> keys;
    for (const auto& [k, v] :
         parse_form_pairs(sample("wootric", "decline-created", 7, "form").body))
      keys.insert(k);
    CHECK(keys.count("decline[id]") == 1);
    CHECK(keys.count("decline[end_user_properties][pricing_plan]") == 1);
    CHECK(keys.count("event_name") == 1);
    CHECK(keys.count("response[id]") == 0);
  }
}

TEST_CASE("the seed vendors send no headers of their own beyond their signature") {
  // None of the five documents names another header (Wisepops and Wootric: the signature only,
  // which send adds from the scheme).
  for (const char* name : {"wisepops", "wisepops-v1", "esputnik", "joturl", "wootric"}) {
    INFO("vendor ", name);
    CHECK(vendor(name).headers.empty());
    for (const auto& e : vendor(name).events)
      CHECK(sample(name, e.name).headers.empty());
  }
}

TEST_CASE("vendor files: retry_documented says which retry delays are the vendor's own") {
  const VendorProfile v = parse_vendor(
      R"({"name": "p", "delivery": {"retry": ["1m", "2m", "1h"], "retry_documented": 2},
          "events": [{"name": "e", "body": {}}]})",
      "p.json");
  CHECK(v.delivery.documented_delay(2)); // before attempt 2: the first delay
  CHECK(v.delivery.documented_delay(3));
  CHECK_FALSE(v.delivery.documented_delay(4));
  CHECK(parse_vendor(R"({"name": "p", "events": [{"name": "e", "body": {}}]})", "p.json")
            .delivery.documented_delay(9));
  CHECK_THROWS_WITH(
      parse_vendor(R"({"name": "p", "delivery": {"retry": ["1m"], "retry_documented": 2},
                                    "events": [{"name": "e", "body": {}}]})",
                   "p.json"),
      doctest::Contains("p.json: delivery.retry_documented"));
  CHECK(Catalog::builtin().get("esputnik", "test").delivery.retry_documented == 4);
}
