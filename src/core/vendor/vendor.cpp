// The vendor catalog (see vendor.hpp).
#include "core/vendor/vendor.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "core/signature/scheme.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_vendor_files();

const VendorEvent* VendorProfile::find_event(std::string_view event_name) const {
  for (const auto& e : events)
    if (e.name == event_name) return &e;
  return nullptr;
}

std::string VendorProfile::content_type(std::string_view format) const {
  for (const auto& [f, type] : formats)
    if (f == format) return type;
  return {};
}

std::string VendorProfile::event_names() const {
  std::string out;
  for (const auto& e : events)
    out += (out.empty() ? "" : ", ") + e.name;
  return out;
}

std::string VendorProfile::format_names() const {
  std::string out;
  for (const auto& f : formats)
    out += (out.empty() ? "" : ", ") + f.first;
  return out;
}

bool Delivery::delivered(long status) const {
  if (success.empty()) return status >= 200 && status < 300;
  return std::find(success.begin(), success.end(), status) != success.end();
}

std::string Delivery::success_rule() const {
  if (success.empty()) return "any 2xx";
  std::string out;
  for (long s : success)
    out += (out.empty() ? "HTTP " : " or ") + std::to_string(s);
  return out;
}

bool Delivery::documented_delay(int attempt) const {
  return retry_documented < 0 || attempt - 2 < retry_documented;
}

namespace {

using json = nlohmann::ordered_json;

// {"Name": "template", ...}: the header templates of a vendor, an event or its retries.
HeaderTemplates header_templates(const json& value, const std::string& where) {
  if (!value.is_object())
    throw Error("\"headers\" must map a header name to a string (" + where + ")");
  HeaderTemplates out;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& name = it.key();
    const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                    std::string_view::npos;
    });
    if (!token) throw Error("\"" + name + "\" is not a header name (" + where + ")");
    if (!it.value().is_string())
      throw Error("the value of header \"" + name + "\" must be a string (" + where + ")");
    const std::string& text = it.value().get_ref<const std::string&>();
    if (text.find_first_of("\r\n") != std::string::npos || text.find('\0') != std::string::npos)
      throw Error("the value of header \"" + name + "\" holds a line break (" + where + ")");
    out.emplace_back(name, text);
  }
  return out;
}

std::string need_string(const json& obj, const char* field, const std::string& where,
                        bool required = true) {
  if (!obj.contains(field) || obj[field].is_null()) {
    if (required) throw Error("missing \"" + std::string(field) + "\" (" + where + ")");
    return {};
  }
  if (!obj[field].is_string())
    throw Error("\"" + std::string(field) + "\" must be a string (" + where + ")");
  return obj[field].get<std::string>();
}

std::int64_t duration_field(const json& value, const std::string& where) {
  if (value.is_number_integer()) {
    // Seconds, as many as fit in int64 milliseconds (an unsigned above int64 does not either).
    const bool above_int64 =
        value.is_number_unsigned() &&
        value.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()};
    const auto ms = above_int64 ? std::nullopt : checked_mul(value.get<std::int64_t>(), 1000);
    if (!ms) throw Error("a duration of " + value.dump() + " s is out of range (" + where + ")");
    return *ms;
  }
  if (value.is_string())
    if (auto ms = parse_duration_ms(value.get<std::string>())) return *ms;
  throw Error("expected a duration like \"10s\" or \"2m\" (" + where + ")");
}

// "+HH:MM" / "-HH:MM" (HH up to 23, MM up to 59) -> minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  for (size_t i : {1, 2, 4, 5})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return (text[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

} // namespace

// An optional true/false field (false when absent).
bool optional_bool(const json& object, const char* key, const std::string& where) {
  if (!object.contains(key)) return false;
  const json& value = object[key];
  if (!value.is_boolean())
    throw Error(std::string("\"") + key + "\" must be true or false (" + where + ")");
  return value.get<bool>();
}

namespace {

std::vector<std::pair<std::string, std::string>> parse_formats(const json& doc,
                                                               const std::string& source) {
  std::vector<std::pair<std::string, std::string>> formats;
  if (doc.contains("formats")) {
    if (!doc["formats"].is_object() || doc["formats"].empty())
      throw Error("\"formats\" must map a format name to a content type (" + source + ")");
    for (auto it = doc["formats"].begin(); it != doc["formats"].end(); ++it) {
      if (it.key() != "json" && it.key() != "form")
        throw Error("format \"" + it.key() + "\" is not json or form (" + source + ": formats)");
      if (!it.value().is_string())
        throw Error("a content type must be a string (" + source + ": formats)");
      formats.emplace_back(it.key(), it.value().get<std::string>());
    }
  } else {
    formats.emplace_back("json", "application/json");
  }
  return formats;
}

// How the vendor writes its bodies: JSON indent and escapes, the form style, the time zone.
void parse_writing(const json& doc, const std::string& source, VendorProfile& v) {
  if (doc.contains("json_indent")) {
    const json& indent = doc["json_indent"];
    if (!indent.is_number_integer() || indent.get<std::int64_t>() < -1 ||
        indent.get<std::int64_t>() > 16)
      throw Error("\"json_indent\" must be a whole number from -1 (one line) to 16 (" + source +
                  ")");
    v.json_indent = indent.get<int>();
  }
  v.json_escape_slash = optional_bool(doc, "json_escape_slash", source);
  if (doc.contains("form_style")) {
    const json& style = doc["form_style"];
    if (style == "rack")
      v.form_style = FormStyle::Rack;
    else if (style == "percent")
      v.form_style = FormStyle::Percent;
    else
      throw Error("\"form_style\" must be \"rack\" or \"percent\" (" + source + ")");
  }
  if (doc.contains("utc_offset")) {
    const json& offset = doc["utc_offset"];
    const auto minutes =
        offset.is_string() ? parse_utc_offset(offset.get<std::string>()) : std::nullopt;
    if (!minutes)
      throw Error("\"utc_offset\" must be like \"+02:00\" or \"-07:00\" (" + source + ")");
    v.utc_offset_minutes = *minutes;
  }
}

Delivery parse_delivery(const json& d, const std::string& source) {
  Delivery delivery;
  if (!d.is_object()) throw Error("\"delivery\" must be an object (" + source + ")");
  const std::string where = source + ": delivery";
  delivery.method = need_string(d, "method", where, false);
  if (delivery.method.empty()) delivery.method = "POST";
  if (d.contains("timeout")) delivery.timeout_ms = duration_field(d["timeout"], where + ".timeout");
  if (d.contains("retry")) {
    if (!d["retry"].is_array())
      throw Error("\"retry\" must be a list of durations (" + where + ")");
    for (const auto& r : d["retry"])
      delivery.retry_ms.push_back(duration_field(r, where + ".retry"));
  }
  delivery.get_on_save = optional_bool(d, "get_on_save", where);
  if (d.contains("success")) {
    const json& success = d["success"];
    if (success.is_string() && success.get<std::string>() == "2xx") {
      // the default
    } else if (success.is_array() && !success.empty()) {
      for (const auto& status : success) {
        if (!status.is_number_integer() || status.get<std::int64_t>() < 100 ||
            status.get<std::int64_t>() > 599)
          throw Error("\"success\" lists HTTP statuses from 100 to 599 (" + where + ".success)");
        delivery.success.push_back(status.get<long>());
      }
    } else {
      throw Error("\"success\" must be \"2xx\" or a list of statuses like [200] (" + where +
                  ".success)");
    }
  }
  delivery.ordered = optional_bool(d, "ordered", where);
  if (d.contains("retry_documented")) {
    const json& n = d["retry_documented"];
    if (!n.is_number_integer() || n.get<std::int64_t>() < 0 ||
        n.get<std::int64_t>() > static_cast<std::int64_t>(delivery.retry_ms.size()))
      throw Error("\"retry_documented\" must count from 0 to the number of retry delays (" + where +
                  ".retry_documented)");
    delivery.retry_documented = n.get<int>();
  }
  if (d.contains("retry_headers"))
    delivery.retry_headers = header_templates(d["retry_headers"], where + ".retry_headers");
  delivery.notes = need_string(d, "notes", where, false);
  return delivery;
}

std::vector<VendorEvent> parse_events(const json& doc, const std::string& source, bool batch) {
  std::vector<VendorEvent> events;
  if (!doc.contains("events") || !doc["events"].is_array() || doc["events"].empty())
    throw Error("\"events\" must list at least one event (" + source + ")");
  for (const auto& e : doc["events"]) {
    const std::string where = source + ": events";
    if (!e.is_object()) throw Error("each event is an object (" + where + ")");
    VendorEvent event;
    event.name = need_string(e, "name", where);
    event.description = need_string(e, "description", where, false);
    if (e.contains("headers"))
      event.headers = header_templates(e["headers"], where + ": " + event.name + ".headers");
    if (!e.contains("body"))
      throw Error("event \"" + event.name + "\" has no body (" + where + ")");
    event.body = e["body"];
    if (batch && (!event.body.is_array() || event.body.empty()))
      throw Error("event \"" + event.name +
                  "\" of a batching vendor needs an array body of one record or more (" + where +
                  ")");
    events.push_back(std::move(event));
  }
  return events;
}

} // namespace

VendorProfile parse_vendor(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // nlohmann says "[json.exception.parse_error.101] parse error at line 3, column 5: ...", or
    // (a number too large for a double, out_of_range) "[json.exception.out_of_range.406] number
    // overflow parsing '1e999'".
    std::string what = e.what();
    auto at = what.find("] ");
    throw Error("invalid JSON: " + (at == std::string::npos ? what : what.substr(at + 2)) + " (" +
                source + ")");
  }
  if (!doc.is_object()) throw Error("a vendor file holds one JSON object (" + source + ")");
  VendorProfile v;
  v.source = source;
  v.name = need_string(doc, "name", source);
  if (v.name.empty() || v.name.find_first_of(" \t/") != std::string::npos)
    throw Error("\"name\" must be one word, like \"acme\" (" + source + ")");
  v.title = need_string(doc, "title", source, false);
  if (v.title.empty()) v.title = v.name;
  v.docs = need_string(doc, "docs", source, false);
  v.scheme = need_string(doc, "scheme", source, false);
  if (!v.scheme.empty() && !find_scheme(v.scheme))
    throw Error("unknown scheme \"" + v.scheme + "\" (" + source + ": scheme)");
  if (doc.contains("signature") && !doc["signature"].is_null()) {
    if (!v.scheme.empty())
      throw Error("give \"scheme\" (a built-in's name) or \"signature\" (a declaration), not "
                  "both (" +
                  source + ")");
    json declared = doc["signature"];
    if (declared.is_object() && !declared.contains("name")) declared["name"] = v.name;
    if (declared.is_object() && !declared.contains("title")) declared["title"] = v.title;
    v.own_scheme = parse_scheme(declared, source + ": signature");
    v.scheme = v.own_scheme->name;
  }
  v.formats = parse_formats(doc, source);
  if (doc.contains("headers")) v.headers = header_templates(doc["headers"], source + ": headers");
  v.batch = optional_bool(doc, "batch", source);
  parse_writing(doc, source, v);
  if (doc.contains("delivery")) v.delivery = parse_delivery(doc["delivery"], source);
  v.events = parse_events(doc, source, v.batch);
  return v;
}

const Scheme* vendor_scheme(const VendorProfile& vendor) {
  if (vendor.own_scheme) return &*vendor.own_scheme;
  return vendor.scheme.empty() ? nullptr : find_scheme(vendor.scheme);
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog = [] {
    Catalog c;
    for (const auto& [path, text] : embedded_vendor_files())
      c.add(parse_vendor(text, std::string(path)));
    return c;
  }();
  return catalog;
}

Catalog Catalog::with_files(const std::vector<std::string>& paths) {
  Catalog c = builtin();
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read vendor file " + path + " (--vendor-file)");
    std::ostringstream text;
    text << in.rdbuf();
    c.add(parse_vendor(text.str(), path));
  }
  return c;
}

void Catalog::add(VendorProfile profile) {
  for (auto& v : m_vendors) {
    if (v.name == profile.name) {
      v = std::move(profile);
      return;
    }
  }
  m_vendors.push_back(std::move(profile));
}

const VendorProfile* Catalog::find(std::string_view name) const {
  for (const auto& v : m_vendors)
    if (v.name == name) return &v;
  return nullptr;
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& v : m_vendors)
    out.push_back(v.name);
  return out;
}

const VendorProfile& Catalog::get(std::string_view name, std::string_view where) const {
  if (const VendorProfile* v = find(name)) return *v;
  std::string list;
  for (const auto& n : names())
    list += (list.empty() ? "" : ", ") + n;
  throw Error("unknown vendor '" + std::string(name) + "': one of " + list + " (" +
              std::string(where) + ")");
}

} // namespace hooktool
