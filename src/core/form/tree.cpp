// The value tree (see tree.hpp).
#include "core/form/tree.hpp"

#include "core/util/utf8.hpp"

#include <algorithm>
#include <cstring>

namespace hooktool {

namespace {
// Small objects are searched linearly; an index is built once they grow past this.
constexpr size_t kIndexFrom = 12;
// Node blocks and byte chunks start small and double up to these sizes: a small document (listen
// renders every form body it gets) should not construct and destroy thousands of nodes.
constexpr size_t kFirstChunk = 4096;
constexpr size_t kChunkSize = 1 << 20;
constexpr size_t kFirstNodeBlock = 16;
constexpr size_t kNodeBlock = 4096;

size_t grown(size_t first, size_t most, size_t blocks) {
  size_t size = first;
  for (size_t i = 0; i < blocks && size < most; ++i)
    size *= 2;
  return size < most ? size : most;
}
} // namespace

namespace {

std::uint64_t hash_key(std::string_view key) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ key.size();
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, key.data() + i, 8);
    h = (h ^ word) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  if (i < key.size()) std::memcpy(&tail, key.data() + i, key.size() - i);
  h = (h ^ tail) * 0x94D049BB133111EBULL;
  h ^= h >> 32;
  return h * 0xBF58476D1CE4E5B9ULL;
}

} // namespace

Node* Node::find(std::string_view key) const {
  auto pos = position(key);
  return pos < 0 ? nullptr : members[static_cast<size_t>(pos)].value;
}

std::ptrdiff_t Node::position(std::string_view key) const {
  return position_hashed(key, index ? hash_key(key) : 0);
}

std::ptrdiff_t Node::position_hashed(std::string_view key, std::uint64_t h) const {
  if (index) {
    const std::uint64_t mask = index[0];
    const std::uint64_t tag = h >> 32;
    for (std::uint64_t slot = h & mask;; slot = (slot + 1) & mask) {
      const std::uint64_t entry = index[slot + 1];
      if (entry == 0) return -1;
      if ((entry >> 32) == tag) {
        const size_t pos = (entry & 0xFFFFFFFFULL) - 1;
        if (members[pos].key == key) return static_cast<std::ptrdiff_t>(pos);
      }
    }
  }
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].key == key) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

void Node::index_insert(std::uint64_t hash, std::uint32_t position) {
  const std::uint64_t mask = index[0];
  std::uint64_t slot = hash & mask;
  while (index[slot + 1] != 0)
    slot = (slot + 1) & mask;
  index[slot + 1] = ((hash >> 32) << 32) | (static_cast<std::uint64_t>(position) + 1);
}

void Node::append(std::string_view key, Node* value) {
  append_hashed(key, value, index ? hash_key(key) : 0);
}

void Node::append_hashed(std::string_view key, Node* value, std::uint64_t hash) {
  members.push_back({key, value});
  if (index && members.size() * 2 <= index[0] + 1) {
    index_insert(hash, static_cast<std::uint32_t>(members.size() - 1));
  } else if (kind == Kind::Object && members.size() > kIndexFrom) {
    reindex();
  }
}

void Node::set(std::string_view key, Node* value) {
  const std::uint64_t h = index ? hash_key(key) : 0;
  auto pos = position_hashed(key, h);
  if (pos < 0) {
    append_hashed(key, value, h);
  } else {
    members[static_cast<size_t>(pos)].value = value;
  }
}

Node* Node::find_or_append(std::string_view key, Node* value) {
  const std::uint64_t h = index ? hash_key(key) : 0;
  auto pos = position_hashed(key, h);
  if (pos >= 0) return members[static_cast<size_t>(pos)].value;
  append_hashed(key, value, h);
  return nullptr;
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

namespace {
size_t index_capacity(size_t keys) {
  size_t capacity = 64;
  while (capacity < keys * 2)
    capacity *= 2;
  return capacity;
}
} // namespace

void Node::reindex() {
  if (kind != Kind::Object || members.size() <= kIndexFrom) {
    index.reset();
    return;
  }
  rebuild_index(index_capacity(members.size() * 2));
}

void Node::reserve(size_t n) {
  if (kind != Kind::Object || n <= kIndexFrom) return;
  members.reserve(n);
  const size_t capacity = index_capacity(n);
  if (!index || index[0] + 1 < capacity) rebuild_index(capacity);
}

void Node::rebuild_index(size_t capacity) {
  index.reset(new std::uint64_t[capacity + 1]());
  index[0] = capacity - 1;
  for (size_t i = 0; i < members.size(); ++i)
    index_insert(hash_key(members[i].key), static_cast<std::uint32_t>(i));
}

Node* Tree::make(Kind kind, std::string_view text) {
  if (m_nodes_left == 0) {
    m_block_size = grown(kFirstNodeBlock, kNodeBlock, m_node_blocks.size());
    m_node_blocks.emplace_back(new Node[m_block_size]);
    m_nodes_left = m_block_size;
  }
  Node& node = m_node_blocks.back()[m_block_size - m_nodes_left--];
  node.kind = kind;
  node.text = text;
  return &node;
}

char* Tree::reserve(size_t n) {
  if (n > m_left) {
    size_t size = std::max(n, grown(kFirstChunk, kChunkSize, m_chunks.size()));
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

// The record format's escaper: one JSON string writer in the project (valid UTF-8 is copied as is).
void write_json_string(std::string_view text, std::string& out) { append_json_string(out, text); }

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

} // namespace

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

} // namespace hooktool
