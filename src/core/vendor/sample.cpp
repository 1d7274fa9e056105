// Sample payloads from templates (see sample.hpp).
#include "core/vendor/sample.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "core/form/dialect.hpp"
#include "core/form/json_reader.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

using json = nlohmann::ordered_json;

namespace {

// "+HHMM", or "+HH:MM" with the colon.
std::string offset_text(int offset_minutes, bool colon) {
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char text[8];
  std::snprintf(text, sizeof text, colon ? "%c%02d:%02d" : "%c%02d%02d",
                offset_minutes < 0 ? '-' : '+', (magnitude / 60) % 100, magnitude % 60);
  return text;
}

// strftime in the zone offset_minutes east of UTC; %L is milliseconds, %z and %:z the offset
// (glibc's %z would say +0000 for a broken-down UTC time, and it has no %:z).
std::string format_time(std::int64_t now_ms, const std::string& format, int offset_minutes) {
  const auto shifted = checked_sub(now_ms, -std::int64_t{offset_minutes} * 60'000);
  if (!shifted) throw Error("the time is out of range (template)");
  const std::int64_t local_ms = *shifted;
  const std::int64_t ms = ((local_ms % 1000) + 1000) % 1000;
  std::time_t seconds = static_cast<std::time_t>((local_ms - ms) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char ms_text[4];
  std::snprintf(ms_text, sizeof ms_text, "%03d", static_cast<int>(ms));
  std::string plain; // the format with %L, %z and %:z written out
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      plain.push_back(format[i]);
      continue;
    }
    const char next = format[i + 1];
    if (next == 'L')
      plain += ms_text;
    else if (next == 'z')
      plain += offset_text(offset_minutes, false);
    else if (next == ':' && i + 2 < format.size() && format[i + 2] == 'z') {
      plain += offset_text(offset_minutes, true);
      ++i;
    } else {
      plain.push_back('%');
      plain.push_back(next);
    }
    ++i;
  }
  char out[256];
  size_t n = std::strftime(out, sizeof out, plain.c_str(), &tm);
  return std::string(out, n);
}

// One placeholder's value; numeric ones come back as numbers.
json placeholder(std::string_view spec, Random& random, const TemplateContext& context) {
  auto colon = spec.find(':');
  std::string_view name = spec.substr(0, colon);
  std::string_view arg =
      colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  auto count = [&]() -> size_t {
    auto n = parse_int(arg);
    if (!n || *n < 0 || *n > 4096)
      throw Error("{{" + std::string(spec) + "}} needs a length (template)");
    return static_cast<size_t>(*n);
  };
  if (name == "uuid") return uuid_v4(random);
  if (name == "seq") return context.seq;
  if (name == "event") return context.event;
  if (name == "now" || starts_with(name, "now~")) {
    std::int64_t now_ms = context.now_ms;
    if (name != "now") { // now~STEP: the batch's records STEP apart, the last one now
      const auto step = parse_duration_ms(name.substr(4));
      const auto back =
          step ? checked_mul(*step, std::int64_t{context.batch} - context.seq) : std::nullopt;
      const auto at = back ? checked_sub(now_ms, *back) : std::nullopt;
      if (!at) throw Error("{{" + std::string(spec) + "}} needs a step like now~500ms (template)");
      now_ms = *at;
    }
    const int offset = context.utc_offset_minutes;
    if (arg.empty())
      return format_time(now_ms, offset == 0 ? "%Y-%m-%dT%H:%M:%S.%LZ" : "%Y-%m-%dT%H:%M:%S.%L%:z",
                         offset);
    if (arg == "unix") return now_ms / 1000;
    if (arg == "unix_ms") return now_ms;
    return format_time(now_ms, std::string(arg), offset);
  }
  if (name == "int") {
    auto parts = split(arg, ':');
    auto lo = parts.size() == 2 ? parse_int(parts[0]) : std::nullopt;
    auto hi = parts.size() == 2 ? parse_int(parts[1]) : std::nullopt;
    if (!lo || !hi || *hi < *lo)
      throw Error("{{" + std::string(spec) + "}} needs int:MIN:MAX (template)");
    return *lo + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(*hi - *lo) + 1));
  }
  if (name == "hex") return random_text(random, kLowerHex, count());
  if (name == "alnum") return random_text(random, kAlphanumerics, count());
  if (name == "digits") return random_text(random, kAlphanumerics.substr(0, 10), count());
  if (name == "pick") {
    auto choices = split(arg, '|');
    return std::string(choices[random.below(choices.size())]);
  }
  if (name == "ip") {
    static const char* const kNets[] = {"192.0.2.", "198.51.100.", "203.0.113."};
    return std::string(kNets[random.below(3)]) + std::to_string(1 + random.below(254));
  }
  throw Error("unknown placeholder {{" + std::string(spec) + "}} (template)");
}

json expand_string(const std::string& text, Random& random, const TemplateContext& context) {
  if (starts_with(text, "{{") && ends_with(text, "}}") && text.find("{{", 2) == std::string::npos)
    return placeholder(std::string_view(text).substr(2, text.size() - 4), random, context);
  std::string out;
  size_t pos = 0;
  while (true) {
    auto open = text.find("{{", pos);
    if (open == std::string::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    json value =
        placeholder(std::string_view(text).substr(open + 2, close - open - 2), random, context);
    out += value.is_string() ? value.get<std::string>() : value.dump();
    pos = close + 2;
  }
  out.append(text, pos);
  return out;
}

// JSON text with every "/" written "\/", as PHP's json_encode does. A "/" can only be inside a
// string in JSON text, where "\/" is a valid escape of it.
std::string escape_slashes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '/') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The percent style (Wootric's bytes, which no dialect writes): Rack's nesting, but RFC 3986's
// escapes (only A-Z a-z 0-9 - . _ ~ stay, a space is %20), null written as "name=", the pairs in
// the template's order. The rack style is the dialect writer's (core/form), Rack's own.
std::string percent_escape(std::string_view text) {
  static const char kHexUpper[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 15]);
    }
  }
  return out;
}

std::string percent_query(const json& value, const std::string& prefix) {
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value)
      out += (out.empty() ? "" : "&") + percent_query(v, prefix + "[]");
    return out;
  }
  if (value.is_object()) {
    std::string out;
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string key = percent_escape(it.key());
      std::string part = percent_query(it.value(), prefix.empty() ? key : prefix + "[" + key + "]");
      if (!part.empty()) out += (out.empty() ? "" : "&") + part;
    }
    return out;
  }
  if (value.is_null()) return prefix + "=";
  return prefix + "=" + percent_escape(value.is_string() ? value.get<std::string>() : value.dump());
}

json typed_like(const json& old, const std::string& value) {
  if ((starts_with(value, "{") || starts_with(value, "[")) && json::accept(value))
    return json::parse(value);
  if (old.is_number()) {
    if (auto n = parse_int(value)) return *n;
    if (json::accept(value)) {
      json parsed = json::parse(value);
      if (parsed.is_number()) return parsed;
    }
  }
  if (old.is_boolean() && (value == "true" || value == "false")) return value == "true";
  if (old.is_null() && value == "null") return nullptr;
  return value;
}

std::string keys_of(const json& obj) {
  std::string out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    out += (out.empty() ? "" : ", ") + it.key();
  return out;
}

void set_at(json& node, const std::vector<std::string_view>& parts, size_t i,
            const std::string& path, const std::string& value) {
  const std::string here = std::string(parts[i]);
  const std::string where = "--set " + path;
  if (node.is_array()) {
    if (auto index = parse_int(here)) {
      if (*index < 0 || static_cast<size_t>(*index) >= node.size())
        throw Error("the sample's array has " + std::to_string(node.size()) + " element(s), no [" +
                    here + "] (" + where + ")");
      json& child = node[static_cast<size_t>(*index)];
      if (i + 1 == parts.size())
        child = typed_like(child, value);
      else
        set_at(child, parts, i + 1, path, value);
      return;
    }
    for (auto& element : node)
      set_at(element, parts, i, path, value); // every record of a batch
    return;
  }
  if (!node.is_object())
    throw Error("'" + here + "' is below a " + std::string(node.type_name()) + ", not an object (" +
                where + ")");
  if (i + 1 == parts.size()) {
    node[here] = node.contains(here) ? typed_like(node[here], value) : json(value);
    return;
  }
  if (!node.contains(here))
    throw Error("the sample has no '" + here + "' here; it has: " + keys_of(node) + " (" + where +
                ")");
  set_at(node[here], parts, i + 1, path, value);
}

} // namespace

json expand_template(const json& tmpl, Random& random, const TemplateContext& context) {
  if (tmpl.is_string()) return expand_string(tmpl.get<std::string>(), random, context);
  if (tmpl.is_object()) {
    if (tmpl.size() == 1 && tmpl.contains("$json")) {
      std::string text = expand_template(tmpl["$json"], random, context).dump();
      return context.json_escape_slash ? escape_slashes(text) : text;
    }
    if (tmpl.size() == 1 && tmpl.contains("$format")) {
      const json& choices = tmpl["$format"];
      if (!choices.is_object() || !choices.contains(context.format))
        throw Error("a {\"$format\": ...} object needs a template for \"" + context.format +
                    "\" (template)");
      return expand_template(choices[context.format], random, context);
    }
    json out = json::object();
    for (auto it = tmpl.begin(); it != tmpl.end(); ++it)
      out[it.key()] = expand_template(it.value(), random, context);
    return out;
  }
  if (tmpl.is_array()) {
    json out = json::array();
    for (const auto& v : tmpl)
      out.push_back(expand_template(v, random, context));
    return out;
  }
  return tmpl;
}

json expand_template(const json& tmpl, Random& random, std::int64_t now_ms, int seq) {
  TemplateContext context;
  context.now_ms = now_ms;
  context.seq = seq;
  context.batch = std::max(seq, 1);
  return expand_template(tmpl, random, context);
}

std::string vendor_json(const json& doc, const VendorProfile& vendor) {
  std::string text = doc.dump(vendor.json_indent);
  return vendor.json_escape_slash ? escape_slashes(text) : text;
}

std::string vendor_form(const json& doc, FormStyle style) {
  if (!doc.is_object()) throw Error("only a JSON object can be sent as a form (--format)");
  if (style == FormStyle::Percent) return percent_query(doc, "");
  // Rack::Utils.build_nested_query, as convert --to form --dialect rack writes it; what a form
  // cannot carry (an empty array, say) is written as Rack writes it, not refused.
  FormWriteOptions options;
  options.lossy = true;
  const std::string text = doc.dump(); // the tree's strings point into it
  const Tree tree = read_json(text, 1000);
  return write_form(*tree.root, Dialect::Rack, options);
}

void apply_set(json& doc, const std::string& path, const std::string& value) {
  if (path.empty())
    throw Error("empty path: use --set PATH=VALUE, e.g. fields.email=me@example.com (--set)");
  auto parts = split(path, '.');
  for (auto p : parts)
    if (p.empty()) throw Error("empty step in the path (--set " + path + ")");
  set_at(doc, parts, 0, path, value);
}

std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random,
                                   const TemplateContext& context) {
  std::vector<Header> out;
  for (const auto& [name, tmpl] : templates) {
    json value = expand_string(tmpl, random, context);
    out.push_back({name, value.is_string() ? value.get<std::string>() : value.dump()});
  }
  return out;
}

std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random,
                                   std::int64_t now_ms) {
  TemplateContext context;
  context.now_ms = now_ms;
  return expand_headers(templates, random, context);
}

Sample make_sample(const VendorProfile& vendor, const SampleOptions& options, Random& random) {
  Sample s;
  const VendorEvent* event =
      options.event.empty() ? &vendor.events.front() : vendor.find_event(options.event);
  if (!event)
    throw Error("unknown event '" + options.event + "' for " + vendor.name + ": one of " +
                vendor.event_names() + " (--event)");
  s.event = event->name;
  s.format = options.format.empty() ? vendor.formats.front().first : options.format;
  s.content_type = vendor.content_type(s.format);
  if (s.content_type.empty())
    throw Error(vendor.title + " sends " + vendor.format_names() + ", not " + options.format +
                " (--format)");
  if (options.batch < 1) throw Error("--batch needs a count of 1 or more (--batch)");
  TemplateContext context;
  context.now_ms = options.now_ms;
  context.utc_offset_minutes = vendor.utc_offset_minutes;
  context.format = s.format;
  context.event = s.event;
  context.json_escape_slash = vendor.json_escape_slash;
  if (vendor.batch) {
    s.json = json::array();
    const json& records = event->body;
    context.batch = options.batch;
    for (int i = 0; i < options.batch; ++i) {
      context.seq = i + 1;
      s.json.push_back(
          expand_template(records[static_cast<size_t>(i) % records.size()], random, context));
    }
  } else {
    if (options.batch > 1)
      throw Error(vendor.title + " sends one event per request, not batches (--batch)");
    s.json = expand_template(event->body, random, context);
  }
  for (const auto& [path, value] : options.sets)
    apply_set(s.json, path, value);
  // The vendor's headers, then the event's: an event's header replaces the vendor's of that name.
  context.seq = 1;
  context.batch = 1;
  auto event_has = [&](const std::string& name) {
    return std::any_of(event->headers.begin(), event->headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
  };
  for (auto& h : expand_headers(vendor.headers, random, context))
    if (!event_has(h.name)) s.headers.push_back(std::move(h));
  for (auto& h : expand_headers(event->headers, random, context))
    s.headers.push_back(std::move(h));
  s.body =
      s.format == "form" ? vendor_form(s.json, vendor.form_style) : vendor_json(s.json, vendor);
  return s;
}

} // namespace hooktool
