// The vendor catalog: profiles from vendors/*.json (compiled in) and --vendor-file, and sample
// payloads built from their templates with fresh values.
//
// Vendor file format (documented in hooktool(1), VENDOR FILES):
//   name, title, docs          strings; name is what --vendor takes
//   scheme                     a built-in scheme name, or null when the vendor does not sign
//   formats                    object: format name ("json", "form") -> content type; first = default
//   batch                      true when the body is a JSON array of records (--batch N)
//   json_indent                optional: the vendor pretty-prints its JSON bodies with N spaces
//   delivery                   { method, timeout, retry: [durations; the last repeats], get_on_save,
//                                notes }
//   events                     [ { name, description, body: <template> } ]
// Templates are JSON; strings may hold placeholders (see sample.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hooktool {

struct VendorEvent {
  std::string name;
  std::string description;
  nlohmann::ordered_json body;
};

struct Delivery {
  std::string method = "POST";
  std::int64_t timeout_ms = 10'000;
  std::vector<std::int64_t> retry_ms;  // delay before attempt 2, 3, ...; the last one repeats
  bool get_on_save = false;
  std::string notes;
};

struct VendorProfile {
  std::string name;
  std::string title;
  std::string docs;
  std::string scheme;  // empty: unsigned
  std::vector<std::pair<std::string, std::string>> formats;  // name -> content type
  bool batch = false;
  int json_indent = -1;  // how the vendor writes JSON bodies: -1 compact (Stripe: 2)
  Delivery delivery;
  std::vector<VendorEvent> events;
  std::string source;  // "built-in" or the file it came from

  const VendorEvent* find_event(std::string_view name) const;
  std::string content_type(std::string_view format) const;  // "" when the vendor lacks it
  std::string event_names() const;                           // "email, phone, survey"
  std::string format_names() const;
};

// Parses one vendor file; throws Error naming `source` and, for JSON errors, the byte position.
VendorProfile parse_vendor(std::string_view text, const std::string& source);

class Catalog {
 public:
  static const Catalog& builtin();
  // The built-ins plus these files (a file's vendor replaces a built-in of the same name).
  static Catalog with_files(const std::vector<std::string>& paths);

  const VendorProfile* find(std::string_view name) const;
  const std::vector<VendorProfile>& all() const { return m_vendors; }
  std::vector<std::string> names() const;
  // Like find, but throws Error listing the valid names.
  const VendorProfile& get(std::string_view name, std::string_view where) const;

 private:
  void add(VendorProfile profile);
  std::vector<VendorProfile> m_vendors;
};

}  // namespace hooktool
