// Unit tests for core/form/dialect (and the tree and JSON reader under it): each dialect's reading
// and writing, the numbers, the round-trip refusals, and round trips over generated documents.
// tests/conformance checks the same rules against the real Rack, qs and PHP.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/form/detail.hpp"
#include "core/form/dialect.hpp"
#include "core/form/json_reader.hpp"
#include "core/form/tree.hpp"
#include "core/util/error.hpp"
#include "core/util/url.hpp"

using namespace hooktool;

namespace {

std::string read_as(std::string_view body, Dialect dialect, bool types = false,
                    int max_depth = 32) {
  FormReadOptions opts;
  opts.types = types;
  opts.max_depth = max_depth;
  Tree tree = read_form(body, dialect, opts);
  std::string out;
  write_json(*tree.root, JsonStyle{false}, out);
  return out;
}

std::string rack(std::string_view body) { return read_as(body, Dialect::Rack); }
std::string qs(std::string_view body) { return read_as(body, Dialect::Qs); }
std::string php(std::string_view body) { return read_as(body, Dialect::Php); }

std::string error_of(std::string_view body, Dialect dialect, int max_depth = 32) {
  try {
    read_as(body, dialect, false, max_depth);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string write_as(std::string_view json, Dialect dialect, FormWriteOptions opts = {},
                     std::vector<std::string>* notes = nullptr) {
  Tree tree = read_json(json, 32);
  return write_form(*tree.root, dialect, opts, notes);
}

std::string write_error(std::string_view json, Dialect dialect) {
  try {
    write_as(json, dialect);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string json_error(std::string_view text, int max_depth = 32) {
  try {
    read_json(text, max_depth);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string compact(std::string_view json) {
  Tree tree = read_json(json, 64);
  std::string out;
  write_json(*tree.root, JsonStyle{false}, out);
  return out;
}

} // namespace

TEST_CASE("read_form reads the rows of issue 5's table the way each dialect does") {
  CHECK(rack("b=1&b=2") == R"({"b":"2"})");
  CHECK(qs("b=1&b=2") == R"({"b":["1","2"]})");
  CHECK(php("b=1&b=2") == R"({"b":"2"})");
  CHECK(rack("c") == R"({"c":null})");
  CHECK(qs("c") == R"({"c":""})");
  CHECK(rack("e[0]=z") == R"({"e":{"0":"z"}})");
  CHECK(qs("e[0]=z") == R"({"e":["z"]})");
  CHECK(php("e[0]=z") == R"({"e":["z"]})");
  CHECK(rack("a[][x]=1&a[][y]=2&a[][x]=3") == R"({"a":[{"x":"1","y":"2"},{"x":"3"}]})");
  CHECK(qs("a[][x]=1&a[][y]=2&a[][x]=3") == R"({"a":[{"x":["1","3"],"y":"2"}]})");
  CHECK(rack("f[b]c=1") == R"({"f":{"b":{"c":"1"}}})");
  CHECK(qs("f[b]c=1") == R"({"f":{"b":"1"}})");
  CHECK(error_of("x=%zz", Dialect::Rack) == "invalid %-encoding (%zz) (byte 2)");
  CHECK(qs("x=%zz") == R"({"x":"%zz"})");
  CHECK(error_of("a=1&a[b]=2", Dialect::Rack) ==
        "expected Hash (got String) for param `a' (byte 4)");
  CHECK(qs("a=1&a[b]=2") == R"({"a":["1",{"b":"2"}]})");
}

TEST_CASE("read_form: Rack's odd names, separators and nil") {
  CHECK(rack("a=1;b=2& c=3") == R"({"a":"1","b":"2","c":"3"})");
  CHECK(rack("a[=x") == R"({"a[":"x"})");
  CHECK(rack("a[[]]=x") == R"({"a":null})");
  CHECK(rack("a[]]=x") == R"({"a":[null]})");
  CHECK(rack("[]=x&=y") == R"({})");
  CHECK(rack("a&a[b]=1") == R"({"a":{"b":"1"}})");
  CHECK(error_of("a[b]=1&a[]=2", Dialect::Rack) ==
        "expected Array (got Rack::QueryParser::Params) for param `a' (byte 7)");
  CHECK(rack("a+b=%41") == R"({"a b":"A"})");
}

TEST_CASE("read_form: qs's merging, limits and JavaScript's key order") {
  CHECK(qs("a[b]=2&a=1") == R"({"a":{"1":true,"b":"2"}})");
  CHECK(qs("5[x]=1&5=2") == R"({"5":["2",{"x":"1"}]})");
  CHECK(qs("a[1]=x&a[0]=y") == R"({"a":["y","x"]})");
  CHECK(qs("a[21]=x") == R"({"a":{"21":"x"}})");
  CHECK(qs("b=1&a=2&1=x") == R"({"1":"x","b":"1","a":"2"})");
  CHECK(qs("a[b][c][d][e][f][g][h]=1") == R"({"a":{"b":{"c":{"d":{"e":{"f":{"[g][h]":"1"}}}}}}})");
  CHECK(qs("toString=1&a[hasOwnProperty]=2&__proto__[x]=3&b=4") == R"({"b":"4"})");
  CHECK(qs("x=%41%zz&y=%FF&z=a+b") == R"({"x":"%41%zz","y":"%FF","z":"a b"})");
  CHECK(qs("a]=b]=c") == R"({"a]":"b]=c"})");
  CHECK(qs("") == "{}");
}

TEST_CASE("read_form: PHP's renamed names, integer keys and appends") {
  CHECK(php("a.b=1&c d=2&e[f.g]=3") == R"({"a_b":"1","c_d":"2","e":{"f.g":"3"}})");
  CHECK(php("a[b=1") == R"({"a_b":"1"})");
  CHECK(php("a[b]c=1") == R"({"a":{"b":"1"}})");
  CHECK(php("a[5]=x&a[]=y&b[-5]=x&b[]=y") == R"({"a":{"5":"x","6":"y"},"b":{"-5":"x","-4":"y"}})");
  CHECK(php("0=a&1=b") == R"(["a","b"])");
  CHECK(php("") == "[]");
  CHECK(php("a%00b=1&c=x%00y") == R"({"a":"1","c":"x\u0000y"})");
  CHECK(php("..Host-x=1&__Host-y=2") == R"({"__Host-y":"2"})");
  CHECK(php("a[ ]=1&a[ b]=2") == R"({"a":{"0":"1"," b":"2"}})");
}

TEST_CASE("read_form: UTF-8, bytes and depth") {
  CHECK(rack("a=%C3%A9&b=é") == R"({"a":"é","b":"é"})");
  CHECK(error_of("a=%FF", Dialect::Rack) == "invalid UTF-8 after percent-decoding (byte 2)");
  CHECK(error_of("a=x%FF", Dialect::Php) == "invalid UTF-8 after percent-decoding (byte 3)");
  CHECK(rack("a=%FF&a=x") == R"({"a":"x"})"); // replaced before it reaches the result
  CHECK(error_of("a=\xff", Dialect::Qs) == "invalid UTF-8 (byte 2)");
  CHECK(error_of("a[b][c]=1", Dialect::Rack, 2) == "nesting deeper than --max-depth 2 (byte 0)");
  CHECK(error_of("a[b][c]=1", Dialect::Php, 2) == "nesting deeper than --max-depth 2 (byte 0)");
  CHECK(rack("a[b]=1") == R"({"a":{"b":"1"}})");
  std::string deep = "a";
  for (int i = 0; i < 70; ++i)
    deep += "[x]";
  CHECK(error_of("b=1&" + deep + "=1", Dialect::Php) ==
        "nesting deeper than --max-depth 32 (byte 4)");
  CHECK(read_as("b=1&" + deep + "=1", Dialect::Php, false, 100) ==
        R"({"b":"1"})"); // max_input_nesting_level
  for (int i = 0; i < 50; ++i)
    deep += "[x]";
  CHECK(error_of(deep + "=1", Dialect::Rack, 200) ==
        "parameters nested deeper than Rack's param_depth_limit (100) (byte 0)");
}

TEST_CASE("read_form: notes for limits and for types") {
  std::vector<std::string> notes;
  std::string body;
  for (int i = 0; i < 1001; ++i)
    body += "k" + std::to_string(i) + "=v&";
  read_form(body, Dialect::Qs, FormReadOptions{}, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("parameterLimit") != std::string::npos);
  CHECK(read_as("a=1&b=-2.5e3&c=true&d=null&e=01&f=x", Dialect::Rack, true) ==
        R"({"a":1,"b":-2.5e3,"c":true,"d":null,"e":"01","f":"x"})");
}

TEST_CASE("decode_form gives other commands an ordered_json") {
  auto j = decode_form("response[score]=9&response[tags][]=a", Dialect::Rack);
  CHECK(j.dump() == R"({"response":{"score":"9","tags":["a"]}})");
  // The plain helpers stay as they were.
  CHECK(url_decode("a+b%41").value() == "a bA");
  CHECK(parse_form_pairs("a=1&b").size() == 2);
}

TEST_CASE("format_number writes numbers the way each language prints them") {
  CHECK(format_number("1.0", Dialect::Rack) == "1.0");
  CHECK(format_number("1e15", Dialect::Rack) == "1.0e+15");
  CHECK(format_number("1234567890123456.7", Dialect::Rack) == "1234567890123456.8");
  CHECK(format_number("0.00001", Dialect::Rack) == "1.0e-05");
  CHECK(format_number("-0", Dialect::Rack) == "0");
  CHECK(format_number("12345678901234567890", Dialect::Rack) == "12345678901234567890");
  CHECK(format_number("1e400", Dialect::Rack) == "Infinity");
  CHECK(format_number("1.0", Dialect::Qs) == "1");
  CHECK(format_number("1e21", Dialect::Qs) == "1e+21");
  CHECK(format_number("1e-7", Dialect::Qs) == "1e-7");
  CHECK(format_number("12345678901234567890", Dialect::Qs) == "12345678901234567000");
  CHECK(format_number("1e14", Dialect::Php) == "1.0E+14");
  CHECK(format_number("0.30000000000000004", Dialect::Php) == "0.3");
  CHECK(format_number("-0.0", Dialect::Php) == "-0");
  CHECK(format_number("9223372036854775808", Dialect::Php) == "9.2233720368548E+18");
  CHECK(format_number("0.00001", Dialect::Php) == "1.0E-5");
}

TEST_CASE("write_form writes each dialect's way") {
  const char* doc = R"({"a":{"b":[1,"x y"],"c":null},"d":true})";
  CHECK(write_as(R"({"a":{"b":[1,"x y"]},"d":true,"n":null})", Dialect::Rack) ==
        "a[b][]=1&a[b][]=x+y&d=true&n");
  FormWriteOptions lossy;
  lossy.lossy = true;
  CHECK(write_as(doc, Dialect::Qs, lossy) ==
        "a%5Bb%5D%5B0%5D=1&a%5Bb%5D%5B1%5D=x%20y&a%5Bc%5D=&d=true");
  CHECK(write_as(doc, Dialect::Php, lossy) == "a%5Bb%5D%5B0%5D=1&a%5Bb%5D%5B1%5D=x+y&d=1");
  FormWriteOptions indices;
  indices.arrays = ArrayStyle::Indices;
  CHECK(write_as(R"({"a":["x","y"]})", Dialect::Qs, indices) == "a%5B0%5D=x&a%5B1%5D=y");
  indices.lossy = true; // Rack reads a[0]=x as {"0":"x"}
  CHECK(write_as(R"({"a":["x","y"]})", Dialect::Rack, indices) == "a[0]=x&a[1]=y");
  FormWriteOptions repeat;
  repeat.arrays = ArrayStyle::Repeat;
  repeat.lossy = true;
  CHECK(write_as(R"({"a":["x","y"]})", Dialect::Rack, repeat) == "a=x&a=y");
  FormWriteOptions newline;
  newline.newline = true;
  CHECK(write_as(R"({"a":"1","b":{"c":"2"}})", Dialect::Rack, newline) == "a=1&\nb[c]=2");
  CHECK(write_as(R"({"b":"1","1":"x"})", Dialect::Qs) == "1=x&b=1");
}

TEST_CASE("write_form refuses what does not read back, naming the JSON path") {
  CHECK(write_error(R"({"a":{"tags":[]}})", Dialect::Rack) ==
        "cannot write this JSON as a rack form: an empty array writes nothing in a form; --lossy "
        "writes it "
        "anyway ($.a.tags)");
  CHECK(write_error(R"({"a":null})", Dialect::Qs).find("qs writes null as an empty string") !=
        std::string::npos);
  CHECK(write_error(R"({"a":false})", Dialect::Php).find("($.a)") != std::string::npos);
  CHECK(write_error(R"({"a":[{"x":1},{"y":2}]})", Dialect::Rack).find("($.a") != std::string::npos);
  CHECK(write_error(R"({"a.b":1})", Dialect::Php).find(R"(($["a.b"]))") != std::string::npos);
  CHECK(write_error(R"(["a"])", Dialect::Rack).find("top level must be an object") !=
        std::string::npos);
  CHECK(write_error(R"("x")", Dialect::Qs).find("($)") != std::string::npos);
  CHECK(write_error(R"({"a":0.30000000000000004})", Dialect::Php).find("php writes") !=
        std::string::npos);
  CHECK(write_error(R"({"a":[1,2]})", Dialect::Rack).empty());
  CHECK(write_error(R"(["a","b"])", Dialect::Php).empty()); // PHP reads 0=a&1=b back as a list
  std::vector<std::string> notes;
  FormWriteOptions lossy;
  lossy.lossy = true;
  CHECK(write_as(R"({"a":[],"b":"1"})", Dialect::Rack, lossy, &notes) == "b=1");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "lossy: an empty array writes nothing in a form ($.a)");
}

TEST_CASE("the Wootric sample both ways, byte for byte") {
  const std::string json =
      R"({"response":{"id":1128,"email":"nps@example.com","score":7,"text":null,"end_user_properties":)"
      R"({"pricing_plan":"Enterprise","product_plan":"Web App"},"excluded_from_calculations":false},)"
      R"("event_name":"created"})";
  const std::string form =
      "response[id]=1128&response[email]=nps%40example.com&response[score]=7&response[text]&"
      "response[end_user_properties][pricing_plan]=Enterprise&response[end_user_properties]["
      "product_plan]=Web+App&"
      "response[excluded_from_calculations]=false&event_name=created";
  CHECK(write_as(json, Dialect::Rack) == form);
  CHECK(read_as(form, Dialect::Rack, true) == json);
}

TEST_CASE("read_json: documents, repeated keys and errors with line and column") {
  CHECK(compact(" {\"a\" : [1, -2.5e3, true, null, \"\\u00e9\\ud83d\\ude00\\n\"] } ") ==
        "{\"a\":[1,-2.5e3,true,null,\"é😀\\n\"]}");
  CHECK(compact(R"({"a":1,"b":2,"a":3})") == R"({"a":3,"b":2})");
  CHECK(json_error("") == "JSON syntax error: the document is empty (line 1, column 1)");
  CHECK(json_error("{\"a\":1,\n  \"b\" 2}") ==
        "JSON syntax error: expected ':' after a member name, found '2' (line 2, column 7)");
  CHECK(json_error("[1,]") == "JSON syntax error: expected a value, found ']' (line 1, column 4)");
  CHECK(json_error("{\"a\":01}") == "JSON syntax error: expected ',' or '}' after an object "
                                    "member, found '1' (line 1, column 7)");
  CHECK(json_error("\"\\ud800\"") ==
        "JSON syntax error: lone surrogate \\ud800 (line 1, column 2)");
  CHECK(json_error("\"\xff\"") == "invalid UTF-8 in a string (line 1, column 2)");
  CHECK(json_error("[[[]]]", 2) == "nesting deeper than --max-depth 2 (line 1, column 3)");
  CHECK(json_error("{} x") ==
        "JSON syntax error: unexpected text after the JSON value (line 1, column 4)");
  CHECK(is_json_number("-0.5e+3"));
  CHECK_FALSE(is_json_number("+1"));
  CHECK_FALSE(is_json_number("1."));
}

TEST_CASE("write_json: pretty and compact, escapes") {
  Tree tree = read_json(R"({"a":[1,{}],"b":"\u0001\"\\","c":[]})", 8);
  std::string pretty, flat;
  write_json(*tree.root, JsonStyle{true}, pretty);
  write_json(*tree.root, JsonStyle{false}, flat);
  CHECK(pretty ==
        "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": \"\\u0001\\\"\\\\\",\n  \"c\": []\n}");
  CHECK(flat == R"({"a":[1,{}],"b":"\u0001\"\\","c":[]})");
}

TEST_CASE("Node keeps insertion order and finds keys in large objects") {
  Tree tree;
  Node* obj = tree.make(Kind::Object);
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i)
    keys.push_back("k" + std::to_string((i * 7919) % 2000));
  for (const auto& k : keys)
    obj->set(k, tree.make_string(k));
  REQUIRE(obj->members.size() == 2000);
  CHECK(obj->members[1].key == keys[1]);
  for (const auto& k : keys)
    CHECK(obj->find(k)->text == k);
  obj->set("k5", tree.make_string("new"));
  CHECK(obj->find("k5")->text == "new");
  CHECK(obj->members.size() == 2000);
  obj->erase("k5");
  CHECK(obj->find("k5") == nullptr);
  CHECK(obj->find("k6")->text == "k6");
  CHECK(obj->find("missing") == nullptr);
}

namespace {

// A tiny deterministic generator for round-trip properties.
struct Random {
  std::uint32_t state = 12345;
  std::uint32_t next(std::uint32_t n) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state % n;
  }
};

std::string random_json(Random& r, int depth) {
  static const char* keys[] = {"a", "b", "id", "x y", "é",    "k_1",     "long-name",
                               "0", "7", "21", "",    "a[b]", "toString"};
  static const char* strings[] = {"\"x\"",    "\"\"",   "\"a&b=c\"", "\"é😀\"",
                                  "\"100%\"", "\"[]\"", "\"a+b\""};
  static const char* numbers[] = {"1", "-2", "1.5", "0.25", "1e-7", "123456789"};
  const std::uint32_t kind = depth >= 3 ? 2 + r.next(3) : r.next(5);
  if (kind == 0) {
    std::string out = "{";
    const std::uint32_t n = 1 + r.next(3);
    for (std::uint32_t i = 0; i < n; ++i)
      out += std::string(i ? "," : "") + "\"" + keys[r.next(13)] +
             (r.next(2) ? std::to_string(i) : "") + "\":" + random_json(r, depth + 1);
    return out + "}";
  }
  if (kind == 1) {
    std::string out = "[";
    const std::uint32_t n = 1 + r.next(3);
    for (std::uint32_t i = 0; i < n; ++i)
      out += std::string(i ? "," : "") + random_json(r, depth + 1);
    return out + "]";
  }
  if (kind == 2) return strings[r.next(7)];
  if (kind == 3) return numbers[r.next(6)];
  return r.next(2) ? "true" : "false";
}

// Same JSON: numbers compared as numbers, object keys in any order.
bool same_json(const Node& a, const Node& b) {
  if (a.kind == Kind::Number && b.kind == Kind::Number)
    return std::stod(std::string(a.text)) == std::stod(std::string(b.text));
  if (a.kind != b.kind || a.text != b.text || a.members.size() != b.members.size()) return false;
  for (size_t i = 0; i < a.members.size(); ++i) {
    const Node* other = a.kind == Kind::Object ? b.find(a.members[i].key) : b.members[i].value;
    if (!other || !same_json(*a.members[i].value, *other)) return false;
  }
  return true;
}

} // namespace

TEST_CASE("round trips: JSON -> form -> JSON and form -> JSON -> form, over generated documents") {
  Random r;
  int accepted = 0, plain = 0;
  for (int n = 0; n < 400; ++n) {
    const std::string doc = "{\"root\":" + random_json(r, 1) + "}";
    for (Dialect d : all_dialects()) {
      const std::string dialect = dialect_name(d);
      CAPTURE(doc);
      CAPTURE(dialect);
      // The shortcut that skips reading the form back must only take what does come back.
      Tree parsed = read_json(doc, 32);
      if (form_detail::plainly_round_trips(*parsed.root, d, ArrayStyle::Dialect)) {
        FormWriteOptions lossy;
        lossy.lossy = true;
        FormReadOptions typed;
        typed.types = true;
        const std::string written = write_form(*parsed.root, d, lossy); // the tree points into it
        Tree again = read_form(written, d, typed);
        CHECK(same_json(*parsed.root, *again.root));
        ++plain;
      }
      std::string form;
      try {
        form = write_as(doc, d);
      } catch (const Error&) {
        continue; // refused: tested above
      }
      ++accepted;
      FormReadOptions typed;
      typed.types = true;
      Tree back = read_form(form, d, typed);
      Tree want = read_json(doc, 32);
      CHECK(same_json(*want.root, *back.root));
      // form -> JSON -> form gives back the same pairs in the same order.
      Tree strings = read_form(form, d, FormReadOptions{});
      CHECK(write_form(*strings.root, d, FormWriteOptions{}) == form);
    }
  }
  CHECK(accepted > 300);
  CHECK(plain > 200);
}
