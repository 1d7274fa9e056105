// The record format (see capture.hpp).
#include "core/show/capture.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

const std::string* CapturedRequest::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

std::string CapturedRequest::target() const {
  return query.empty() && !empty_query ? path : path + "?" + query;
}

std::string signed_url(const CapturedRequest& request) {
  const std::string* host = request.header("Host");
  if (!host) return {};
  return (request.tls ? "https://" : "http://") + *host + request.target();
}

std::string format_utc_ms(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  int ms = static_cast<int>(unix_ms % 1000);
  if (ms < 0) {
    ms += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::optional<std::int64_t> parse_utc_ms(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0, used = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &used) != 6)
    return std::nullopt;
  std::string_view rest = text.substr(static_cast<size_t>(used));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 3) ms = ms * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits)
      ms *= 10;
  }
  if (rest != "Z") return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + ms;
}

namespace {

// The JSON text of a field a sender chose, and whether its exact bytes need a companion.
struct Text {
  bool exact;        // valid UTF-8: the text is the bytes
  std::string shown; // the bytes, escaped where they are not UTF-8
};
Text text_of(const std::string& bytes) {
  if (is_utf8(bytes)) return {true, {}};
  return {false, escape_invalid_utf8(bytes)};
}

void put_text(nlohmann::ordered_json& out, const std::string& name, const std::string& bytes) {
  const Text t = text_of(bytes);
  out[name] = t.exact ? bytes : t.shown;
  if (!t.exact) out[name + "_bytes"] = base64_encode(bytes);
}

void append_text(std::string& line, const char* name, const std::string& bytes) {
  const Text t = text_of(bytes);
  line += ",\"";
  line += name;
  line += "\":";
  append_json_string(line, t.exact ? bytes : t.shown);
  if (t.exact) return;
  line += ",\"";
  line += name;
  line += "_bytes\":\"" + base64_encode(bytes) + '"';
}

bool header_exact(const Header& h) { return is_utf8(h.name) && is_utf8(h.value); }

} // namespace

nlohmann::ordered_json capture_to_json(const CapturedRequest& request) {
  nlohmann::ordered_json out;
  out["received"] = format_utc_ms(request.received_ms);
  out["remote"] = request.remote;
  put_text(out, "method", request.method);
  put_text(out, "path", request.path);
  put_text(out, "query", request.query);
  if (request.empty_query && request.query.empty()) out["empty_query"] = true;
  put_text(out, "http_version", request.http_version);
  if (request.tls) out["tls"] = true;
  auto headers = nlohmann::ordered_json::array();
  auto exact = nlohmann::ordered_json::array();
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const Header& h = request.headers[i];
    if (header_exact(h)) {
      headers.push_back({h.name, h.value});
    } else {
      headers.push_back({escape_invalid_utf8(h.name), escape_invalid_utf8(h.value)});
      exact.push_back({i, base64_encode(h.name), base64_encode(h.value)});
    }
  }
  out["headers"] = std::move(headers);
  if (!exact.empty()) out["headers_bytes"] = std::move(exact);
  const bool text = is_utf8(request.body);
  out["body"] = text ? request.body : base64_encode(request.body);
  out["body_base64"] = !text;
  return out;
}

std::string capture_to_line(const CapturedRequest& request) {
  // Written directly rather than through a JSON tree: the listener writes one per request. The
  // same fields, in the same order, as capture_to_json.
  const bool text = is_utf8(request.body);
  std::string line;
  line.reserve(request.body.size() * (text ? 1 : 2) + 256 + request.headers.size() * 64);
  line += "{\"received\":";
  append_json_string(line, format_utc_ms(request.received_ms));
  line += ",\"remote\":";
  append_json_string(line, request.remote);
  append_text(line, "method", request.method);
  append_text(line, "path", request.path);
  append_text(line, "query", request.query);
  if (request.empty_query && request.query.empty()) line += ",\"empty_query\":true";
  append_text(line, "http_version", request.http_version);
  if (request.tls) line += ",\"tls\":true";
  line += ",\"headers\":[";
  bool all_exact = true;
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const Header& h = request.headers[i];
    const bool exact = header_exact(h);
    all_exact = all_exact && exact;
    line += i ? ",[" : "[";
    append_json_string(line, exact ? h.name : escape_invalid_utf8(h.name));
    line += ',';
    append_json_string(line, exact ? h.value : escape_invalid_utf8(h.value));
    line += ']';
  }
  line += ']';
  if (!all_exact) {
    line += ",\"headers_bytes\":[";
    bool first = true;
    for (size_t i = 0; i < request.headers.size(); ++i) {
      const Header& h = request.headers[i];
      if (header_exact(h)) continue;
      line += first ? "[" : ",[";
      first = false;
      line += std::to_string(i) + ",\"" + base64_encode(h.name) + "\",\"" + base64_encode(h.value) +
              "\"]";
    }
    line += ']';
  }
  line += ",\"body\":";
  append_json_string(line, text ? std::string_view(request.body) : base64_encode(request.body));
  line += text ? ",\"body_base64\":false}\n" : ",\"body_base64\":true}\n";
  return line;
}

namespace {

std::string string_field(const nlohmann::json& record, const char* name, bool required,
                         const std::string& where) {
  auto it = record.find(name);
  if (it == record.end() || it->is_null()) {
    if (required)
      throw Error(std::string("the record has no \"") + name + "\" field (" + where + ")");
    return {};
  }
  if (!it->is_string())
    throw Error(std::string("the record's \"") + name + "\" is not a string (" + where + ")");
  return it->get<std::string>();
}

// The bytes a record gives for a field of text: base64 in `companion` when the record has it,
// which, escaped, must be the text (else the record was edited, and which of the two is meant is
// not known), or else the text itself.
std::string exact_bytes(const nlohmann::json* companion, std::string text, const std::string& field,
                        const std::string& text_name, const std::string& where) {
  if (!companion || companion->is_null()) return text;
  if (!companion->is_string())
    throw Error("the record's " + field + " is not a base64 string (" + where + ")");
  auto bytes = base64_decode(companion->get<std::string>());
  if (!bytes) throw Error("the record's " + field + " is not base64 (" + where + ")");
  if (escape_invalid_utf8(*bytes) != text)
    throw Error("the record's " + field + " are not the bytes of " + text_name +
                " (edited by hand? change both, or drop the bytes) (" + where + ")");
  return std::move(*bytes);
}

std::string text_field(const nlohmann::json& record, const std::string& name, bool required,
                       const std::string& where) {
  std::string text = string_field(record, name.c_str(), required, where);
  const auto it = record.find(name + "_bytes");
  return exact_bytes(it == record.end() ? nullptr : &*it, std::move(text), "\"" + name + "_bytes\"",
                     "its \"" + name + "\"", where);
}

// "headers_bytes": [index, name as base64, value as base64] for each header that is not UTF-8.
void read_header_bytes(const nlohmann::json& record, std::vector<Header>& headers,
                       const std::string& where) {
  const auto it = record.find("headers_bytes");
  if (it == record.end() || it->is_null()) return;
  const std::string bad = "the record's \"headers_bytes\" is not an array of [index, name as "
                          "base64, value as base64] (" +
                          where + ")";
  if (!it->is_array()) throw Error(bad);
  for (const auto& entry : *it) {
    if (!entry.is_array() || entry.size() != 3 || !entry[0].is_number_unsigned()) throw Error(bad);
    const auto index = entry[0].get<std::uint64_t>();
    if (index >= headers.size())
      throw Error("the record's \"headers_bytes\" names header " + std::to_string(index) +
                  ", but \"headers\" has " + std::to_string(headers.size()) + " (" + where + ")");
    Header& h = headers[static_cast<size_t>(index)];
    const std::string field = "\"headers_bytes\" for header " + std::to_string(index);
    h.name = exact_bytes(&entry[1], h.name, field, "its name", where);
    h.value = exact_bytes(&entry[2], h.value, field, "its value", where);
  }
}

} // namespace

CapturedRequest capture_from_json(const nlohmann::json& record, const std::string& where) {
  if (!record.is_object()) throw Error("a record is a JSON object (" + where + ")");
  CapturedRequest request;
  const std::string received = string_field(record, "received", false, where);
  if (!received.empty()) {
    auto ms = parse_utc_ms(received);
    if (!ms)
      throw Error("the record's \"received\" is not a UTC time like 2026-11-25T10:30:00.123Z (" +
                  where + ")");
    request.received_ms = *ms;
  }
  request.remote = string_field(record, "remote", false, where);
  request.method = text_field(record, "method", true, where);
  request.path = text_field(record, "path", true, where);
  request.query = text_field(record, "query", false, where);
  if (auto it = record.find("empty_query"); it != record.end() && !it->is_null()) {
    if (!it->is_boolean())
      throw Error("the record's \"empty_query\" is not true or false (" + where + ")");
    request.empty_query = it->get<bool>() && request.query.empty();
  }
  request.http_version = text_field(record, "http_version", false, where);
  if (auto it = record.find("tls"); it != record.end() && !it->is_null()) {
    if (!it->is_boolean()) throw Error("the record's \"tls\" is not true or false (" + where + ")");
    request.tls = it->get<bool>();
  }
  if (auto it = record.find("headers"); it != record.end()) {
    if (!it->is_array())
      throw Error("the record's \"headers\" is not an array of pairs (" + where + ")");
    for (const auto& pair : *it) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        throw Error("a header of the record is not a [name, value] pair of strings (" + where +
                    ")");
      request.headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  }
  read_header_bytes(record, request.headers, where);
  request.body = string_field(record, "body", false, where);
  if (auto it = record.find("body_base64"); it != record.end() && !it->is_null()) {
    if (!it->is_boolean())
      throw Error("the record's \"body_base64\" is not true or false (" + where + ")");
    if (it->get<bool>()) {
      auto bytes = base64_decode(request.body);
      if (!bytes) throw Error("the record's body is flagged base64 but is not (" + where + ")");
      request.body = std::move(*bytes);
    }
  }
  return request;
}

CapturedRequest capture_from_line(std::string_view line, const std::string& where) {
  auto record = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (record.is_discarded()) throw Error("not a JSON record (" + where + ")");
  return capture_from_json(record, where);
}

RecordFile read_record_file(const std::string& path, bool strict, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read record file " + path + " (" + flag + ")");
  RecordFile file;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    const std::string where = path + ":" + std::to_string(number);
    try {
      file.requests.push_back(capture_from_line(line, where));
    } catch (const Error& e) {
      // getline at the end of the file without a newline: a line written only in part.
      const bool torn = in.eof();
      std::string why = e.what(); // "not a JSON record (FILE:N)": the place is said once, below
      if (const auto at = why.rfind(" ("); at != std::string::npos && ends_with(why, ")"))
        why.resize(at);
      if (strict)
        throw Error(std::string(torn ? "the last line is cut off: " : "") + why + " (" + where +
                    ", " + flag + " --strict)");
      file.warnings.push_back(torn ? "skipped the last line, cut off: " + why + " (" + where +
                                         "; a crash while it was written?)"
                                   : "skipped a line that is not a record: " + why + " (" + where +
                                         ")");
    }
  }
  if (file.requests.empty() && !file.warnings.empty()) // say which line, and where it is
    throw Error("record file " + path + " holds no request: " + file.warnings.front());
  if (file.requests.empty())
    throw Error("record file " + path + " holds no request (" + flag + ")");
  return file;
}

} // namespace hooktool
