// The vendor catalog: profiles from vendors/*.json (compiled in) and --vendor-file, and sample
// payloads built from their templates with fresh values.
//
// Vendor file format (documented in hooktool(1), VENDOR FILES):
//   name, title, docs          strings; name is what --vendor takes
//   scheme                     a built-in scheme name, or null when the vendor does not sign
//   signature                  instead of scheme: the vendor's own scheme declared whole, with
//                              the fields of schemes/builtin.json (parse_scheme in scheme.hpp:
//                              signs, algorithm, encoding, key, prefix, format, header, ...)
//   formats                    object: format name ("json", "form") -> content type; first =
//   default batch                      true when the body is a JSON array of records (--batch N)
//   json_indent                optional: the vendor pretty-prints its JSON bodies with N spaces
//   json_escape_slash          optional: the vendor's JSON writer writes "/" as "\/" (PHP's
//                              json_encode); also inside {"$json": ...} strings
//   form_style                 optional: how form bodies are written: "rack" (default; Rack's
//                              build_nested_query: "+" for a space, null as a bare name) or
//                              "percent" (RFC 3986: all but A-Z a-z 0-9 - . _ ~ as %XX, a space
//                              %20, null as "name="); pairs in the template's key order
//   utc_offset                 optional: "+HH:MM" or "-HH:MM", the zone the vendor writes its
//                              {{now...}} times in (default "+00:00"); %z and %:z write it
//   headers                    optional: { "Name": "<template string>" } sent with every delivery
//   delivery                   { method, timeout, retry: [durations; the last repeats],
//   get_on_save,
//                                success: "2xx" (default) or [200, ...] (the statuses that count as
//                                delivered), ordered (later deliveries wait while one is retried),
//                                retry_headers: { "Name": "<template>" } added to retries only
//                                ({{retry}} the retry's number from 1, {{retry_reason}} why),
//                                retry_documented: N (the first N retry delays are the vendor's
//                                own; the rest are hooktool's reading of its words),
//                                notes }
//   events                     [ { name, description, headers (optional, as above; an event's
//                                header replaces the vendor's of the same name), body: <template> }
//                                ]
// Templates are JSON; strings may hold placeholders (see sample.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/signature/scheme.hpp"

namespace hooktool {

// Header templates, in the order the vendor sends them: name -> template string.
using HeaderTemplates = std::vector<std::pair<std::string, std::string>>;

struct VendorEvent {
  std::string name;
  std::string description;
  HeaderTemplates headers;
  nlohmann::ordered_json body;
};

struct Delivery {
  std::string method = "POST";
  std::int64_t timeout_ms = 10'000;
  std::vector<std::int64_t> retry_ms; // delay before attempt 2, 3, ...; the last one repeats
  bool get_on_save = false;
  std::vector<long> success; // the statuses that count as delivered; empty: any 2xx
  bool ordered = false;      // later deliveries are held back while an earlier one is retried
  HeaderTemplates retry_headers;
  int retry_documented = -1; // how many of retry_ms the vendor's document gives; -1: all of them
  std::string notes;

  bool delivered(long status) const; // does the vendor count this answer as delivered?
  std::string success_rule() const;  // "any 2xx", "HTTP 200"
  // Is the delay before this attempt (2, 3, ...) one the vendor documents, or hooktool's reading?
  bool documented_delay(int attempt) const;
};

enum class FormStyle { Rack, Percent };

struct VendorProfile {
  std::string name;
  std::string title;
  std::string docs;
  std::string scheme;                                       // empty: unsigned
  std::vector<std::pair<std::string, std::string>> formats; // name -> content type
  HeaderTemplates headers;                                  // sent with every delivery
  bool batch = false;
  int json_indent = -1;           // how the vendor writes JSON bodies: -1 compact (Stripe: 2)
  bool json_escape_slash = false; // "/" written "\/" (JotUrl, PHP's json_encode)
  FormStyle form_style = FormStyle::Rack;
  int utc_offset_minutes = 0; // the zone of the vendor's times (Wootric: -420)
  Delivery delivery;
  std::vector<VendorEvent> events;
  std::string source; // "built-in" or the file it came from

  // The scheme the file's "signature" declares (its name is `scheme`); none when it names one.
  std::optional<Scheme> own_scheme;

  const VendorEvent* find_event(std::string_view name) const;
  std::string content_type(std::string_view format) const; // "" when the vendor lacks it
  std::string event_names() const;                         // "email, phone, survey"
  std::string format_names() const;
};

// The vendor's scheme: its own declaration, else the built-in it names; null when unsigned.
const Scheme* vendor_scheme(const VendorProfile& vendor);

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

} // namespace hooktool
