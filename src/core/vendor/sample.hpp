// Sample payloads from a vendor's event template, with fresh values.
//
// Placeholders inside template strings:
//   {{uuid}}                 a random UUID v4
//   {{now}}                  the time, ISO 8601 UTC with milliseconds: 2026-11-25T13:14:21.123Z
//   {{now:unix}}             unix seconds (a number when it is the whole string)
//   {{now:unix_ms}}          unix milliseconds (a number when it is the whole string)
//   {{now:FORMAT}}           strftime FORMAT in UTC; %L is milliseconds
//   {{int:MIN:MAX}}          a random integer (a number when it is the whole string)
//   {{hex:N}} {{alnum:N}} {{digits:N}}   N random characters
//   {{pick:a|b|c}}           one of the choices
//   {{ip}}                   an address from the documentation ranges (203.0.113.0/24, ...)
//   {{seq}}                  the record's number in a batch, from 1 (a number when whole)
// An object {"$json": TEMPLATE} becomes the compact JSON text of the expanded TEMPLATE, as a string
// (vendors that nest JSON inside a string field).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/util/http.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool {

// Randomness behind one small interface: seeded for reproducible samples (--seed).
class Random {
 public:
  explicit Random(std::optional<std::uint64_t> seed);
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);

 private:
  std::mt19937_64 m_engine;
};

struct SampleOptions {
  std::string event;   // empty: the vendor's first event
  std::string format;  // empty: the vendor's first format
  int batch = 1;
  std::vector<std::pair<std::string, std::string>> sets;  // --set PATH=VALUE
  std::int64_t now_ms = 0;
};

struct Sample {
  std::string event;
  std::string format;
  std::string content_type;
  nlohmann::ordered_json json;  // the expanded document
  std::string body;             // the bytes to send
  std::vector<Header> headers;  // the vendor's own headers (vendor, then event), expanded; no Content-Type
};

// Expands header templates (vendor.hpp) with the same placeholders as bodies; a placeholder that is
// a number is written as its decimal text.
std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random, std::int64_t now_ms);

nlohmann::ordered_json expand_template(const nlohmann::ordered_json& tmpl, Random& random,
                                       std::int64_t now_ms, int seq);
// Applies "a.b.0.c=VALUE": the parent must exist; the value keeps the type of the value it
// replaces (a number stays a number). Throws Error naming --set.
void apply_set(nlohmann::ordered_json& doc, const std::string& path, const std::string& value);
Sample make_sample(const VendorProfile& vendor, const SampleOptions& options, Random& random);

}  // namespace hooktool
