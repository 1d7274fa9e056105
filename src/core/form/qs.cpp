// qs 6 (node, Express): qs.parse and qs.stringify with their default options, ported step for step:
// values of a repeated key are combined first, keys are then split (5 levels deep at most, the
// rest kept as one key), turned into small objects and merged one by one, and arrays (indexes up
// to 20) are compacted at the end. JavaScript's own rules come along: integer-like keys come first
// in an object, Object.prototype's names are dropped.
#include <algorithm>
#include <string>

#include "core/form/detail.hpp"
#include "core/util/error.hpp"

namespace hooktool::form_detail {

namespace {

constexpr size_t kParameterLimit = 1000;
constexpr int kDepth = 5;
constexpr std::uint32_t kArrayLimit = 20;

} // namespace

bool is_prototype_name(std::string_view name) {
  static const std::string_view kNames[] = {
      "constructor",      "__defineGetter__", "__defineSetter__", "hasOwnProperty",
      "__lookupGetter__", "__lookupSetter__", "isPrototypeOf",    "propertyIsEnumerable",
      "toString",         "valueOf",          "__proto__",        "toLocaleString"};
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

namespace {

bool is_object(const Node* node) { return node && node->is_container(); }

// The next match of /(\[[^[\]]*])/ at or after from: [start, end] of the brackets.
bool next_group(std::string_view key, size_t from, size_t* start, size_t* end) {
  size_t open = key.find('[', from);
  while (open != std::string_view::npos) {
    size_t next = open + 1;
    while (next < key.size() && key[next] != '[' && key[next] != ']')
      ++next;
    if (next >= key.size()) return false;
    if (key[next] == ']') {
      *start = open;
      *end = next;
      return true;
    }
    open = next;
  }
  return false;
}

struct Root {
  std::string_view clean; // cleanRoot
  bool bracketed;         // root !== cleanRoot
};

class QsReader {
public:
  explicit QsReader(ReadContext& ctx) : m_ctx(ctx), m_tree(ctx.tree) {}

  Node* read() {
    Node* obj = m_tree.make(Kind::Object);
    std::string_view body = m_ctx.body;
    if (body.empty()) return obj;
    Node* temp = parse_values(body);
    // Object.keys(tempObj): integer-like keys first.
    sort_js_keys(*temp);
    // obj = utils.merge(obj, parseKeys(key, value)) for each key; obj stays the same object.
    for (const auto& m : temp->members)
      merge_keys(obj, m.key, m.value);
    compact(obj);
    int depth = tree_depth(*obj);
    if (depth > m_ctx.opts.max_depth) m_ctx.check_depth(depth, 0);
    return obj;
  }

private:
  Node* parse_values(std::string_view body) {
    Node* temp = m_tree.make(Kind::Object);
    size_t parts = 1;
    for (char c : body)
      if (c == '&') ++parts;
    temp->reserve(parts);
    size_t at = 0, count = 0;
    while (true) {
      size_t amp = body.find('&', at);
      std::string_view part =
          body.substr(at, amp == std::string_view::npos ? std::string_view::npos : amp - at);
      ++count;
      size_t bracket_equals = part.find("]=");
      size_t pos = bracket_equals == std::string_view::npos ? part.find('=') : bracket_equals + 1;
      std::string_view key;
      Node* value;
      if (pos == std::string_view::npos) {
        key = m_ctx.qs_unescape(part);
        value = m_tree.make_string({});
      } else {
        key = m_ctx.qs_unescape(part.substr(0, pos));
        value = m_tree.make_string(m_ctx.qs_unescape(part.substr(pos + 1)));
      }
      // obj["__proto__"] = string sets nothing.
      if (key != "__proto__") {
        Node* existing = temp->find_or_append(key, value);
        if (existing && existing->kind == Kind::Array) {
          existing->members.push_back({{}, value});
        } else if (existing) {
          Node* both = m_tree.make(Kind::Array);
          both->members = {{{}, existing}, {{}, value}};
          temp->set(key, both);
        }
      }
      if (amp == std::string_view::npos) break;
      at = amp + 1;
    }
    if (count > kParameterLimit)
      m_ctx.note("qs reads only the first " + std::to_string(kParameterLimit) +
                 " parameters by default (parameterLimit) and drops the rest; this body has " +
                 std::to_string(count));
    return temp;
  }

  // Merges what parseKeys makes of key into obj, walking down the objects obj already has instead
  // of building the chain of one-key objects first (the same result, without the garbage).
  void merge_keys(Node* obj, std::string_view key, Node* value) {
    if (!split_key(key, m_chain)) return;
    Node* node = obj; // always an object: merging into one returns it
    for (size_t i = 0; i < m_chain.size(); ++i) {
      const Root& root = m_chain[i];
      std::uint32_t index = 0;
      const bool plain =
          !(root.bracketed &&
            (root.clean.empty() || (is_js_index(root.clean, &index) && index <= kArrayLimit))) &&
          root.clean != "__proto__";
      if (!plain) {
        merge(node, parse_object(m_chain, i, value));
        return;
      }
      Node* existing = node->find(root.clean);
      if (!existing) {
        node->append(root.clean, parse_object(m_chain, i + 1, value));
        return;
      }
      if (existing->kind != Kind::Object || i + 1 == m_chain.size()) {
        node->set(root.clean, merge(existing, parse_object(m_chain, i + 1, value)));
        return;
      }
      node = existing;
    }
  }

  // parseKeys up to parseObject: the chain of roots, or false when qs drops the key.
  bool split_key(std::string_view key, std::vector<Root>& chain) {
    chain.clear();
    if (key.empty()) return false;
    size_t start = 0, end = 0;
    bool found = next_group(key, 0, &start, &end);
    std::string_view parent = found ? key.substr(0, start) : key;
    if (!parent.empty()) {
      if (is_prototype_name(parent)) return false;
      chain.push_back({parent, false});
    }
    int i = 0;
    while (found) {
      if (i >= kDepth) {
        // The rest, brackets and all, is one key: '[' + key.slice(segment.index) + ']'.
        chain.push_back({key.substr(start), true});
        if (!m_noted_depth) {
          m_noted_depth = true;
          m_ctx.note("qs splits a key " + std::to_string(kDepth) +
                     " levels deep at most (depth); '" + printable(key) + "' keeps '" +
                     printable(key.substr(start)) + "' as one key");
        }
        break;
      }
      ++i;
      std::string_view inner = key.substr(start + 1, end - start - 1);
      if (is_prototype_name(inner)) return false;
      chain.push_back({inner, true});
      found = next_group(key, end + 1, &start, &end);
    }
    return true;
  }

  // parseObject(chain.slice(from), leaf)
  Node* parse_object(const std::vector<Root>& chain, size_t from, Node* leaf) {
    for (size_t i = chain.size(); i-- > from;) {
      const Root& root = chain[i];
      Node* obj;
      std::uint32_t index = 0;
      if (root.bracketed && root.clean.empty()) {
        // [].concat(leaf)
        if (leaf->kind == Kind::Array) {
          obj = leaf;
        } else {
          obj = m_tree.make(Kind::Array);
          obj->members.push_back({{}, leaf});
        }
      } else if (root.bracketed && is_js_index(root.clean, &index) && index <= kArrayLimit) {
        obj = m_tree.make(Kind::Array);
        obj->members.resize(index + 1);
        obj->members[index].value = leaf;
      } else {
        obj = m_tree.make(Kind::Object);
        if (root.clean != "__proto__") obj->append(root.clean, leaf);
      }
      leaf = obj;
    }
    return leaf;
  }

  // [first].concat(second)
  Node* concat(Node* first, Node* second) {
    Node* array = m_tree.make(Kind::Array);
    array->members.push_back({{}, first});
    if (second->kind == Kind::Array) {
      array->members.insert(array->members.end(), second->members.begin(), second->members.end());
    } else {
      array->members.push_back({{}, second});
    }
    return array;
  }

  Node* array_to_object(const Node* array) {
    Node* obj = m_tree.make(Kind::Object);
    for (size_t i = 0; i < array->members.size(); ++i)
      if (array->members[i].value)
        obj->append(m_tree.store(std::to_string(i)), array->members[i].value);
    return obj;
  }

  // utils.merge
  Node* merge(Node* target, Node* source) {
    if (!source || (source->kind == Kind::String && source->text.empty())) return target;
    if (!source->is_container()) {
      if (target->kind == Kind::Array) {
        target->members.push_back({{}, source});
      } else if (target->kind == Kind::Object) {
        std::string_view name =
            source->kind == Kind::True ? std::string_view("true") : source->text;
        if (!is_prototype_name(name)) target->set(name, m_tree.make(Kind::True));
      } else {
        Node* pair = m_tree.make(Kind::Array);
        pair->members = {{{}, target}, {{}, source}};
        return pair;
      }
      return target;
    }
    if (!target->is_container()) return concat(target, source);
    if (target->kind == Kind::Array && source->kind == Kind::Array) {
      for (size_t i = 0; i < source->members.size(); ++i) {
        Node* item = source->members[i].value;
        if (!item) continue; // forEach skips holes
        if (i < target->members.size() && target->members[i].value) {
          Node* target_item = target->members[i].value;
          if (is_object(target_item) && is_object(item)) {
            target->members[i].value = merge(target_item, item);
          } else {
            target->members.push_back({{}, item});
          }
        } else {
          if (i >= target->members.size()) target->members.resize(i + 1);
          target->members[i].value = item;
        }
      }
      return target;
    }
    Node* merge_target = target->kind == Kind::Array ? array_to_object(target) : target;
    Node* keyed = source->kind == Kind::Array ? array_to_object(source) : source;
    sort_js_keys(*keyed);
    for (const auto& m : keyed->members) {
      Node* existing = merge_target->find(m.key);
      if (existing) {
        merge_target->set(m.key, merge(existing, m.value));
      } else {
        merge_target->append(m.key, m.value);
      }
    }
    return merge_target;
  }

  // utils.compact, then JavaScript's key order for every object.
  void compact(Node* node) {
    if (node->kind == Kind::Array) {
      auto& ms = node->members;
      ms.erase(std::remove_if(ms.begin(), ms.end(), [](const Member& m) { return !m.value; }),
               ms.end());
    }
    if (node->kind == Kind::Object) sort_js_keys(*node);
    for (auto& m : node->members)
      if (m.value && m.value->is_container()) compact(m.value);
  }

  ReadContext& m_ctx;
  Tree& m_tree;
  std::vector<Root> m_chain;
  bool m_noted_depth = false;
};

// The members of an object in JavaScript's order, without touching it.
std::vector<const Member*> js_order(const Node& object) {
  std::vector<const Member*> order;
  order.reserve(object.members.size());
  bool any_index = false;
  for (const auto& m : object.members) {
    order.push_back(&m);
    any_index = any_index || is_js_index(m.key);
  }
  if (!any_index) return order;
  auto ints_end = std::stable_partition(order.begin(), order.end(),
                                        [](const Member* m) { return is_js_index(m->key); });
  std::stable_sort(order.begin(), ints_end, [](const Member* a, const Member* b) {
    std::uint32_t x = 0, y = 0;
    is_js_index(a->key, &x);
    is_js_index(b->key, &y);
    return x < y;
  });
  return order;
}

void write_value(const Node& value, WriteContext& ctx) {
  switch (value.kind) {
  case Kind::Array: write_elements(value, ctx, ArrayStyle::Indices, true, write_value); return;
  case Kind::Object:
    for (const Member* m : js_order(value)) {
      const size_t mark = ctx.prefix.size();
      ctx.prefix += "%5B";
      escape_qs(m->key, ctx.prefix);
      ctx.prefix += "%5D";
      write_value(*m->value, ctx);
      ctx.prefix.resize(mark);
    }
    return;
  default: {
    if (!ctx.out.empty()) ctx.out += ctx.separator();
    ctx.out += ctx.prefix; // kept escaped: escaping works byte by byte
    ctx.out.push_back('=');
    std::string text;
    if (scalar_text(value, Dialect::Qs, text)) escape_qs(text, ctx.out); // null is ''
  }
  }
}

} // namespace

Node* read_qs(ReadContext& ctx) { return QsReader(ctx).read(); }

void write_qs(const Node& json, WriteContext& ctx) {
  // qs.stringify: the top level's own keys (an array's are its indexes) name the values;
  // anything that is not an object gives ''.
  if (json.kind == Kind::Object) {
    for (const Member* m : js_order(json)) {
      ctx.prefix.clear();
      escape_qs(m->key, ctx.prefix);
      write_value(*m->value, ctx);
    }
  } else if (json.kind == Kind::Array) {
    for (size_t i = 0; i < json.members.size(); ++i) {
      ctx.prefix = std::to_string(i);
      write_value(*json.members[i].value, ctx);
    }
  }
}

} // namespace hooktool::form_detail
