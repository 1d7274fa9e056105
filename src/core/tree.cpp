// The value tree (see tree.hpp).
#include "core/tree.hpp"

#include <algorithm>
#include <cstring>

namespace hooktool {

namespace {
// Small objects are searched linearly; an index is built once they grow past this.
constexpr size_t kIndexFrom = 12;
constexpr size_t kChunkSize = 1 << 20;
constexpr size_t kNodeBlock = 4096;
}  // namespace

Node* Node::find(std::string_view key) const {
  auto pos = position(key);
  return pos < 0 ? nullptr : members[static_cast<size_t>(pos)].value;
}

std::ptrdiff_t Node::position(std::string_view key) const {
  if (index) {
    auto it = index->find(key);
    return it == index->end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
  }
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].key == key) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

void Node::append(std::string_view key, Node* value) {
  members.push_back({key, value});
  if (index) {
    index->emplace(key, static_cast<std::uint32_t>(members.size() - 1));
  } else if (kind == Kind::Object && members.size() > kIndexFrom) {
    reindex();
  }
}

void Node::set(std::string_view key, Node* value) {
  auto pos = position(key);
  if (pos < 0) {
    append(key, value);
  } else {
    members[static_cast<size_t>(pos)].value = value;
  }
}

void Node::erase(std::string_view key) {
  auto pos = position(key);
  if (pos < 0) return;
  members.erase(members.begin() + pos);
  if (index) reindex();
}

void Node::reset(Kind new_kind, std::string_view new_text) {
  kind = new_kind;
  text = new_text;
  members.clear();
  aux = 0;
  index.reset();
}

void Node::reindex() {
  if (kind != Kind::Object || members.size() <= kIndexFrom) {
    index.reset();
    return;
  }
  index = std::make_unique<std::unordered_map<std::string_view, std::uint32_t>>();
  index->reserve(members.size() * 2);
  for (size_t i = 0; i < members.size(); ++i)
    index->emplace(members[i].key, static_cast<std::uint32_t>(i));
}

Node* Tree::make(Kind kind, std::string_view text) {
  if (m_nodes_left == 0) {
    m_node_blocks.emplace_back(new Node[kNodeBlock]);
    m_nodes_left = kNodeBlock;
  }
  Node& node = m_node_blocks.back()[kNodeBlock - m_nodes_left--];
  node.kind = kind;
  node.text = text;
  return &node;
}

char* Tree::reserve(size_t n) {
  if (n > m_left) {
    size_t size = std::max(n, kChunkSize);
    m_chunks.emplace_back(new char[size]);
    m_free = m_chunks.back().get();
    m_left = size;
  }
  return m_free;
}

std::string_view Tree::commit(char* start, size_t used) {
  // Only the latest reservation may be committed; it starts at m_free.
  m_free = start + used;
  m_left -= used;
  return {start, used};
}

std::string_view Tree::store(std::string_view bytes) {
  if (bytes.empty()) return {};
  char* start = reserve(bytes.size());
  std::memcpy(start, bytes.data(), bytes.size());
  return commit(start, bytes.size());
}

int tree_depth(const Node& node) {
  if (!node.is_container()) return 0;
  int deepest = 0;
  for (const auto& m : node.members)
    if (m.value) deepest = std::max(deepest, tree_depth(*m.value));
  return deepest + 1;
}

void write_json_string(std::string_view text, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

namespace {

void write_value(const Node& node, const JsonStyle& style, int level, std::string& out) {
  switch (node.kind) {
    case Kind::Null: out += "null"; return;
    case Kind::False: out += "false"; return;
    case Kind::True: out += "true"; return;
    case Kind::Number: out += node.text; return;
    case Kind::String: write_json_string(node.text, out); return;
    case Kind::Array:
    case Kind::Object: break;
  }
  const bool object = node.kind == Kind::Object;
  if (node.members.empty()) {
    out += object ? "{}" : "[]";
    return;
  }
  out.push_back(object ? '{' : '[');
  bool first = true;
  for (const auto& m : node.members) {
    if (!m.value) continue;
    if (!first) out.push_back(',');
    first = false;
    if (style.pretty) {
      out.push_back('\n');
      out.append(static_cast<size_t>(level + 1) * 2, ' ');
    }
    if (object) {
      write_json_string(m.key, out);
      out += style.pretty ? ": " : ":";
    }
    write_value(*m.value, style, level + 1, out);
  }
  if (style.pretty) {
    out.push_back('\n');
    out.append(static_cast<size_t>(level) * 2, ' ');
  }
  out.push_back(object ? '}' : ']');
}

}  // namespace

void write_json(const Node& node, const JsonStyle& style, std::string& out) {
  write_value(node, style, 0, out);
}

nlohmann::ordered_json to_ordered_json(const Node& node) {
  switch (node.kind) {
    case Kind::Null: return nullptr;
    case Kind::False: return false;
    case Kind::True: return true;
    case Kind::Number: return nlohmann::ordered_json::parse(node.text);
    case Kind::String: return std::string(node.text);
    case Kind::Array: {
      auto array = nlohmann::ordered_json::array();
      for (const auto& m : node.members)
        if (m.value) array.push_back(to_ordered_json(*m.value));
      return array;
    }
    case Kind::Object: {
      auto object = nlohmann::ordered_json::object();
      for (const auto& m : node.members)
        if (m.value) object[std::string(m.key)] = to_ordered_json(*m.value);
      return object;
    }
  }
  return nullptr;
}

}  // namespace hooktool
