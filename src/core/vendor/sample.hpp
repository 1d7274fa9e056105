// Sample payloads from a vendor's event template, with fresh values.
//
// Placeholders inside template strings:
//   {{uuid}}                 a random UUID v4
//   {{now}}                  the time, ISO 8601 UTC with milliseconds: 2026-11-25T13:14:21.123Z
//   {{now:unix}}             unix seconds (a number when it is the whole string)
//   {{now:unix_ms}}          unix milliseconds (a number when it is the whole string)
//   {{now:FORMAT}}           strftime FORMAT; %L is milliseconds, %z the zone offset as +HHMM,
//                            %:z as +HH:MM (the vendor's utc_offset; UTC unless it has one)
//   {{now~STEP}} {{now~STEP:FORMAT}}   like {{now}}, spread over a batch: record seq of N is
//                            (N - seq) x STEP before now (STEP a duration: 621ms, 2s), so times
//                            increase through the batch and the last record is now
//   {{int:MIN:MAX}}          a random integer (a number when it is the whole string)
//   {{hex:N}} {{alnum:N}} {{digits:N}}   N random characters
//   {{pick:a|b|c}}           one of the choices
//   {{ip}}                   an address from the documentation ranges (203.0.113.0/24, ...)
//   {{seq}}                  the record's number in a batch, from 1 (a number when whole)
//   {{event}}                the event's name (X-GitHub-Event: {{event}})
// An object {"$json": TEMPLATE} becomes the compact JSON text of the expanded TEMPLATE, as a string
// (vendors that nest JSON inside a string field). An object {"$format": {"json": T1, "form": T2}}
// becomes the expanded template of the sample's format (vendors whose JSON and form bodies write
// a value differently, like Wootric's times).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/util/http.hpp"
#include "core/util/random.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool {

struct SampleOptions {
  std::string event;  // empty: the vendor's first event
  std::string format; // empty: the vendor's first format
  int batch = 1;
  std::vector<std::pair<std::string, std::string>> sets; // --set PATH=VALUE
  std::int64_t now_ms = 0;
};

struct Sample {
  std::string event;
  std::string format;
  std::string content_type;
  nlohmann::ordered_json json; // the expanded document
  std::string body;            // the bytes to send
  std::vector<Header>
      headers; // the vendor's own headers (vendor, then event), expanded; no Content-Type
};

// What a template is expanded for: the time, the record's place in its batch, and the vendor's
// ways of writing (vendor.hpp).
struct TemplateContext {
  std::int64_t now_ms = 0;
  int seq = 1;                    // the record's number in its batch, from 1
  int batch = 1;                  // the batch's size
  int utc_offset_minutes = 0;     // the vendor's utc_offset
  std::string format = "json";    // the sample's format, for {"$format": ...}
  std::string event;              // the event's name, for {{event}}
  bool json_escape_slash = false; // {"$json": ...} strings written with "\/"
};

// Expands header templates (vendor.hpp) with the same placeholders as bodies; a placeholder that is
// a number is written as its decimal text.
std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random,
                                   std::int64_t now_ms);
std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random,
                                   const TemplateContext& context);

nlohmann::ordered_json expand_template(const nlohmann::ordered_json& tmpl, Random& random,
                                       std::int64_t now_ms, int seq);
nlohmann::ordered_json expand_template(const nlohmann::ordered_json& tmpl, Random& random,
                                       const TemplateContext& context);
// JSON text as the vendor writes it: indented or compact, "/" as "\/" when it escapes slashes.
std::string vendor_json(const nlohmann::ordered_json& doc, const VendorProfile& vendor);
// A form body (a JSON object) as the vendor writes it: bracket nesting, in the object's key order,
// escaped in the vendor's form_style.
std::string vendor_form(const nlohmann::ordered_json& doc, FormStyle style);
// Applies "a.b.0.c=VALUE": the parent must exist; the value keeps the type of the value it
// replaces (a number stays a number). Throws Error naming --set.
void apply_set(nlohmann::ordered_json& doc, const std::string& path, const std::string& value);
Sample make_sample(const VendorProfile& vendor, const SampleOptions& options, Random& random);

} // namespace hooktool
