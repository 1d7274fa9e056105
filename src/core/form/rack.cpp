// Rack 2.2: Rack::QueryParser#parse_nested_query and Rack::Utils.build_nested_query, ported rule
// for rule (including what happens to odd names like "a[", "a[]]" or "[]"), as Rails and Sinatra
// read and Wootric writes form bodies.
#include <string>

#include "core/form/detail.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

namespace hooktool::form_detail {

namespace {

constexpr size_t kBytesizeLimit = 4194304;
constexpr size_t kParamsLimit = 4096;
constexpr std::int64_t kKeySpaceLimit = 65536;
constexpr int kParamDepthLimit = 100;

bool is_bracket(char c) { return c == '[' || c == ']'; }

size_t char_count(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// after =~ /^\[\]\[([^\[\]]+)\]$/ || after =~ /^\[\](.+)$/ (Ruby: ^ and $ are line anchors).
bool rack_child_key(std::string_view after, std::string_view* child) {
  const size_t n = after.size();
  for (size_t s = 0; s < n;
       s = after.find('\n', s) == std::string_view::npos ? n : after.find('\n', s) + 1) {
    if (after.substr(s, 3) != "[][") continue;
    size_t m = s + 3;
    while (m < n && !is_bracket(after[m]))
      ++m;
    if (m > s + 3 && m < n && after[m] == ']' && (m + 1 == n || after[m + 1] == '\n')) {
      *child = after.substr(s + 3, m - s - 3);
      return true;
    }
  }
  for (size_t s = 0; s < n;
       s = after.find('\n', s) == std::string_view::npos ? n : after.find('\n', s) + 1) {
    if (after.substr(s, 2) != "[]" || s + 2 >= n || after[s + 2] == '\n') continue;
    size_t m = after.find('\n', s + 2);
    if (m == std::string_view::npos) m = n;
    *child = after.substr(s + 2, m - s - 2);
    return true;
  }
  return false;
}

class RackReader {
public:
  explicit RackReader(ReadContext& ctx) : m_ctx(ctx) {}

  Node* read() {
    std::string_view body = m_ctx.body;
    if (body.size() > kBytesizeLimit)
      m_ctx.note("Rack refuses a body over " + std::to_string(kBytesizeLimit) +
                 " bytes by default (RACK_QUERY_PARSER_BYTESIZE_LIMIT); this one has " +
                 std::to_string(body.size()));
    size_t separators = 0;
    for (char c : body)
      if (c == '&' || c == ';') ++separators;
    if (separators >= kParamsLimit)
      m_ctx.note("Rack refuses more than " + std::to_string(kParamsLimit) +
                 " parameters by default (RACK_QUERY_PARSER_PARAMS_LIMIT); this body has " +
                 std::to_string(separators + 1));
    Node* params = m_ctx.tree.make(Kind::Object);
    // split(/[&;] */n): a separator swallows the spaces after it; empty pieces set nothing.
    size_t at = 0;
    while (at <= body.size()) {
      size_t sep = at;
      while (sep < body.size() && body[sep] != '&' && body[sep] != ';')
        ++sep;
      std::string_view piece = body.substr(at, sep - at);
      if (!piece.empty()) parameter(params, piece, at);
      at = sep + 1;
      while (at < body.size() && body[at] == ' ')
        ++at;
    }
    return params;
  }

private:
  void parameter(Node* params, std::string_view piece, size_t offset) {
    m_offset = offset;
    size_t eq = piece.find('=');
    std::string_view raw_name = piece.substr(0, eq);
    std::string_view name = m_ctx.rack_unescape(raw_name, offset);
    // Ruby's regexps raise on a name that is not UTF-8.
    if (name.data() != raw_name.data() && find_invalid_utf8(name) != std::string_view::npos)
      fail_at_byte("invalid byte sequence in UTF-8 in a decoded name", offset);
    Node* value;
    if (eq == std::string_view::npos) {
      value = nullptr;
    } else {
      value = m_ctx.tree.make_string(m_ctx.rack_unescape(piece.substr(eq + 1), offset + eq + 1));
    }
    m_value = value;
    normalize(params, name, kParamDepthLimit, 1);
  }

  Node* value_node() { return m_value ? m_value : m_ctx.tree.make(Kind::Null); }

  const char* class_name(const Node* node) {
    switch (node->kind) {
    case Kind::Object: return "Rack::QueryParser::Params";
    case Kind::Array: return "Array";
    case Kind::String: return "String";
    default: return "NilClass";
    }
  }

  // params[key] = value, counting the key space the way Rack::QueryParser::Params does.
  void assign(Node* params, std::string_view key, Node* value) {
    if (!params->find_or_append(key, value)) {
      params->aux += static_cast<std::int64_t>(char_count(key));
      if (params->aux > kKeySpaceLimit && !m_noted_key_space) {
        m_noted_key_space = true;
        m_ctx.note("Rack refuses keys over " + std::to_string(kKeySpaceLimit) +
                   " characters in one hash by default (key_space_limit): \"exceeded available "
                   "parameter key space\"");
      }
    } else {
      params->set(key, value);
    }
  }

  // params[k] ||= [] (or a new hash); nil counts as absent.
  Node* fetch(Node* params, std::string_view k, Kind kind, int depth) {
    Node* cur = params->find(k);
    if (!cur || cur->kind == Kind::Null) {
      m_ctx.check_depth(depth, m_offset);
      cur = m_ctx.tree.make(kind);
      assign(params, k, cur);
    }
    if (cur->kind != kind)
      fail_at_byte(std::string("expected ") + (kind == Kind::Array ? "Array" : "Hash") + " (got " +
                       class_name(cur) + ") for param `" + printable(k, 200) + "'",
                   m_offset);
    return cur;
  }

  // Returns params, or nullptr for Ruby's nil, or a new array [v] (what "[]" makes of v).
  Node* normalize(Node* params, std::string_view name, int rack_depth, int depth) {
    if (rack_depth <= 0)
      fail_at_byte("parameters nested deeper than Rack's param_depth_limit (" +
                       std::to_string(kParamDepthLimit) + ")",
                   m_offset);
    RackName split = rack_split_name(name);
    if (!split.matched) {
      if (m_value && name == "[]") {
        Node* array = m_ctx.tree.make(Kind::Array);
        array->members.push_back({{}, m_value});
        return array;
      }
      return nullptr;
    }
    std::string_view k = split.key, after = split.after, child;
    if (after.empty()) {
      assign(params, k, value_node());
    } else if (after == "[") {
      assign(params, name, value_node());
    } else if (after == "[]") {
      fetch(params, k, Kind::Array, depth + 1)->members.push_back({{}, value_node()});
    } else if (rack_child_key(after, &child)) {
      Node* array = fetch(params, k, Kind::Array, depth + 1);
      Node* last = array->members.empty() ? nullptr : array->members.back().value;
      if (last && last->kind == Kind::Object && !has_key(last, child)) {
        normalize(last, child, rack_depth - 1, depth + 2);
      } else {
        m_ctx.check_depth(depth + 2, m_offset);
        Node* made = normalize(m_ctx.tree.make(Kind::Object), child, rack_depth - 1, depth + 2);
        array->members.push_back({{}, made ? made : m_ctx.tree.make(Kind::Null)});
      }
    } else {
      Node* hash = fetch(params, k, Kind::Object, depth + 1);
      Node* made = normalize(hash, after, rack_depth - 1, depth + 1);
      if (made != hash) assign(params, k, made ? made : m_ctx.tree.make(Kind::Null));
    }
    return params;
  }

  // params_hash_has_key?: false for keys with "[]"; else walks the bracket-separated parts.
  static bool has_key(const Node* hash, std::string_view key) {
    if (key.find("[]") != std::string_view::npos) return false;
    const Node* h = hash;
    size_t i = 0;
    while (i < key.size()) {
      while (i < key.size() && is_bracket(key[i]))
        ++i;
      if (i >= key.size()) break;
      size_t start = i;
      while (i < key.size() && !is_bracket(key[i]))
        ++i;
      if (!h || h->kind != Kind::Object) return false;
      h = h->find(key.substr(start, i - start));
      if (!h) return false;
    }
    return true;
  }

  ReadContext& m_ctx;
  Node* m_value = nullptr;
  size_t m_offset = 0;
  bool m_noted_key_space = false;
};

// build_nested_query: arrays join every element's text with '&' (empty ones too), hashes only the
// non-empty ones; nil is the bare name. Returns whether it wrote anything.
bool write_value(const Node& value, bool has_prefix, WriteContext& ctx) {
  const size_t start = ctx.out.size();
  switch (value.kind) {
  case Kind::Array: {
    bool first = true;
    for (const auto& m : value.members) {
      if (!first) ctx.out += ctx.separator();
      first = false;
      const size_t mark = ctx.prefix.size();
      append_array_key(ctx.prefix, static_cast<size_t>(&m - value.members.data()), ctx.opts.arrays,
                       ArrayStyle::Brackets, false);
      write_value(*m.value, true, ctx);
      ctx.prefix.resize(mark);
    }
    break;
  }
  case Kind::Object: {
    bool wrote = false;
    for (const auto& m : value.members) {
      const size_t before = ctx.out.size();
      if (wrote) ctx.out += ctx.separator();
      const size_t after_separator = ctx.out.size();
      const size_t mark = ctx.prefix.size();
      if (!has_prefix) {
        escape_rack(m.key, ctx.prefix);
      } else {
        ctx.prefix.push_back('[');
        escape_rack(m.key, ctx.prefix);
        ctx.prefix.push_back(']');
      }
      write_value(*m.value, true, ctx);
      ctx.prefix.resize(mark);
      if (ctx.out.size() == after_separator) {
        ctx.out.resize(before);
      } else {
        wrote = true;
      }
    }
    break;
  }
  case Kind::Null: ctx.out += ctx.prefix; break;
  default: {
    std::string text;
    scalar_text(value, Dialect::Rack, text);
    ctx.out += ctx.prefix;
    ctx.out.push_back('=');
    escape_rack(text, ctx.out);
  }
  }
  return ctx.out.size() > start;
}

} // namespace

RackName rack_split_name(std::string_view name) {
  RackName split;
  size_t i = 0;
  while (i < name.size() && is_bracket(name[i]))
    ++i;
  if (i >= name.size()) return split;
  size_t start = i;
  while (i < name.size() && !is_bracket(name[i]))
    ++i;
  split.matched = true;
  split.key = name.substr(start, i - start);
  while (i < name.size() && name[i] == ']')
    ++i;
  split.after = name.substr(i);
  return split;
}

Node* read_rack(ReadContext& ctx) { return RackReader(ctx).read(); }

void write_rack(const Node& json, WriteContext& ctx) {
  // The top level has a nil prefix, which differs from an empty one ("" as a key) in Ruby.
  ctx.prefix.clear();
  switch (json.kind) {
  case Kind::Object: write_value(json, false, ctx); break;
  case Kind::Array: write_value(json, true, ctx); break; // "#{nil}[]" is "[]"
  case Kind::Null: break;                                // build_nested_query(nil) is nil: nothing
  default: throw Error("rack: value must be a Hash: a form needs an object at the top level ($)");
  }
}

} // namespace hooktool::form_detail
