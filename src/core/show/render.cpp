// Rendering captured requests (see render.hpp).
#include "core/show/render.hpp"

#include "core/form/dialect.hpp"
#include "core/show/json_pretty.hpp"
#include "core/show/style.hpp"
#include "core/util/error.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include "core/util/bytes.hpp"
#include "core/util/url.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

namespace {

void append_escape(std::string& out, unsigned char c) {
  char escape[8];
  std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(c));
  out += escape;
}

// What a sender chose (the request line, headers, a text body) as it may reach a terminal: a
// control character (C0 but TAB, DEL, C1) or a byte that is not UTF-8 becomes \xNN, byte by byte,
// so that none of it is obeyed as a command (ESC]0;... retitles the window, a lone CR overwrites
// the line). With `lines`, LF and CR LF stay line breaks. The JSON output keeps the bytes.
std::string visible(std::string_view text, bool lines = false) {
  const auto plain = [lines](unsigned char c) {
    return (c >= 0x20 && c < 0x7f) || c == '\t' || (lines && c == '\n');
  };
  if (std::all_of(text.begin(), text.end(), plain)) return std::string(text); // the usual case
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t len = utf8_sequence(text, i);
      const bool c1 = len == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
      if (len == 0 || c1) {
        for (size_t j = 0; j < (c1 ? 2 : 1); ++j)
          append_escape(out, static_cast<unsigned char>(text[i + j]));
        i += c1 ? 2 : 1;
      } else {
        out.append(text, i, len);
        i += len;
      }
      continue;
    }
    const bool line_break =
        lines && (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n'));
    if ((c >= 0x20 && c != 0x7f) || c == '\t' || line_break)
      out += static_cast<char>(c);
    else
      append_escape(out, c);
    ++i;
  }
  return out;
}

// Rendered JSON keeps DEL and C1 controls inside its strings (JSON allows them raw): written as
// \u escapes instead, it stays the same JSON. Bytes that are not UTF-8 are U+FFFD by now.
std::string visible_json(std::string text) {
  if (text.find('\x7f') == std::string::npos && text.find('\xc2') == std::string::npos)
    return text; // the usual case
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0x7f || (c == 0xc2 && next >= 0x80 && next < 0xa0)) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c == 0x7f ? c : next));
      out += escape;
      if (c == 0xc2) ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool is_text(std::string_view body) {
  for (unsigned char c : body)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
  return is_utf8(body);
}

std::string media_type(std::string_view content_type) {
  return to_lower(trim(content_type.substr(0, content_type.find(';'))));
}

bool looks_like_json(std::string_view body) {
  auto t = trim(body);
  return !t.empty() && (t.front() == '{' || t.front() == '[');
}

// Rendering recurses: a body nested deeper than this is shown as text, so no body sent to the
// listener can exhaust a worker's stack.
constexpr int kMaxDepth = 256;

bool nesting_within_limit(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

// "a[b][]" -> {"a", "b", ""}; a key that does not fit the bracket grammar stays one flat name.
std::vector<std::string> split_form_key(const std::string& key) {
  const auto open = key.find('[');
  if (open == std::string::npos || open == 0) return {key};
  std::vector<std::string> parts{key.substr(0, open)};
  size_t i = open;
  while (i < key.size()) {
    if (key[i] != '[') return {key};
    const auto close = key.find(']', i);
    if (close == std::string::npos) return {key};
    if (parts.size() > kMaxDepth) return {key};
    parts.push_back(key.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return parts;
}

void insert_form_value(nlohmann::ordered_json& node, const std::vector<std::string>& parts,
                       size_t i, const std::string& value) {
  const std::string& part = parts[i];
  const bool last = i + 1 == parts.size();
  if (part.empty() && i > 0) {
    if (!node.is_array()) node = nlohmann::ordered_json::array();
    if (last) {
      node.push_back(value);
      return;
    }
    // a[][x]=1&a[][y]=2 fills one element; a repeated x starts the next.
    if (node.empty() || !node.back().is_object() || node.back().contains(parts[i + 1]))
      node.push_back(nlohmann::ordered_json::object());
    insert_form_value(node.back(), parts, i + 1, value);
    return;
  }
  if (!node.is_object()) node = nlohmann::ordered_json::object();
  if (last) {
    node[part] = value;
    return;
  }
  insert_form_value(node[part], parts, i + 1, value);
}

std::string size_text(size_t bytes) {
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::string string_field(const nlohmann::ordered_json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string event_in_object(const nlohmann::ordered_json& object) {
  for (const char* field : {"event_name", "event_type", "event", "type", "topic", "activityStatus"})
    if (auto value = string_field(object, field); !value.empty()) return value;
  return {};
}

std::string verdict_word(const RequestOutcome& outcome, const Style& style) {
  if (!outcome.verdict) return outcome.unchecked.empty() ? "" : style.warn("not checked");
  return outcome.verdict->valid ? style.good("valid") : style.bad("invalid");
}

std::string status_text(int status, const Style& style) {
  return style.status(std::to_string(status), status >= 200 && status < 300);
}

// A body's kind, and for JSON its rendering: parsed once however it is then shown.
struct InspectedBody {
  BodyKind kind = BodyKind::Empty;
  std::string json; // pretty-printed, for BodyKind::Json
};

InspectedBody inspect_body(std::string_view body, std::string_view content_type, bool color) {
  InspectedBody out;
  if (body.empty()) return out;
  const std::string type = media_type(content_type);
  out.kind = !is_text(body)                                ? BodyKind::Binary
             : type == "application/x-www-form-urlencoded" ? BodyKind::Form
                                                           : BodyKind::Text;
  const bool json_type = ends_with(type, "/json") || ends_with(type, "+json");
  if (out.kind == BodyKind::Text && (json_type || looks_like_json(body)) &&
      nesting_within_limit(body)) {
    auto pretty = pretty_json_bytes(body, color);
    if (!pretty) pretty = pretty_json_parsed(body, color);
    if (pretty) {
      out.kind = BodyKind::Json;
      out.json = visible_json(std::move(*pretty));
    }
  }
  return out;
}

// How many bytes of a text body fit `cut`: whole lines while they fit, never half a UTF-8
// character or half a CR LF.
std::size_t cut_point(std::string_view body, const TextCut& cut) {
  std::size_t end = cut.bytes > 0 ? std::min(body.size(), cut.bytes) : body.size();
  if (cut.lines > 0) {
    std::size_t lines = 0;
    for (std::size_t i = 0; i < end; ++i)
      if (body[i] == '\n' && ++lines == cut.lines) {
        end = i + 1;
        break;
      }
  }
  if (end == body.size()) return end;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xc0) == 0x80)
    --end;
  if (end > 0 && body[end - 1] == '\r' && body[end] == '\n') --end;
  return end;
}

std::string render_inspected(const InspectedBody& inspected, std::string_view body,
                             const Style& style, const TextCut& cut) {
  switch (inspected.kind) {
  case BodyKind::Empty: return {};
  case BodyKind::Json: return inspected.json + "\n";
  case BodyKind::Form: return pretty_json(form_tree(body), style.color) + "\n";
  case BodyKind::Text: {
    const std::size_t keep = cut_point(body, cut);
    std::string text = visible(body.substr(0, keep), true);
    if (text.empty() || text.back() != '\n') text += "\n";
    if (keep < body.size())
      text += style.dim("… " + size_text(body.size() - keep) + " more (--full)") + "\n";
    return text;
  }
  case BodyKind::Binary: return hex_dump(body);
  }
  return {};
}

} // namespace

std::string visible_text(std::string_view text, bool lines) { return visible(text, lines); }

nlohmann::ordered_json verdict_json(const VerifyResult& verdict, std::string_view scheme) {
  nlohmann::ordered_json v;
  v["valid"] = verdict.valid;
  v["scheme"] = scheme;
  if (!verdict.valid) v["reason"] = verdict.reason;
  v["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : verdict.findings)
    v["findings"].push_back({{"code", f.code}, {"message", f.message}});
  return v;
}

BodyKind classify_body(std::string_view body, std::string_view content_type) {
  return inspect_body(body, content_type, false).kind;
}

std::string_view body_kind_name(BodyKind kind) {
  switch (kind) {
  case BodyKind::Empty: return "empty";
  case BodyKind::Json: return "JSON";
  case BodyKind::Form: return "form";
  case BodyKind::Text: return "text";
  case BodyKind::Binary: return "binary";
  }
  return "binary";
}

nlohmann::ordered_json form_tree(std::string_view body) {
  // As Rails reads it (convert's Rack decoder, the dialect Wootric writes); what Rack refuses
  // (a bad %-escape, a type conflict, bytes that are not UTF-8) is still shown, read simply.
  try {
    return decode_form(body, Dialect::Rack);
  } catch (const Error&) {
  }
  nlohmann::ordered_json root = nlohmann::ordered_json::object();
  for (const auto& [key, value] : parse_form_pairs(body)) {
    auto parts = split_form_key(key);
    insert_form_value(root, parts, 0, value);
  }
  return root;
}

std::string render_body(std::string_view body, std::string_view content_type, bool color,
                        const TextCut& cut) {
  return render_inspected(inspect_body(body, content_type, color), body, Style{color}, cut);
}

std::string hex_dump(std::string_view bytes, std::size_t limit) {
  std::string out;
  const size_t shown = std::min(bytes.size(), limit);
  for (size_t row = 0; row < shown; row += 16) {
    char offset[24];
    std::snprintf(offset, sizeof offset, "%08zx ", row);
    out += offset;
    std::string ascii;
    for (size_t i = row; i < row + 16; ++i) {
      if (i == row + 8) out += " ";
      if (i < shown) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        char hex[4];
        std::snprintf(hex, sizeof hex, " %02x", c);
        out += hex;
        ascii.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
      } else {
        out += "   ";
      }
    }
    out += "  |" + ascii + "|\n";
  }
  if (bytes.size() > shown) out += "… " + size_text(bytes.size() - shown) + " more\n";
  return out;
}

std::string pretty_json(const nlohmann::ordered_json& value, bool color) {
  const auto replace = nlohmann::ordered_json::error_handler_t::replace;
  if (!color) return visible_json(value.dump(2, ' ', false, replace));
  const std::string compact = value.dump(-1, ' ', false, replace);
  return visible_json(pretty_json_parsed(compact, true).value_or(compact));
}

std::string describe_event(const CapturedRequest& request) {
  for (const char* name : {"X-GitHub-Event", "X-Shopify-Topic", "X-Event-Key"})
    if (const auto* value = request.header(name)) return *value;
  const std::string type = request.header("Content-Type") ? *request.header("Content-Type") : "";
  switch (classify_body(request.body, type)) {
  case BodyKind::Json: {
    const auto json = nlohmann::ordered_json::parse(request.body);
    const auto& first = json.is_array() && !json.empty() ? json.front() : json;
    return first.is_object() ? event_in_object(first) : std::string();
  }
  case BodyKind::Form: return event_in_object(form_tree(request.body));
  default: return {};
  }
}

std::string format_local_ms(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

std::string render_request_text(const CapturedRequest& request, const RequestOutcome& outcome,
                                bool color, const TextCut& cut) {
  const Style style{color};
  const std::string* content_type = request.header("Content-Type");
  const std::string type = content_type ? *content_type : "";
  std::string out =
      style.dim("── #" + std::to_string(outcome.seq) + "  " + format_local_ms(request.received_ms) +
                "  from " + visible(request.remote)) +
      "\n";
  out += style.bold(visible(request.method)) + " " + visible(request.target()) + " " +
         visible(request.http_version) + "\n";
  for (const auto& h : request.headers)
    out += style.name(visible(h.name)) + ": " + visible(h.value) + "\n";
  const std::string_view body = outcome.decoded_body ? *outcome.decoded_body : request.body;
  const InspectedBody inspected = inspect_body(body, type, color);
  const BodyKind kind = inspected.kind;
  std::string size = size_text(request.body.size());
  if (!outcome.decoding.empty())
    size += ", " + outcome.decoding +
            (outcome.decoded_body ? " → " + size_text(outcome.decoded_body->size()) : "");
  out += style.dim("── " + size +
                   (kind == BodyKind::Empty ? "" : ", " + std::string(body_kind_name(kind)))) +
         "\n";
  out += render_inspected(inspected, body, style, cut);
  if (outcome.verdict) {
    out += style.bold("verdict") + ": " + verdict_word(outcome, style);
    if (!outcome.verdict->valid) out += ": " + visible(outcome.verdict->reason);
    out += " (" + outcome.scheme + ")\n";
    for (const auto& f : outcome.verdict->findings)
      out += "  " + style.warn("hint") + ": " + visible(f.message) + "\n";
  } else if (!outcome.unchecked.empty()) {
    out += style.bold("verdict") + ": " + verdict_word(outcome, style) + ": " + outcome.unchecked +
           " (" + outcome.scheme + ")\n";
  }
  if (!outcome.event.empty()) out += style.bold("event") + ": " + visible(outcome.event) + "\n";
  if (outcome.forward) {
    const auto& f = *outcome.forward;
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1f ms", f.latency_ms);
    out += style.bold("forwarded") + " to " + visible(f.url) + ": ";
    out += f.status ? status_text(f.status, style) + " in " + latency + "\n"
                    : style.bad("no answer") + ": " + visible(f.error) + "\n";
    out += render_body(f.body, f.content_type, color, cut);
  }
  out += style.bold("answered") + " " + status_text(outcome.status, style) + "\n\n";
  return out;
}

std::string render_request_compact(const CapturedRequest& request, const RequestOutcome& outcome,
                                   bool color) {
  const Style style{color};
  std::string time = format_local_ms(request.received_ms);
  std::string out = style.dim(time.substr(time.find(' ') + 1)) + " " + visible(request.remote) +
                    " " + style.bold(visible(request.method)) + " " + visible(request.target()) +
                    " " + size_text(request.body.size()) + " -> " +
                    status_text(outcome.status, style);
  if (outcome.forward)
    out += " (app " +
           (outcome.forward->status ? std::to_string(outcome.forward->status) : "no answer") + ")";
  if (outcome.verdict || !outcome.unchecked.empty()) out += " " + verdict_word(outcome, style);
  if (!outcome.event.empty()) out += " " + visible(outcome.event);
  return out + "\n";
}

nlohmann::ordered_json render_request_json(const CapturedRequest& request,
                                           const RequestOutcome& outcome) {
  nlohmann::ordered_json out = capture_to_json(request);
  out["seq"] = outcome.seq;
  out["status"] = outcome.status;
  if (outcome.verdict)
    out["verdict"] = verdict_json(*outcome.verdict, outcome.scheme);
  else if (!outcome.unchecked.empty())
    out["verdict"] = {
        {"checked", false}, {"scheme", outcome.scheme}, {"reason", outcome.unchecked}};
  if (!outcome.event.empty()) out["event"] = outcome.event;
  if (outcome.forward) {
    const auto& f = *outcome.forward;
    nlohmann::ordered_json fw;
    fw["url"] = f.url;
    fw["status"] = f.status;
    fw["latency_ms"] = f.latency_ms;
    if (!f.error.empty()) fw["error"] = f.error;
    out["forward"] = std::move(fw);
  }
  return out;
}

} // namespace hooktool
