// Sample payloads from templates (see sample.hpp).
#include "core/vendor/sample.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

using json = nlohmann::ordered_json;

Random::Random(std::optional<std::uint64_t> seed)
    : m_engine(seed ? *seed : (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()) {}

std::uint64_t Random::next() { return m_engine(); }

std::uint64_t Random::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(m_engine);
}

namespace {

std::string random_chars(Random& random, const char* alphabet, size_t alphabet_size, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[random.below(alphabet_size)]);
  return out;
}

std::string uuid_v4(Random& random) {
  std::string bytes;
  for (int i = 0; i < 2; ++i) {
    std::uint64_t r = random.next();
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>((r >> (8 * b)) & 0xff));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  std::string hex = to_hex(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
         "-" + hex.substr(20);
}

std::string format_time(std::int64_t now_ms, std::string format) {
  const std::int64_t ms = ((now_ms % 1000) + 1000) % 1000;
  std::time_t seconds = static_cast<std::time_t>((now_ms - ms) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char ms_text[4];
  std::snprintf(ms_text, sizeof ms_text, "%03d", static_cast<int>(ms));
  for (size_t pos; (pos = format.find("%L")) != std::string::npos;) format.replace(pos, 2, ms_text);
  char out[256];
  size_t n = std::strftime(out, sizeof out, format.c_str(), &tm);
  return std::string(out, n);
}

// One placeholder's value; numeric ones come back as numbers.
json placeholder(std::string_view spec, Random& random, std::int64_t now_ms, int seq) {
  static const char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static const char kHex[] = "0123456789abcdef";
  auto colon = spec.find(':');
  std::string_view name = spec.substr(0, colon);
  std::string_view arg = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  auto count = [&]() -> size_t {
    auto n = parse_int(arg);
    if (!n || *n < 0 || *n > 4096) throw Error("{{" + std::string(spec) + "}} needs a length (template)");
    return static_cast<size_t>(*n);
  };
  if (name == "uuid") return uuid_v4(random);
  if (name == "seq") return seq;
  if (name == "now") {
    if (arg.empty()) return format_time(now_ms, "%Y-%m-%dT%H:%M:%S.%LZ");
    if (arg == "unix") return now_ms / 1000;
    if (arg == "unix_ms") return now_ms;
    return format_time(now_ms, std::string(arg));
  }
  if (name == "int") {
    auto parts = split(arg, ':');
    auto lo = parts.size() == 2 ? parse_int(parts[0]) : std::nullopt;
    auto hi = parts.size() == 2 ? parse_int(parts[1]) : std::nullopt;
    if (!lo || !hi || *hi < *lo) throw Error("{{" + std::string(spec) + "}} needs int:MIN:MAX (template)");
    return *lo + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(*hi - *lo) + 1));
  }
  if (name == "hex") return random_chars(random, kHex, 16, count());
  if (name == "alnum") return random_chars(random, kAlnum, 62, count());
  if (name == "digits") return random_chars(random, kAlnum, 10, count());
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

json expand_string(const std::string& text, Random& random, std::int64_t now_ms, int seq) {
  if (starts_with(text, "{{") && ends_with(text, "}}") && text.find("{{", 2) == std::string::npos)
    return placeholder(std::string_view(text).substr(2, text.size() - 4), random, now_ms, seq);
  std::string out;
  size_t pos = 0;
  while (true) {
    auto open = text.find("{{", pos);
    if (open == std::string::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    json value = placeholder(std::string_view(text).substr(open + 2, close - open - 2), random, now_ms, seq);
    out += value.is_string() ? value.get<std::string>() : value.dump();
    pos = close + 2;
  }
  out.append(text, pos);
  return out;
}

// Ruby's URI.encode_www_form_component, which Rack's build_nested_query uses.
std::string www_form_escape(std::string_view text) {
  static const char kHexUpper[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') out.push_back(static_cast<char>(c));
    else if (c == ' ') out.push_back('+');
    else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 15]);
    }
  }
  return out;
}

// Rack::Utils.build_nested_query, the encoder Wootric's form bodies come from.
std::string rack_nested_query(const json& value, const std::string& prefix) {
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) {
      std::string part = rack_nested_query(v, prefix + "[]");
      out += (out.empty() ? "" : "&") + part;
    }
    return out;
  }
  if (value.is_object()) {
    std::string out;
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string key = www_form_escape(it.key());
      std::string part = rack_nested_query(it.value(), prefix.empty() ? key : prefix + "[" + key + "]");
      if (!part.empty()) out += (out.empty() ? "" : "&") + part;
    }
    return out;
  }
  if (value.is_null()) return prefix;
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  return prefix + "=" + www_form_escape(text);
}

json typed_like(const json& old, const std::string& value) {
  if ((starts_with(value, "{") || starts_with(value, "[")) && json::accept(value)) return json::parse(value);
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
  for (auto it = obj.begin(); it != obj.end(); ++it) out += (out.empty() ? "" : ", ") + it.key();
  return out;
}

void set_at(json& node, const std::vector<std::string_view>& parts, size_t i, const std::string& path,
            const std::string& value) {
  const std::string here = std::string(parts[i]);
  const std::string where = "--set " + path;
  if (node.is_array()) {
    if (auto index = parse_int(here)) {
      if (*index < 0 || static_cast<size_t>(*index) >= node.size())
        throw Error("the sample's array has " + std::to_string(node.size()) + " element(s), no [" + here +
                    "] (" + where + ")");
      json& child = node[static_cast<size_t>(*index)];
      if (i + 1 == parts.size()) child = typed_like(child, value);
      else set_at(child, parts, i + 1, path, value);
      return;
    }
    for (auto& element : node) set_at(element, parts, i, path, value);  // every record of a batch
    return;
  }
  if (!node.is_object())
    throw Error("'" + here + "' is below a " + std::string(node.type_name()) + ", not an object (" + where + ")");
  if (i + 1 == parts.size()) {
    node[here] = node.contains(here) ? typed_like(node[here], value) : json(value);
    return;
  }
  if (!node.contains(here))
    throw Error("the sample has no '" + here + "' here; it has: " + keys_of(node) + " (" + where + ")");
  set_at(node[here], parts, i + 1, path, value);
}

}  // namespace

json expand_template(const json& tmpl, Random& random, std::int64_t now_ms, int seq) {
  if (tmpl.is_string()) return expand_string(tmpl.get<std::string>(), random, now_ms, seq);
  if (tmpl.is_object()) {
    if (tmpl.size() == 1 && tmpl.contains("$json")) return expand_template(tmpl["$json"], random, now_ms, seq).dump();
    json out = json::object();
    for (auto it = tmpl.begin(); it != tmpl.end(); ++it) out[it.key()] = expand_template(it.value(), random, now_ms, seq);
    return out;
  }
  if (tmpl.is_array()) {
    json out = json::array();
    for (const auto& v : tmpl) out.push_back(expand_template(v, random, now_ms, seq));
    return out;
  }
  return tmpl;
}

void apply_set(json& doc, const std::string& path, const std::string& value) {
  if (path.empty()) throw Error("empty path: use --set PATH=VALUE, e.g. fields.email=me@example.com (--set)");
  auto parts = split(path, '.');
  for (auto p : parts)
    if (p.empty()) throw Error("empty step in the path (--set " + path + ")");
  set_at(doc, parts, 0, path, value);
}

std::vector<Header> expand_headers(const HeaderTemplates& templates, Random& random, std::int64_t now_ms) {
  std::vector<Header> out;
  for (const auto& [name, tmpl] : templates) {
    json value = expand_string(tmpl, random, now_ms, 1);
    out.push_back({name, value.is_string() ? value.get<std::string>() : value.dump()});
  }
  return out;
}

Sample make_sample(const VendorProfile& vendor, const SampleOptions& options, Random& random) {
  Sample s;
  const VendorEvent* event = options.event.empty() ? &vendor.events.front() : vendor.find_event(options.event);
  if (!event)
    throw Error("unknown event '" + options.event + "' for " + vendor.name + ": one of " + vendor.event_names() +
                " (--event)");
  s.event = event->name;
  s.format = options.format.empty() ? vendor.formats.front().first : options.format;
  s.content_type = vendor.content_type(s.format);
  if (s.content_type.empty())
    throw Error(vendor.title + " sends " + vendor.format_names() + ", not " + options.format + " (--format)");
  if (options.batch < 1) throw Error("--batch needs a count of 1 or more (--batch)");
  if (vendor.batch) {
    s.json = json::array();
    const json& records = event->body;
    for (int i = 0; i < options.batch; ++i)
      s.json.push_back(expand_template(records[static_cast<size_t>(i) % records.size()], random, options.now_ms, i + 1));
  } else {
    if (options.batch > 1)
      throw Error(vendor.title + " sends one event per request, not batches (--batch)");
    s.json = expand_template(event->body, random, options.now_ms, 1);
  }
  for (const auto& [path, value] : options.sets) apply_set(s.json, path, value);
  // The vendor's headers, then the event's: an event's header replaces the vendor's of that name.
  auto event_has = [&](const std::string& name) {
    return std::any_of(event->headers.begin(), event->headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
  };
  for (auto& h : expand_headers(vendor.headers, random, options.now_ms))
    if (!event_has(h.name)) s.headers.push_back(std::move(h));
  for (auto& h : expand_headers(event->headers, random, options.now_ms)) s.headers.push_back(std::move(h));
  if (s.format == "form") {
    if (!s.json.is_object()) throw Error("only a JSON object can be sent as a form (--format)");
    s.body = rack_nested_query(s.json, "");
  } else {
    s.body = s.json.dump(vendor.json_indent);
  }
  return s;
}

}  // namespace hooktool
