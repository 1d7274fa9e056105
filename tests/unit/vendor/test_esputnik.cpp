// Unit tests for the built-in eSputnik vendor (vendors/esputnik.json) against esputnik.txt, the
// vendor's own document (/work/shared/vendor-docs): its example array of activity records, written
// here from the document, is what each event's sample must be, field for field and type for type;
// the values are fresh ones of the example's shapes. And the delivery rules the document states.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"
#include "vendor_checks.hpp"

using namespace hooktool;
using namespace vendor_checks;

namespace {

// --set pairs that give each record of a sample the values of the document's example records.
std::vector<std::pair<std::string, std::string>> sets_from(const json& records) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < records.size(); ++i)
    for (auto it = records[i].begin(); it != records[i].end(); ++it)
      out.emplace_back(std::to_string(i) + "." + it.key(),
                       it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  return out;
}

// esputnik.txt, "The test example of a webhook as JSON array with all possible status options",
// as the document shows it but for mediaType, which it writes unquoted ("mediaType": email: not
// JSON).
const char* const kEsputnikExample = R"([
{
"iid": "ffd3e1a7-a270-4e58-94de-5ac681c5c8e7",
"contactId": 687266822,
"activityStatus": "SUBSCRIPTION_CHANGED",
"mediaType": "email",
"activityDateTime": "2019-09-26T14:45:18",
"statusData": {
"subscription": {
"subscriptions": [
"SMARTPHONES",
"TABLETS",
"LAPTOPS"
]
}
}
},
{
"broadcastId": 2833914,
"iid": "76662EBB-9FD4-4A6A-B1F8-2F594DF9B7B4",
"contactId": 295953704,
"email": "test@rambler.ru",
"activityStatus": "DELIVERED",
"mediaType": "email",
"messageId": 976440,
"messageInstanceId": 1344540,
"activityDateTime": "2018-03-01T13:31:52",
"viewMessageLink": "https://123.esclick.me/test"
},
{
"broadcastId": 2833915,
"hardBounce": false,
"iid": "D5AF8EFC-2E8F-4BB5-B427-77D554B30E65",
"contactId": 357885291,
"sms": "380671234567",
"activityStatus": "UNDELIVERED",
"mediaType": "sms",
"activityDateTime": "2019-10-01T03:43:49",
"statusDescription": "IM_NO_MONEY"
},
{
"broadcastId": 2833914,
"hardBounce": false,
"iid": "76662EBB-9FD4-4A6A-B1F8-2F594DF9B7B4",
"contactId": 295953704,
"email": "test@rambler.ru",
"activityStatus": "UNDELIVERED",
"mediaType": "email",
"messageId": 976440,
"messageInstanceId": 1344540,
"activityDateTime": "2018-03-01T13:31:58",
"statusDescription": "smtp;554 5.7.1 Spam message rejected; If this is not spam contact abuse",
"viewMessageLink": "https://123.esclick.me/test"
},
{
"workflowId": 245460,
"workflowBlockId": "e_e9e90420db06b64c157440cd60d0b73d",
"sourceEventKey": "1258810400",
"sourceEventTypeKey": "subscribeFromApi",
"iid": "0bb5e1dc-0d1b-4deb-948f-8cea4d8ef738",
"contactId": 1258810400,
"email": "test@gmail.com",
"activityStatus": "READ",
"mediaType": "email",
"messageId": 1235215,
"messageInstanceId": 1622691,
"messageTag": "1522397496",
"activityDateTime": "2018-05-15T04:05:53",
"viewMessageLink": "https://123.esclick.me/test"
},
{
"workflowId": 245460,
"workflowBlockId": "e_e9e90420db06b64c157440cd60d0b73d",
"sourceEventKey": "1258810400",
"sourceEventTypeKey": "subscribeFromApi",
"iid": "92227CB7-4EEF-4168-9EA5-43F3ED3559F8",
"contactId": 1258810400,
"email": "test@gmail.com",
"activityStatus": "UNSUBSCRIBED",
"mediaType": "email",
"messageId": 1166457,
"messageInstanceId": 1550164,
"messageTag": "1521722870",
"activityDateTime": "2018-05-15T09:56:40",
"viewMessageLink": "https://123.esclick.me/test"
},
{
"workflowId": 245460,
"workflowBlockId": "e_e9e90420db06b64c157440cd60d0b73d",
"sourceEventKey": "1258810400",
"sourceEventTypeKey": "subscribeFromApi",
"iid": "d08d1e15-ea92-4d5c-8dc9-6f750250a6ff",
"contactId": 1258810400,
"email": "test@gmail.com",
"activityStatus": "CLICKED",
"mediaType": "email",
"messageId": 1242672,
"messageInstanceId": 1630305,
"messageTag": "1522397496",
"activityDateTime": "2018-05-15T04:45:04",
"viewMessageLink": "https://123.esclick.me/test",
"clickEventLink": "https://test.ua/promo/"
},
{
"workflowId": 245460,
"workflowBlockId": "e_e9e90420db06b64c157440cd60d0b73d",
"sourceEventKey": "1258810400",
"sourceEventTypeKey": "subscribeFromApi",
"iid": "0ae4b6a3-59ad-426e-a40b-ce8f55bd40bc",
"contactId": 1258810400,
"email": "test@mail.ru",
"activityStatus": "SPAM",
"mediaType": "email",
"messageId": 1242672,
"messageInstanceId": 1630305,
"messageTag": "1522397496",
"activityDateTime": "2018-05-15T08:23:56",
"viewMessageLink": "https://123.esclick.me/test"
}
])";

} // namespace

TEST_CASE("vendor esputnik: the document's example records, with fresh values of their shapes") {
  const json example = json::parse(kEsputnikExample);
  // Each event's records: the document's example records of its status (undelivered: the SMS
  // broadcast, then with --batch 2 the email one).
  const std::vector<std::pair<std::string, std::vector<size_t>>> events = {
      {"subscription-changed", {0}},
      {"delivered", {1}},
      {"undelivered", {2, 3}},
      {"read", {4}},
      {"unsubscribed", {5}},
      {"clicked", {6}},
      {"spam", {7}}};
  for (const auto& pair : events) {
    const std::string& event = pair.first;
    const std::vector<size_t>& indexes = pair.second;
    INFO("event ", event);
    json records = json::array();
    for (size_t i : indexes)
      records.push_back(example[i]);
    const int batch = static_cast<int>(records.size());
    // The same fields in the same order, of the same types: with the example's values set, the
    // sample is the example record (--set keeps a field's type).
    CHECK(sample("esputnik", event, 7, "", batch, sets_from(records)).body == records.dump());
    { // fresh values of the example's shapes
      const Sample s = sample("esputnik", event, 7, "", batch);
      REQUIRE(s.json.size() == records.size());
      for (size_t r = 0; r < records.size(); ++r) {
        const json& record = s.json[r];
        CHECK(keys_of(record) == keys_of(records[r]));
        CHECK(text_at(record, "activityStatus") == text_at(records[r], "activityStatus"));
        CHECK(matches(text_at(record, "iid"), kUuid));
        CHECK(text_at(record, "activityDateTime") == "2023-11-14T22:13:20"); // yyyy-MM-ddTHH:mm:ss
        CHECK(text_at(record, "mediaType") == (record.contains("sms") ? "sms" : "email"));
        if (record.contains("email"))
          CHECK(matches(text_at(record, "email"), R"([^@\s]+@[^@\s]+\.[a-z]+)"));
        if (record.contains("sms")) CHECK(matches(text_at(record, "sms"), R"(\d{10,15})"));
        if (record.contains("workflowBlockId"))
          CHECK(matches(text_at(record, "workflowBlockId"), "e_[0-9a-f]{32}"));
        if (record.contains("sourceEventKey"))
          CHECK(matches(text_at(record, "sourceEventKey"), "[1-9][0-9]*"));
        if (record.contains("messageTag"))
          CHECK(matches(text_at(record, "messageTag"), "[1-9][0-9]*"));
        if (record.contains("viewMessageLink"))
          CHECK(matches(text_at(record, "viewMessageLink"), R"(https://\d+\.esclick\.me/\w+)"));
        if (record.contains("clickEventLink"))
          CHECK(matches(text_at(record, "clickEventLink"), "https://.+"));
        if (record.contains("statusDescription"))
          CHECK(!text_at(record, "statusDescription").empty());
      }
    }
  }
  SUBCASE("not in the document: messageName, externalCustomerId, workflowInstanceId") {
    for (const auto& e : vendor("esputnik").events) {
      INFO("event ", e.name);
      const json record = sample("esputnik", e.name).json[0];
      for (const char* field :
           {"messageName", "externalCustomerId", "workflowInstanceId", "subscriptions"})
        CHECK_FALSE(record.contains(field));
      CHECK(record.contains("statusData") == (e.name == "subscription-changed"));
    }
  }
  SUBCASE("subscription-changed: the category keys under statusData.subscription.subscriptions") {
    const json record = sample("esputnik", "subscription-changed").json[0];
    const json* keys = find_path(record, "statusData.subscription.subscriptions");
    REQUIRE(keys != nullptr);
    REQUIRE(keys->is_array());
    CHECK(!keys->empty());
    for (const auto& key : *keys)
      CHECK(key.is_string());
  }
  SUBCASE("delivery: GET on save; only HTTP 200 counts; retries in order, 1, 2, 4, 8 minutes ... "
          "hourly") {
    const Delivery& d = vendor("esputnik").delivery;
    CHECK(d.get_on_save);
    CHECK(d.method == "POST");
    CHECK(d.success == std::vector<long>{200});
    CHECK(d.delivered(200));
    CHECK_FALSE(d.delivered(201));
    CHECK_FALSE(d.delivered(204));
    CHECK(d.success_rule() == "HTTP 200");
    CHECK(d.ordered);
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
    // The set-up as the document gives it; what goes beyond it is said to be hooktool's.
    CHECK(d.notes.find("Settings > Laboratory > Webhooks") != std::string::npos);
    CHECK(d.notes.find("Webhook blocks of workflows") != std::string::npos);
    CHECK(d.notes.find("hooktool's reading") != std::string::npos);
  }
}
