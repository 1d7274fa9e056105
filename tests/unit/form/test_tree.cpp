// Unit tests for core/form/tree: building the value tree, finding and changing object members
// (also past the size where objects get an index), its depth, and writing it as JSON.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/form/tree.hpp"

using namespace hooktool;

namespace {

// {"a":1,"b":["x",true,null],"c":{"d":false}}
Node* sample_tree(Tree& t) {
  Node* root = t.make(Kind::Object);
  root->append("a", t.make(Kind::Number, "1"));
  Node* b = t.make(Kind::Array);
  b->append("", t.make_string("x"));
  b->append("", t.make(Kind::True));
  b->append("", t.make(Kind::Null));
  root->append("b", b);
  Node* c = t.make(Kind::Object);
  c->append("d", t.make(Kind::False));
  root->append("c", c);
  return root;
}

std::string json_of(const Node& node, bool pretty) {
  std::string out;
  write_json(node, JsonStyle{pretty}, out);
  return out;
}

} // namespace

TEST_CASE("write_json writes the tree compact and pretty, in insertion order") {
  Tree t;
  const Node* root = sample_tree(t);
  CHECK(json_of(*root, false) == R"({"a":1,"b":["x",true,null],"c":{"d":false}})");
  CHECK(json_of(*root, true) == "{\n"
                                "  \"a\": 1,\n"
                                "  \"b\": [\n"
                                "    \"x\",\n"
                                "    true,\n"
                                "    null\n"
                                "  ],\n"
                                "  \"c\": {\n"
                                "    \"d\": false\n"
                                "  }\n"
                                "}");
  SUBCASE("as nlohmann::ordered_json writes the same document") {
    const auto j = to_ordered_json(*root);
    CHECK(json_of(*root, false) == j.dump());
    CHECK(json_of(*root, true) == j.dump(2));
  }
  SUBCASE("keys keep the order they were added in, not sorted") {
    Tree u;
    Node* o = u.make(Kind::Object);
    o->append("z", u.make(Kind::Number, "1"));
    o->append("a", u.make(Kind::Number, "2"));
    CHECK(json_of(*o, false) == R"({"z":1,"a":2})");
    CHECK(to_ordered_json(*o).dump() == R"({"z":1,"a":2})");
  }
}

TEST_CASE("write_json escapes strings and keys; numbers are written as read") {
  Tree t;
  Node* o = t.make(Kind::Object);
  o->append("k\"ey", t.make_string("line\nbreak \\ \x01"));
  o->append("n", t.make(Kind::Number, "-1.50e+3"));
  CHECK(json_of(*o, false) == "{\"k\\\"ey\":\"line\\nbreak \\\\ \\u0001\",\"n\":-1.50e+3}");
  std::string s;
  write_json_string("tab\there", s);
  CHECK(s == "\"tab\\there\"");
}

TEST_CASE("empty containers and scalars") {
  Tree t;
  CHECK(json_of(*t.make(Kind::Object), false) == "{}");
  CHECK(json_of(*t.make(Kind::Array), false) == "[]");
  CHECK(json_of(*t.make(Kind::Null), true) == "null");
  CHECK(json_of(*t.make_string(""), false) == "\"\"");
  CHECK(to_ordered_json(*t.make(Kind::Array)) == nlohmann::ordered_json::array());
  CHECK(to_ordered_json(*t.make(Kind::Number, "42")) == 42);
}

TEST_CASE("tree_depth counts nested containers") {
  Tree t;
  CHECK(tree_depth(*t.make(Kind::Number, "1")) == 0);
  CHECK(tree_depth(*t.make(Kind::Object)) == 1);
  CHECK(tree_depth(*sample_tree(t)) == 2);
  Node* deep = t.make(Kind::Array);
  Node* at = deep;
  for (int i = 0; i < 9; ++i) {
    Node* next = t.make(Kind::Array);
    at->append("", next);
    at = next;
  }
  CHECK(tree_depth(*deep) == 10);
}

TEST_CASE("object members: find, position, set, find_or_append, erase") {
  Tree t;
  Node* root = sample_tree(t);
  REQUIRE(root->find("a") != nullptr);
  CHECK(root->find("a")->text == "1");
  CHECK(root->find("nope") == nullptr);
  CHECK(root->position("c") == 2);
  CHECK(root->position("nope") == -1);

  root->set("a", t.make_string("one")); // in place: the order stays
  CHECK(root->position("a") == 0);
  CHECK(root->find("a")->kind == Kind::String);

  Node* existing = root->find_or_append("b", t.make(Kind::Null));
  REQUIRE(existing != nullptr);
  CHECK(existing->kind == Kind::Array);
  CHECK(root->find_or_append("e", t.make(Kind::True)) == nullptr); // appended
  CHECK(root->position("e") == 3);

  root->erase("b");
  CHECK(root->find("b") == nullptr);
  CHECK(root->position("c") == 1);
  CHECK(json_of(*root, false) == R"({"a":"one","c":{"d":false},"e":true})");
}

TEST_CASE("a large object finds every key through its index") {
  Tree t;
  Node* o = t.make(Kind::Object);
  o->reserve(16);
  for (int i = 0; i < 5000; ++i)
    o->append(t.store("key" + std::to_string(i)), t.make(Kind::Number, t.store(std::to_string(i))));
  CHECK(o->members.size() == 5000);
  for (int i : {0, 1, 17, 999, 4999}) {
    const Node* v = o->find("key" + std::to_string(i));
    REQUIRE(v != nullptr);
    CHECK(v->text == std::to_string(i));
    CHECK(o->position("key" + std::to_string(i)) == i);
  }
  CHECK(o->find("key5000") == nullptr);
  o->erase("key17");
  CHECK(o->find("key17") == nullptr);
  CHECK(o->position("key18") == 17);
  std::swap(o->members[0], o->members[1]); // reordered by hand
  o->reindex();
  CHECK(o->position("key1") == 0);
  CHECK(o->position("key0") == 1);
}

TEST_CASE("the tree owns the bytes it stores; reset changes a node's kind") {
  Tree t;
  std::string_view kept;
  {
    std::string temporary = "copied into the arena";
    kept = t.store(temporary);
    temporary.assign(temporary.size(), 'x');
  }
  CHECK(kept == "copied into the arena");
  char* room = t.reserve(8);
  room[0] = 'o';
  room[1] = 'k';
  CHECK(t.commit(room, 2) == "ok");

  Node* n = sample_tree(t);
  n->reset(Kind::String, "now a string");
  CHECK(n->kind == Kind::String);
  CHECK(n->members.empty());
  CHECK(json_of(*n, false) == "\"now a string\"");
}
