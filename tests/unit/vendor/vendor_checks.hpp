// Helpers for the vendor catalog tests (test_vendors.cpp, test_providers.cpp, test_esputnik.cpp):
// samples of the built-in vendors at a fixed time and seed, and checks of their fields against
// lists written in the tests from the vendors' own documents. The helpers of every test are in
// ../helpers.hpp.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "../helpers.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"

namespace vendor_checks {

using json = nlohmann::ordered_json;

// 2023-11-14T22:13:20.123Z: fixed so that time fields can be compared exactly.
constexpr std::int64_t kNowMs = 1700000000123;

inline const char* const kUuid =
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

enum class Kind { String, Integer, Boolean, Object, Array, Null };

inline const char* kind_name(Kind kind) {
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

inline bool has_kind(const json& value, Kind kind) {
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
inline const json* find_path(const json& doc, const std::string& path) {
  const json* node = &doc;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string step =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
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
// structured bindings (gcc accepts them, clang does not): the loops name their parts instead.

inline void check_fields(const json& doc, const FieldList& fields) {
  for (const auto& field : fields) {
    const std::string& path = field.first;
    const Kind kind = field.second;
    INFO("field ", path, " should be a ", kind_name(kind));
    const json* value = find_path(doc, path);
    CHECK(value != nullptr);
    if (value) CHECK(has_kind(*value, kind));
  }
}

// An object's keys, in order ("" entries for a non-object, so that a comparison fails).
inline std::vector<std::string> keys_of(const json& object) {
  if (!object.is_object()) return {"<not an object>"};
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it)
    out.push_back(it.key());
  return out;
}

// The object's keys are exactly these, in this order, each of its kind.
inline void check_exact_fields(const json& object, const FieldList& fields) {
  std::vector<std::string> names;
  for (const auto& field : fields)
    names.push_back(field.first);
  CHECK(keys_of(object) == names);
  check_fields(object, fields);
}

inline std::string text_at(const json& doc, const std::string& path) {
  const json* value = find_path(doc, path);
  return value && value->is_string() ? value->get<std::string>() : std::string("<not a string>");
}

inline bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern));
}

inline const hooktool::VendorProfile& vendor(const std::string& name) {
  const hooktool::VendorProfile* v = hooktool::Catalog::builtin().find(name);
  REQUIRE_MESSAGE(v != nullptr, "no built-in vendor ", name);
  return *v;
}

inline hooktool::Sample sample(const std::string& vendor_name, const std::string& event,
                               std::uint64_t seed = 7, const std::string& format = "",
                               int batch = 1,
                               const std::vector<std::pair<std::string, std::string>>& sets = {}) {
  hooktool::SampleOptions options;
  options.event = event;
  options.format = format;
  options.batch = batch;
  options.now_ms = kNowMs;
  options.sets = sets;
  hooktool::Random random(seed);
  return make_sample(vendor(vendor_name), options, random);
}

// The value of the sample's header of that name, in any case ("<absent NAME>" when it has none).
inline std::string header_value(const hooktool::Sample& s, const std::string& name) {
  return test::value_of(s.headers, name);
}

inline std::vector<std::string> header_names(const hooktool::Sample& s) {
  return test::names_of(s.headers);
}

} // namespace vendor_checks
