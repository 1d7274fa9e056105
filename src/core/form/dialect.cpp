// The form dialects' shared parts (see form_dialect.hpp and form_detail.hpp): names,
// percent-decoding the three ways, deferred UTF-8 errors, --types, and the entry points.
#include "core/form/dialect.hpp"

#include <algorithm>

#include "core/form/detail.hpp"
#include "core/form/json_reader.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

using namespace form_detail;

std::optional<Dialect> parse_dialect(std::string_view name) {
  if (name == "rack") return Dialect::Rack;
  if (name == "qs") return Dialect::Qs;
  if (name == "php") return Dialect::Php;
  return std::nullopt;
}

const char* dialect_name(Dialect dialect) {
  switch (dialect) {
  case Dialect::Rack: return "rack";
  case Dialect::Qs: return "qs";
  case Dialect::Php: return "php";
  }
  return "?";
}

const std::vector<Dialect>& all_dialects() {
  static const std::vector<Dialect> all = {Dialect::Rack, Dialect::Qs, Dialect::Php};
  return all;
}

std::optional<ArrayStyle> parse_array_style(std::string_view name) {
  if (name == "brackets") return ArrayStyle::Brackets;
  if (name == "indices") return ArrayStyle::Indices;
  if (name == "repeat") return ArrayStyle::Repeat;
  return std::nullopt;
}

namespace form_detail {

std::string printable(std::string_view text, size_t max) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t i = 0;
  for (; i < text.size() && out.size() < max; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (i < text.size()) {
    // Do not cut a UTF-8 sequence in two.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
      out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "…";
  }
  return out;
}

void fail_at_byte(const std::string& what, size_t offset) {
  throw Error(what + " (byte " + std::to_string(offset) + ")");
}

void ReadContext::check_depth(int depth, size_t offset) const {
  if (depth > opts.max_depth)
    fail_at_byte("nesting deeper than --max-depth " + std::to_string(opts.max_depth), offset);
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool escape_at(std::string_view raw, size_t i) {
  return i + 2 < raw.size() && hex_digit(raw[i + 1]) >= 0 && hex_digit(raw[i + 2]) >= 0;
}

// Decodes '+' and the well-formed %XX of raw into the tree's arena; sets high when an escape
// produced a byte >= 0x80 (the only way the result can stop being UTF-8).
std::string_view decode_into(Tree& tree, std::string_view raw, bool* high) {
  char* start = tree.reserve(raw.size());
  char* w = start;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '+') {
      *w++ = ' ';
    } else if (c == '%' && escape_at(raw, i)) {
      auto byte = static_cast<unsigned char>(hex_digit(raw[i + 1]) * 16 + hex_digit(raw[i + 2]));
      if (byte >= 0x80) *high = true;
      *w++ = static_cast<char>(byte);
      i += 2;
    } else {
      *w++ = c;
    }
  }
  return tree.commit(start, static_cast<size_t>(w - start));
}

bool needs_decoding(std::string_view raw) {
  for (char c : raw)
    if (c == '%' || c == '+') return true;
  return false;
}

} // namespace

void ReadContext::remember_if_invalid(std::string_view decoded, std::string_view raw,
                                      size_t offset) {
  if (find_invalid_utf8(decoded) == std::string_view::npos) return;
  m_origins.emplace(decoded.data(), Origin{decoded.size(), raw, offset, 0});
}

std::string_view ReadContext::rack_unescape(std::string_view raw, size_t offset) {
  for (size_t i = raw.find('%'); i != std::string_view::npos; i = raw.find('%', i + 1)) {
    if (!escape_at(raw, i))
      fail_at_byte("invalid %-encoding (" + printable(raw, 200) + ")", offset + i);
  }
  if (!needs_decoding(raw)) return raw;
  bool high = false;
  auto decoded = decode_into(tree, raw, &high);
  if (high) remember_if_invalid(decoded, raw, offset);
  return decoded;
}

std::string_view ReadContext::php_unescape(std::string_view raw, size_t offset) {
  if (!needs_decoding(raw)) return raw;
  bool high = false;
  auto decoded = decode_into(tree, raw, &high);
  if (high) remember_if_invalid(decoded, raw, offset);
  return decoded;
}

std::string_view ReadContext::qs_unescape(std::string_view raw) {
  if (!needs_decoding(raw)) return raw;
  bool malformed = false;
  for (size_t i = raw.find('%'); i != std::string_view::npos; i = raw.find('%', i + 1))
    if (!escape_at(raw, i)) malformed = true;
  bool high = false;
  if (!malformed) {
    auto decoded = decode_into(tree, raw, &high);
    if (!high || find_invalid_utf8(decoded) == std::string_view::npos) return decoded;
  }
  // decodeURIComponent threw: qs keeps the text, with only '+' made a space.
  if (raw.find('+') == std::string_view::npos) return raw;
  char* start = tree.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i)
    start[i] = raw[i] == '+' ? ' ' : raw[i];
  return tree.commit(start, raw.size());
}

std::string_view ReadContext::derive(std::string_view from, std::string_view bytes) {
  if (from.substr(0, bytes.size()) == bytes) return from.substr(0, bytes.size());
  auto copy = tree.store(bytes);
  if (m_origins.empty() || copy.empty()) return copy;
  auto it = m_origins.upper_bound(from.data());
  if (it == m_origins.begin()) return copy;
  --it;
  const auto& origin = it->second;
  size_t pos = static_cast<size_t>(from.data() - it->first);
  if (pos >= origin.length) return copy;
  if (find_invalid_utf8(copy) != std::string_view::npos)
    m_origins.emplace(copy.data(),
                      Origin{copy.size(), origin.raw, origin.raw_offset, origin.base + pos});
  return copy;
}

void ReadContext::check_result_utf8(const Node& root) const {
  if (m_origins.empty()) return;
  auto check = [&](std::string_view text) {
    auto it = m_origins.upper_bound(text.data());
    if (it == m_origins.begin()) return;
    --it;
    const auto& origin = it->second;
    size_t pos = static_cast<size_t>(text.data() - it->first);
    if (pos >= origin.length) return;
    size_t bad = find_invalid_utf8(text);
    if (bad == std::string_view::npos) return;
    // Walk the raw text to the byte whose decoding is at position base + pos + bad.
    size_t target = origin.base + pos + bad, decoded = 0, i = 0;
    while (i < origin.raw.size() && decoded < target) {
      i += origin.raw[i] == '%' && escape_at(origin.raw, i) ? 3 : 1;
      ++decoded;
    }
    fail_at_byte("invalid UTF-8 after percent-decoding", origin.raw_offset + i);
  };
  std::vector<const Node*> stack = {&root};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->kind == Kind::String) check(node->text);
    // Members in reverse so that the first in document order is checked first.
    for (auto it = node->members.rbegin(); it != node->members.rend(); ++it) {
      if (!it->value) continue;
      stack.push_back(it->value);
    }
    for (const auto& m : node->members)
      if (node->kind == Kind::Object) check(m.key);
  }
}

bool is_js_index(std::string_view key, std::uint32_t* value) {
  if (key.empty() || key.size() > 10) return false;
  if (key[0] == '0' && key.size() > 1) return false;
  std::uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v >= 4294967295ULL) return false;
  if (value) *value = static_cast<std::uint32_t>(v);
  return true;
}

bool is_php_int_key(std::string_view key, std::int64_t* value) {
  // ZEND_HANDLE_NUMERIC_STR: optional '-', no leading zero (except "0" itself), fits zend_long.
  if (key.empty()) return false;
  size_t i = key[0] == '-' ? 1 : 0;
  if (i >= key.size() || key.size() - i > 19) return false;
  if (key[i] == '0' && key.size() > 1) return false; // also rejects "-0"
  std::uint64_t v = 0;
  for (size_t j = i; j < key.size(); ++j) {
    if (key[j] < '0' || key[j] > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(key[j] - '0');
  }
  const std::uint64_t limit = i ? 9223372036854775808ULL : 9223372036854775807ULL;
  if (v > limit) return false;
  if (value) *value = i ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

void sort_js_keys(Node& object) {
  bool any = false;
  for (const auto& m : object.members)
    if (is_js_index(m.key)) any = true;
  if (!any) return;
  std::stable_partition(object.members.begin(), object.members.end(),
                        [](const Member& m) { return is_js_index(m.key); });
  auto end = std::find_if(object.members.begin(), object.members.end(),
                          [](const Member& m) { return !is_js_index(m.key); });
  std::stable_sort(object.members.begin(), end, [](const Member& a, const Member& b) {
    std::uint32_t x = 0, y = 0;
    is_js_index(a.key, &x);
    is_js_index(b.key, &y);
    return x < y;
  });
  object.reindex();
}

} // namespace form_detail

void apply_types(Node& node) {
  if (node.kind == Kind::String) {
    if (node.text == "true") {
      node.reset(Kind::True);
    } else if (node.text == "false") {
      node.reset(Kind::False);
    } else if (node.text == "null") {
      node.reset(Kind::Null);
    } else if (is_json_number(node.text)) {
      node.kind = Kind::Number;
    }
    return;
  }
  for (auto& m : node.members)
    if (m.value) apply_types(*m.value);
}

namespace {

// The first name whose brackets (written or %-escaped) do not pair up: none of the dialects
// rejects one, each reads it its own way, so it is worth a note.
void note_unbalanced(std::string_view body, std::vector<std::string>* notes) {
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find('&', at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view name = body.substr(at, end - at);
    name = name.substr(0, name.find('='));
    int depth = 0;
    bool bad = false;
    for (size_t i = 0; i < name.size() && !bad; ++i) {
      char c = name[i];
      if (c == '%' && i + 2 < name.size() && name[i + 1] == '5') {
        char x = name[i + 2];
        c = x == 'B' || x == 'b' ? '[' : x == 'D' || x == 'd' ? ']' : c;
      }
      if (c == '[') bad = depth++ > 0;
      if (c == ']') bad = depth-- == 0;
    }
    if (bad || depth != 0) {
      notes->push_back("unbalanced brackets in '" + printable(name) + "' (byte " +
                       std::to_string(at) +
                       "): each dialect reads that its own way (try --dialect all)");
      return;
    }
    at = end + 1;
  }
}

} // namespace

Tree read_form(std::string_view body, Dialect dialect, const FormReadOptions& opts,
               std::vector<std::string>* notes) {
  size_t bad = find_invalid_utf8(body);
  if (bad != std::string_view::npos) fail_at_byte("invalid UTF-8", bad);
  Tree tree;
  ReadContext ctx(body, tree, opts, notes);
  switch (dialect) {
  case Dialect::Rack: tree.root = read_rack(ctx); break;
  case Dialect::Qs: tree.root = read_qs(ctx); break;
  case Dialect::Php: tree.root = read_php(ctx); break;
  }
  ctx.check_result_utf8(*tree.root);
  if (opts.types) apply_types(*tree.root);
  if (notes) note_unbalanced(body, notes);
  return tree;
}

nlohmann::ordered_json decode_form(std::string_view body, Dialect dialect) {
  Tree tree = read_form(body, dialect, FormReadOptions{});
  return to_ordered_json(*tree.root);
}

} // namespace hooktool
