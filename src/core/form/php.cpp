// PHP 8.2: parse_str (php_default_treat_data + php_register_variable_ex) read through json_encode,
// and json_decode(…, true) written through http_build_query, ported rule for rule: '.' and ' ' in
// a top-level name become '_', "a[b" becomes "a_b", text after a closing bracket is dropped,
// numeric keys become integers, [] appends after the largest integer key.
#include <climits>
#include <string>

#include "core/form/detail.hpp"
#include "core/util/error.hpp"

namespace hooktool::form_detail {

namespace {

constexpr size_t kMaxInputVars = 1000;
constexpr int kMaxNesting = 64; // max_input_nesting_level

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// A PHP array: an object node whose aux is nNextFreeElement (INT64_MIN until an integer key).
class PhpReader {
public:
  explicit PhpReader(ReadContext& ctx) : m_ctx(ctx), m_tree(ctx.tree) {}

  Node* read() {
    Node* result = new_array();
    std::string_view body = m_ctx.body;
    body = body.substr(0, body.find('\0')); // parse_str works on a C string
    size_t count = 0, at = 0;
    while (at < body.size()) {
      size_t amp = body.find('&', at);
      if (amp == std::string_view::npos) amp = body.size();
      if (amp > at) {
        ++count;
        variable(result, body.substr(at, amp - at), at);
      }
      at = amp + 1;
    }
    if (count > kMaxInputVars)
      m_ctx.note("PHP reads only the first " + std::to_string(kMaxInputVars) +
                 " variables by default (max_input_vars) and drops the rest; this body has " +
                 std::to_string(count));
    finish(result);
    return result;
  }

private:
  Node* new_array() {
    Node* array = m_tree.make(Kind::Object);
    array->aux = INT64_MIN;
    return array;
  }

  static void count_key(Node* array, std::string_view key) {
    std::int64_t idx = 0;
    if (is_php_int_key(key, &idx) && idx >= array->aux)
      array->aux = idx < INT64_MAX ? idx + 1 : INT64_MAX;
  }

  // zend_symtable_update
  static void update(Node* array, std::string_view key, Node* value) {
    array->set(key, value);
    count_key(array, key);
  }

  // zend_hash_next_index_insert; nullptr when the next index is taken.
  Node* next_insert(Node* array, Node* value) {
    std::int64_t h = array->aux == INT64_MIN ? 0 : array->aux;
    std::string_view key = m_tree.store(std::to_string(h));
    if (array->position(key) >= 0) return nullptr;
    array->append(key, value);
    count_key(array, key);
    return value;
  }

  void variable(Node* result, std::string_view piece, size_t offset) {
    size_t eq = piece.find('=');
    Node* value = m_tree.make_string(
        eq == std::string_view::npos ? std::string_view()
                                     : m_ctx.php_unescape(piece.substr(eq + 1), offset + eq + 1));
    std::string_view name = m_ctx.php_unescape(piece.substr(0, eq), offset);
    name = name.substr(0, name.find('\0')); // the name is used as a C string
    register_variable(result, name, value, offset);
  }

  void register_variable(Node* result, std::string_view var_name, Node* value, size_t offset) {
    while (!var_name.empty() && var_name.front() == ' ')
      var_name.remove_prefix(1);
    // Prepare the name: ' ' and '.' become '_' up to the first '['.
    std::string var(var_name);
    size_t p = 0;
    bool is_array = false;
    for (; p < var.size(); ++p) {
      if (var[p] == ' ' || var[p] == '.') {
        var[p] = '_';
      } else if (var[p] == '[') {
        is_array = true;
        break;
      }
    }
    const size_t var_len = p;
    // Mangling must not make a name start with __Host- or __Secure- (a cookie prefix).
    for (std::string_view prefix : {std::string_view("__Host-"), std::string_view("__Secure-")}) {
      if (var_len >= prefix.size() && var.compare(0, prefix.size(), prefix) == 0 &&
          var_name.substr(0, prefix.size()) != prefix)
        return;
    }
    if (var_len == 0) return;
    const std::string_view base = m_ctx.derive(var_name, std::string_view(var).substr(0, var_len));
    if (!is_array) {
      update(result, base, value);
      return;
    }

    Node* table = result;
    bool have_index = true;
    std::string_view index = base;
    size_t ip = var_len; // at a '['
    int nest = 0;
    while (true) {
      if (++nest > kMaxNesting) {
        result->erase(base);
        if (!m_noted_nesting) {
          m_noted_nesting = true;
          m_ctx.note("PHP drops a variable nested deeper than " + std::to_string(kMaxNesting) +
                     " levels (max_input_nesting_level), and what it already held: '" +
                     printable(base) + "' (byte " + std::to_string(offset) + ")");
        }
        return;
      }
      ++ip;
      const size_t index_s = ip;
      if (ip < var.size() && is_space(var[ip])) ++ip;
      bool append = false;
      size_t close = 0;
      if (ip < var.size() && var[ip] == ']') {
        append = true;
        close = ip;
      } else {
        close = var.find(']', ip);
        if (close == std::string::npos) {
          // Not an index: the '[' becomes '_', and so do ' ', '.' and '[' after it.
          if (nest == 1) {
            std::string name = std::string(base) + "_";
            for (size_t j = index_s; j < var.size(); ++j) {
              char c = var[j];
              name.push_back(c == ' ' || c == '.' || c == '[' ? '_' : c);
            }
            index = m_ctx.derive(var_name, name);
          }
          break;
        }
      }
      // The container for the index read so far.
      m_ctx.check_depth(nest + 1, offset);
      Node* next = nullptr;
      if (!have_index) {
        next = next_insert(table, new_array());
        if (!next) return;
      } else {
        next = table->find(index);
        if (!next) {
          next = new_array();
          update(table, index, next);
        } else if (next->kind != Kind::Object) {
          next->reset(Kind::Object);
          next->aux = INT64_MIN;
        }
      }
      table = next;
      have_index = !append;
      if (!append)
        index = m_ctx.derive(var_name.substr(std::min(index_s, var_name.size())),
                             std::string_view(var).substr(index_s, close - index_s));
      ip = close + 1;
      if (ip >= var.size() || var[ip] != '[') break; // anything after ']' is ignored
    }
    if (!have_index) {
      next_insert(table, value);
    } else {
      update(table, index, value);
    }
  }

  // json_encode: an array whose keys are 0, 1, 2... in order is a JSON array.
  static void finish(Node* node) {
    if (node->kind != Kind::Object) return;
    bool list = true;
    for (size_t i = 0; i < node->members.size(); ++i) {
      if (node->members[i].value->is_container()) finish(node->members[i].value);
      if (list && node->members[i].key != std::to_string(i)) list = false;
    }
    if (list) {
      node->kind = Kind::Array;
      node->index.reset();
    }
    node->aux = 0;
  }

  ReadContext& m_ctx;
  Tree& m_tree;
  bool m_noted_nesting = false;
};

// http_build_query: key[sub][sub]=value with the brackets written %5B %5D; null and empty arrays
// write nothing.
void write_php_value(const Node& value, WriteContext& ctx) {
  switch (value.kind) {
  case Kind::Null: return;
  case Kind::Array: write_elements(value, ctx, ArrayStyle::Indices, true, write_php_value); return;
  case Kind::Object:
    for (const auto& m : value.members) {
      const size_t mark = ctx.prefix.size();
      ctx.prefix += "%5B";
      escape_php(m.key, ctx.prefix);
      ctx.prefix += "%5D";
      write_php_value(*m.value, ctx);
      ctx.prefix.resize(mark);
    }
    return;
  default: {
    if (!ctx.out.empty()) ctx.out += ctx.separator();
    ctx.out += ctx.prefix;
    ctx.out.push_back('=');
    std::string text;
    scalar_text(value, Dialect::Php, text);
    escape_php(text, ctx.out);
  }
  }
}

} // namespace

Node* read_php(ReadContext& ctx) { return PhpReader(ctx).read(); }

void write_php(const Node& json, WriteContext& ctx) {
  if (json.kind == Kind::Object) {
    for (const auto& m : json.members) {
      ctx.prefix.clear();
      escape_php(m.key, ctx.prefix);
      write_php_value(*m.value, ctx);
    }
  } else if (json.kind == Kind::Array) {
    for (size_t i = 0; i < json.members.size(); ++i) {
      ctx.prefix = std::to_string(i);
      write_php_value(*json.members[i].value, ctx);
    }
  } else {
    throw Error("php: http_build_query(): Argument #1 ($data) must be of type array: a form needs "
                "an object at the top level ($)");
  }
}

} // namespace hooktool::form_detail
