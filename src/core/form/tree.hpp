// The value tree that form and JSON documents are read into and written from: JSON's kinds, objects
// that keep their insertion order and find a key in constant time, strings that point into the
// input or into an arena the tree owns. Built for 100 MB inputs: one allocation per node at most,
// no copies of bytes that need no decoding.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hooktool {

enum class Kind : std::uint8_t { Null, False, True, Number, String, Array, Object };

struct Node;

// An object member or an array element (whose key is empty). value is null for a hole in a
// JavaScript array that qs has not compacted yet.
struct Member {
  std::string_view key;
  Node* value = nullptr;
};

struct Node {
  Kind kind = Kind::Null;
  std::string_view text;       // String: the bytes; Number: the JSON literal
  std::vector<Member> members; // Array and Object, in order
  std::int64_t aux = 0;        // a dialect's bookkeeping (PHP's next free index, Rack's key space)
  // Large objects: open addressing, slot = (hash high bits << 32) | (position + 1); slot 0 holds
  // the mask.
  std::unique_ptr<std::uint64_t[]> index;

  bool is_container() const { return kind == Kind::Array || kind == Kind::Object; }
  bool is_scalar() const { return !is_container(); }

  // Objects: the member's value, or nullptr.
  Node* find(std::string_view key) const;
  // Objects: the position of key in members, or -1.
  std::ptrdiff_t position(std::string_view key) const;
  // Objects: appends a member whose key is not there yet.
  void append(std::string_view key, Node* value);
  // Objects: replaces the value of key in place, or appends it.
  void set(std::string_view key, Node* value);
  // Objects: appends key unless it is there; returns the existing value, or nullptr if appended.
  Node* find_or_append(std::string_view key, Node* value);
  // Objects: removes key (rare: rebuilds the index).
  void erase(std::string_view key);
  // Turns the node into another kind, dropping what it held.
  void reset(Kind new_kind, std::string_view new_text = {});
  // After members were reordered or removed by hand.
  void reindex();
  // Objects: room in the index for n keys, so that it does not grow step by step.
  void reserve(size_t n);

private:
  void index_insert(std::uint64_t hash, std::uint32_t position);
  void rebuild_index(size_t capacity);
  std::ptrdiff_t position_hashed(std::string_view key, std::uint64_t hash) const;
  void append_hashed(std::string_view key, Node* value, std::uint64_t hash);
};

// Owns the nodes and the bytes of decoded strings; pointers stay valid for the tree's lifetime.
class Tree {
public:
  Tree() = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;

  Node* make(Kind kind, std::string_view text = {});
  Node* make_string(std::string_view text) { return make(Kind::String, text); }
  // A copy of bytes that lives as long as the tree.
  std::string_view store(std::string_view bytes);
  // Room for n bytes in the arena, to be filled by the caller and then trimmed with commit().
  char* reserve(size_t n);
  std::string_view commit(char* start, size_t used);

  Node* root = nullptr;

private:
  std::vector<std::unique_ptr<Node[]>> m_node_blocks;
  size_t m_block_size = 0; // of the last node block
  size_t m_nodes_left = 0;
  std::vector<std::unique_ptr<char[]>> m_chunks;
  char* m_free = nullptr;
  size_t m_left = 0;
};

// Depth of nested containers: a scalar is 0, {"a":1} is 1.
int tree_depth(const Node& node);

struct JsonStyle {
  bool pretty = true; // 2-space indent, "key": value; else no whitespace at all
};
// Appends the JSON text of node to out (strings must be valid UTF-8; they are written as is,
// with only '"', '\\' and control characters escaped).
void write_json(const Node& node, const JsonStyle& style, std::string& out);
void write_json_string(std::string_view text, std::string& out);

nlohmann::ordered_json to_ordered_json(const Node& node);

} // namespace hooktool
