// Sample payloads: template placeholders, --set paths, batching, form encoding, vendor files.
#include <doctest/doctest.h>

#include <regex>

#include "core/util/error.hpp"
#include "core/vendor/sample.hpp"

using namespace hooktool;
using json = nlohmann::ordered_json;

namespace {
constexpr std::int64_t kNow = 1'795'600'000'123; // 2026-11-25T09:46:40.123Z

VendorProfile vendor_from(const char* text) { return parse_vendor(text, "test.json"); }
} // namespace

TEST_CASE("placeholders expand to fresh values of the right type") {
  Random random(42);
  json t =
      json::parse(R"({"id":"{{uuid}}","at":"{{now}}","unix":"{{now:unix}}","ms":"{{now:unix_ms}}",
    "day":"{{now:%Y-%m-%d}}","n":"{{int:5:5}}","hex":"{{hex:8}}","word":"{{pick:a|b}}",
    "ip":"{{ip}}","seq":"{{seq}}","mixed":"evt_{{digits:4}}","nested":{"$json":{"k":"{{int:1:1}}"}}})");
  json out = expand_template(t, random, kNow, 3);
  CHECK(std::regex_match(
      out["id"].get<std::string>(),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(out["at"] == "2026-11-25T09:46:40.123Z");
  CHECK(out["unix"] == 1795600000);
  CHECK(out["ms"] == kNow);
  CHECK(out["day"] == "2026-11-25");
  CHECK(out["n"] == 5);
  CHECK(std::regex_match(out["hex"].get<std::string>(), std::regex("[0-9a-f]{8}")));
  CHECK((out["word"] == "a" || out["word"] == "b"));
  CHECK(std::regex_match(out["ip"].get<std::string>(),
                         std::regex(R"((192\.0\.2|198\.51\.100|203\.0\.113)\.\d+)")));
  CHECK(out["seq"] == 3);
  CHECK(std::regex_match(out["mixed"].get<std::string>(), std::regex("evt_[0-9]{4}")));
  CHECK(out["nested"] == R"({"k":1})");
}

TEST_CASE("the same seed gives the same sample, another seed another") {
  json t = json::parse(R"({"id":"{{uuid}}","n":"{{int:0:1000000}}"})");
  Random a(7), b(7), c(8);
  CHECK(expand_template(t, a, kNow, 1) == expand_template(t, b, kNow, 1));
  Random d(7);
  CHECK(expand_template(t, d, kNow, 1) != expand_template(t, c, kNow, 1));
}

TEST_CASE("an unknown placeholder is an error naming it") {
  Random random(1);
  CHECK_THROWS_WITH_AS(expand_template(json("{{nope}}"), random, kNow, 1),
                       doctest::Contains("{{nope}}"), Error);
}

TEST_CASE("--set changes fields, keeping their type") {
  json doc = json::parse(
      R"([{"id":1,"fields":{"email":"a@x"},"ok":true},{"id":2,"fields":{"email":"b@x"},"ok":true}])");
  SUBCASE("a path without an index applies to every record") {
    apply_set(doc, "fields.email", "me@example.com");
    CHECK(doc[0]["fields"]["email"] == "me@example.com");
    CHECK(doc[1]["fields"]["email"] == "me@example.com");
  }
  SUBCASE("an index picks one record; a new key under an existing object is added") {
    apply_set(doc, "0.fields.City", "Paris");
    CHECK(doc[0]["fields"]["City"] == "Paris");
    CHECK_FALSE(doc[1]["fields"].contains("City"));
  }
  SUBCASE("numbers stay numbers, booleans stay booleans") {
    apply_set(doc, "1.id", "42");
    apply_set(doc, "1.ok", "false");
    CHECK(doc[1]["id"] == 42);
    CHECK(doc[1]["ok"] == false);
  }
  SUBCASE("a missing parent or index is an error naming --set") {
    CHECK_THROWS_WITH_AS(apply_set(doc, "0.nope.x", "1"), doctest::Contains("--set 0.nope.x"),
                         Error);
    CHECK_THROWS_WITH_AS(apply_set(doc, "5.id", "1"), doctest::Contains("no [5]"), Error);
  }
}

TEST_CASE("make_sample batches, picks events and formats, and encodes forms like Rack") {
  VendorProfile v = vendor_from(R"({"name":"acme","scheme":"wootric","batch":false,
    "formats":{"json":"application/json","form":"application/x-www-form-urlencoded"},
    "events":[{"name":"created","body":{"response":{"score":7,"text":"a b&c","tags":["x","y"],
      "end_user_properties":{"pricing_plan":"Enterprise"}},"empty":null}}]})");
  Random random(1);
  SampleOptions options;
  options.now_ms = kNow;
  SUBCASE("json is compact") {
    Sample s = make_sample(v, options, random);
    CHECK(s.content_type == "application/json");
    CHECK(
        s.body ==
        R"({"response":{"score":7,"text":"a b&c","tags":["x","y"],"end_user_properties":{"pricing_plan":"Enterprise"}},"empty":null})");
  }
  SUBCASE("form uses bracket nesting and www-form escapes") {
    options.format = "form";
    Sample s = make_sample(v, options, random);
    CHECK(s.content_type == "application/x-www-form-urlencoded");
    CHECK(s.body ==
          "response[score]=7&response[text]=a+b%26c&response[tags][]=x&response[tags][]=y&"
          "response[end_user_properties][pricing_plan]=Enterprise&empty");
  }
  SUBCASE("bad event, format and batch are errors listing what exists") {
    options.event = "deleted";
    CHECK_THROWS_WITH_AS(make_sample(v, options, random), doctest::Contains("one of created"),
                         Error);
    options.event.clear();
    options.format = "xml";
    CHECK_THROWS_AS(make_sample(v, options, random), Error);
    options.format.clear();
    options.batch = 3;
    CHECK_THROWS_WITH_AS(make_sample(v, options, random), doctest::Contains("--batch"), Error);
  }
}

TEST_CASE("a batching vendor repeats its record with fresh values") {
  VendorProfile v = vendor_from(
      R"({"name":"acme","batch":true,"events":[{"name":"e","body":[{"n":"{{seq}}","id":"{{uuid}}"}]}]})");
  Random random(3);
  SampleOptions options;
  options.batch = 3;
  Sample s = make_sample(v, options, random);
  REQUIRE(s.json.size() == 3);
  CHECK(s.json[2]["n"] == 3);
  CHECK(s.json[0]["id"] != s.json[1]["id"]);
}

TEST_CASE("vendor files: errors name the file and the position") {
  CHECK_THROWS_WITH_AS(parse_vendor("{\"name\": \"x\",\n \"events\": [}", "mine.json"),
                       doctest::Contains("line 2"), Error);
  CHECK_THROWS_WITH_AS(parse_vendor("{\"name\": \"x\"}", "mine.json"),
                       doctest::Contains("mine.json"), Error);
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","scheme":"nope","events":[{"name":"e","body":{}}]})", "m.json"),
      doctest::Contains("unknown scheme"), Error);
  CHECK_THROWS_AS(
      parse_vendor(R"({"name":"x","batch":true,"events":[{"name":"e","body":{}}]})", "m.json"),
      Error);
  // Found by fuzz_vendor: an empty batch record list made make_sample divide by zero.
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","batch":true,"events":[{"name":"e","body":[]}]})", "m.json"),
      doctest::Contains("one record or more"), Error);
  // Found by fuzz_vendor: a number too large for a double is nlohmann's out_of_range, not a
  // parse_error, and escaped as an uncaught exception.
  CHECK_THROWS_WITH_AS(parse_vendor("1e777777777777777777777", "big.json"),
                       "invalid JSON: number overflow parsing '1e777777777777777777777' (big.json)",
                       Error);
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","events":[{"name":"e","body":{"n":-1e400}}]})", "big.json"),
      doctest::Contains("number overflow parsing '-1e400'"), Error);
  // Found by fuzz_vendor: a field of the wrong type ("batch": "yes") was nlohmann's type_error.
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","batch":"yes","events":[{"name":"e","body":[]}]})", "t.json"),
      "\"batch\" must be true or false (t.json)", Error);
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","delivery":{"get_on_save":1},"events":[{"name":"e","body":{}}]})",
                   "t.json"),
      "\"get_on_save\" must be true or false (t.json: delivery)", Error);
  CHECK_THROWS_AS(
      parse_vendor(R"({"name":"x","json_indent":"2","events":[{"name":"e","body":{}}]})", "t.json"),
      Error);
  CHECK_THROWS_AS(
      parse_vendor(R"({"name":"x","json_indent":1e9,"events":[{"name":"e","body":{}}]})", "t.json"),
      Error);
  CHECK(parse_vendor(R"({"name":"x","json_indent":4,"events":[{"name":"e","body":{}}]})", "t.json")
            .json_indent == 4);
  // A duration in seconds times 1000 overflowed (undefined behaviour) past 9223372036854775 s.
  for (const char* timeout :
       {"9223372036854775807", "18446744073709551615", "-9223372036854775807"}) {
    CAPTURE(timeout);
    CHECK_THROWS_WITH_AS(
        parse_vendor(std::string(R"({"name":"x","delivery":{"timeout":)") + timeout +
                         R"(},"events":[{"name":"e","body":{}}]})",
                     "t.json"),
        ("a duration of " + std::string(timeout) + " s is out of range (t.json: delivery.timeout)")
            .c_str(),
        Error);
  }
  CHECK(
      parse_vendor(
          R"({"name":"x","delivery":{"timeout":9223372036854775},"events":[{"name":"e","body":{}}]})",
          "t.json")
          .delivery.timeout_ms == 9223372036854775000);
}

TEST_CASE("the built-in catalog has the seed vendors, each with a valid sample") {
  const Catalog& catalog = Catalog::builtin();
  for (const char* name : {"wisepops", "wisepops-v1", "esputnik", "joturl", "wootric", "github",
                           "stripe", "slack", "shopify", "standard"}) {
    CAPTURE(name);
    const VendorProfile* v = catalog.find(name);
    REQUIRE(v != nullptr);
    for (const auto& event : v->events) {
      CAPTURE(event.name);
      Random random(1);
      SampleOptions options;
      options.event = event.name;
      options.now_ms = kNow;
      Sample s = make_sample(*v, options, random);
      CHECK_FALSE(s.body.empty());
      CHECK(json::accept(s.body));
    }
  }
}

TEST_CASE("utc_offset: the vendor's times in its zone, %z and %:z its offset") {
  VendorProfile v =
      vendor_from(R"({"name":"acme","utc_offset":"-07:00","events":[{"name":"e","body":{
    "iso":"{{now}}","json":"{{now:%FT%T.%L%:z}}","form":"{{now:%F %T %z}}","unix":"{{now:unix}}",
    "literal":"{{now:100%% %%z}}"}}]})");
  CHECK(v.utc_offset_minutes == -420);
  Random random(1);
  SampleOptions options;
  options.now_ms = kNow; // 2026-11-25T09:46:40.123Z
  const Sample s = make_sample(v, options, random);
  CHECK(s.json["iso"] == "2026-11-25T02:46:40.123-07:00");
  CHECK(s.json["json"] == "2026-11-25T02:46:40.123-07:00");
  CHECK(s.json["form"] == "2026-11-25 02:46:40 -0700");
  CHECK(s.json["unix"] == 1795600000); // a moment, not a zone's clock
  CHECK(s.json["literal"] == "100% %z");
  SUBCASE("east of UTC, with minutes, across midnight") {
    VendorProfile east = vendor_from(
        R"({"name":"acme","utc_offset":"+14:45","events":[{"name":"e","body":{"t":"{{now:%F %T %z|%:z}}"}}]})");
    CHECK(make_sample(east, options, random).json["t"] == "2026-11-26 00:31:40 +1445|+14:45");
  }
  SUBCASE("without one: UTC, and {{now}} ends in Z") {
    VendorProfile utc = vendor_from(
        R"({"name":"acme","events":[{"name":"e","body":{"t":"{{now}}","z":"{{now:%z}}"}}]})");
    const Sample u = make_sample(utc, options, random);
    CHECK(u.json["t"] == "2026-11-25T09:46:40.123Z");
    CHECK(u.json["z"] == "+0000");
  }
  SUBCASE("a bad offset is an input error naming the field") {
    for (const char* bad :
         {R"("+7")", R"("-24:00")", R"("+05:60")", R"("07:00")", "-420", R"("+05:30x")"}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(parse_vendor(std::string(R"({"name":"x","utc_offset":)") + bad +
                                            R"(,"events":[{"name":"e","body":{}}]})",
                                        "t.json"),
                           "\"utc_offset\" must be like \"+02:00\" or \"-07:00\" (t.json)", Error);
    }
  }
}

TEST_CASE("{{now~STEP}}: a batch's records STEP apart, the last one now") {
  VendorProfile v = vendor_from(
      R"({"name":"acme","batch":true,"events":[{"name":"e","body":[{"at":"{{now~1500ms}}","day":"{{now~25h:%F}}"}]}]})");
  Random random(1);
  SampleOptions options;
  options.now_ms = kNow;
  options.batch = 3;
  const Sample s = make_sample(v, options, random);
  REQUIRE(s.json.size() == 3);
  CHECK(s.json[0]["at"] == "2026-11-25T09:46:37.123Z");
  CHECK(s.json[1]["at"] == "2026-11-25T09:46:38.623Z");
  CHECK(s.json[2]["at"] == "2026-11-25T09:46:40.123Z");
  CHECK(s.json[0]["day"] == "2026-11-23");
  CHECK(s.json[2]["day"] == "2026-11-25");
  options.batch = 1;
  CHECK(make_sample(v, options, random).json[0]["at"] == "2026-11-25T09:46:40.123Z");
  Random r(1);
  CHECK_THROWS_WITH_AS(expand_template(json("{{now~soon}}"), r, kNow, 1),
                       doctest::Contains("now~500ms"), Error);
}

TEST_CASE("{\"$format\": ...}: the template of the sample's format") {
  VendorProfile v = vendor_from(R"({"name":"acme",
    "formats":{"json":"application/json","form":"application/x-www-form-urlencoded"},
    "events":[{"name":"e","body":{"at":{"$format":{"json":"{{now:%FT%TZ}}","form":"{{now:%F %T}}"}},"n":1}}]})");
  Random random(1);
  SampleOptions options;
  options.now_ms = kNow;
  CHECK(make_sample(v, options, random).body == R"({"at":"2026-11-25T09:46:40Z","n":1})");
  options.format = "form";
  CHECK(make_sample(v, options, random).body == "at=2026-11-25+09%3A46%3A40&n=1");
  VendorProfile json_only = vendor_from(R"({"name":"acme",
    "formats":{"json":"application/json","form":"application/x-www-form-urlencoded"},
    "events":[{"name":"e","body":{"at":{"$format":{"json":"x"}}}}]})");
  CHECK_THROWS_WITH_AS(make_sample(json_only, options, random),
                       doctest::Contains("needs a template for \"form\""), Error);
}

TEST_CASE("json_escape_slash: every / written \\/, in the body and in $json strings") {
  VendorProfile v =
      vendor_from(R"({"name":"acme","json_escape_slash":true,"events":[{"name":"e","body":{
    "url":"https://jo.my/a","inner":{"$json":{"u":"a/b"}}}}]})");
  CHECK(v.json_escape_slash);
  Random random(1);
  const Sample s = make_sample(v, SampleOptions{}, random);
  CHECK(s.body == R"({"url":"https:\/\/jo.my\/a","inner":"{\"u\":\"a\\\/b\"}"})");
  // The document itself holds the values: a receiver's JSON parser reads the same strings.
  CHECK(s.json["url"] == "https://jo.my/a");
  CHECK(json::parse(s.body) == s.json);
  CHECK(json::parse(json::parse(s.body)["inner"].get<std::string>())["u"] == "a/b");
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","json_escape_slash":"yes","events":[{"name":"e","body":{}}]})",
                   "t.json"),
      "\"json_escape_slash\" must be true or false (t.json)", Error);
}

TEST_CASE("form_style percent: RFC 3986 escapes, %20 for a space, null as an empty value") {
  VendorProfile v = vendor_from(R"({"name":"acme","form_style":"percent",
    "formats":{"form":"application/x-www-form-urlencoded"},
    "events":[{"name":"e","body":{"r":{"text":null,"plan":"Web App","at":"2016-08-04 13:57:26 -0700",
      "url":"https://wootric.com/","mail":"nps@example.com","odd":"a*b~c+d\u00e9","ok":false,"n":7,
      "tags":["x y"]},"last":"z"}}]})");
  CHECK(v.form_style == FormStyle::Percent);
  Random random(1);
  const Sample s = make_sample(v, SampleOptions{}, random);
  CHECK(s.body ==
        "r[text]=&r[plan]=Web%20App&r[at]=2016-08-04%2013%3A57%3A26%20-0700&"
        "r[url]=https%3A%2F%2Fwootric.com%2F&r[mail]=nps%40example.com&r[odd]=a%2Ab~c%2Bd%C3%A9&"
        "r[ok]=false&r[n]=7&r[tags][]=x%20y&last=z");
  // The rack style (the default) is unchanged: + for a space, * kept, ~ escaped, null bare.
  VendorProfile rack =
      vendor_from(R"({"name":"acme","formats":{"form":"application/x-www-form-urlencoded"},
    "events":[{"name":"e","body":{"text":null,"odd":"a*b~c d"}}]})");
  CHECK(rack.form_style == FormStyle::Rack);
  CHECK(make_sample(rack, SampleOptions{}, random).body == "text&odd=a*b%7Ec+d");
  CHECK_THROWS_WITH_AS(
      parse_vendor(R"({"name":"x","form_style":"qs","events":[{"name":"e","body":{}}]})", "t.json"),
      "\"form_style\" must be \"rack\" or \"percent\" (t.json)", Error);
}

TEST_CASE("{{event}} is the event's name, in bodies and headers") {
  VendorProfile v = vendor_from(R"({"name":"acme","headers":{"X-Acme-Event":"{{event}}"},
    "events":[{"name":"first","body":{}},{"name":"orders/create","body":{"type":"{{event}}"}}]})");
  Random random(1);
  SampleOptions options;
  options.event = "orders/create";
  const Sample s = make_sample(v, options, random);
  CHECK(s.body == R"({"type":"orders/create"})");
  REQUIRE(s.headers.size() == 1);
  CHECK(s.headers[0].value == "orders/create");
}

TEST_CASE("a form sample is written by the Rack dialect writer: numbers as Ruby prints them") {
  const VendorProfile v = vendor_from(
      R"({"name": "r", "formats": {"form": "application/x-www-form-urlencoded"},
          "events": [{"name": "e", "body": {"n": 1e20, "f": 2.50, "i": 10, "s": "a b", "none": null}}]})");
  Random random(std::uint64_t{1});
  SampleOptions options;
  // As `hooktool convert --to form --dialect rack` writes the same JSON (Ruby's Float#to_s).
  CHECK(make_sample(v, options, random).body == "n=1.0e%2B20&f=2.5&i=10&s=a+b&none");
}
