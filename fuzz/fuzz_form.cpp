// Fuzzes the form dialects the way hooktool convert uses them: the body read as a form with each
// dialect (Rack, qs, PHP) and written back (form -> JSON, form -> form), and read as JSON and
// written as a form with each dialect (JSON -> form) and as JSON (JSON -> JSON).
// Layout: byte 0 holds convert's options (bits 0-1 --arrays, 2 --newline, 3 --lossy, 4 --types,
// 5-7 --max-depth), the rest is the body.
// Only hooktool::Error may be thrown. What the code promises is checked:
// - read_form: the result is valid UTF-8, has no holes and no repeated keys, and is no deeper than
//   --max-depth; its JSON text reads back as the same tree (and as an ordered_json for listen);
// - read_json: what it reads writes back (compact and pretty) as the same tree;
// - write_form without --lossy refuses what would not read back: what it writes reads back, with
//   the same dialect, as the same JSON (scalars as the dialect writes them, keys in any order);
//   and with the dialect's own array style, that reading writes the same form again.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/form/detail.hpp"
#include "core/form/dialect.hpp"
#include "core/form/json_reader.hpp"
#include "core/form/tree.hpp"
#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

using namespace hooktool;

namespace {

[[noreturn]] void fail(const char* what, Dialect dialect) {
  std::fprintf(stderr, "fuzz_form: %s (%s)\n", what, dialect_name(dialect));
  std::abort();
}

// No holes, unique keys, valid UTF-8 everywhere.
bool well_formed(const Node& node) {
  if (node.kind == Kind::String && find_invalid_utf8(node.text) != std::string_view::npos)
    return false;
  for (size_t i = 0; i < node.members.size(); ++i) {
    const Member& m = node.members[i];
    if (!m.value || !well_formed(*m.value)) return false;
    if (node.kind != Kind::Object) continue;
    if (find_invalid_utf8(m.key) != std::string_view::npos) return false;
    if (node.position(m.key) != static_cast<std::ptrdiff_t>(i)) return false;
  }
  return true;
}

// The same tree: kinds, texts, object keys and their order.
bool identical(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.text != b.text || a.members.size() != b.members.size()) return false;
  for (size_t i = 0; i < a.members.size(); ++i) {
    if (a.kind == Kind::Object && a.members[i].key != b.members[i].key) return false;
    if (!identical(*a.members[i].value, *b.members[i].value)) return false;
  }
  return true;
}

// What write_form promises without --lossy: got, read back from the form written for want, is
// want with its scalars as the dialect writes them; object keys may come back in another order.
bool reads_back(const Node& want, const Node& got, Dialect dialect) {
  switch (want.kind) {
  case Kind::Object:
    if (got.kind != Kind::Object || got.members.size() != want.members.size()) return false;
    for (const auto& m : want.members) {
      const Node* back = got.find(m.key);
      if (!back || !reads_back(*m.value, *back, dialect)) return false;
    }
    return true;
  case Kind::Array:
    if (got.kind != Kind::Array || got.members.size() != want.members.size()) return false;
    for (size_t i = 0; i < want.members.size(); ++i)
      if (!reads_back(*want.members[i].value, *got.members[i].value, dialect)) return false;
    return true;
  case Kind::Null: return got.kind == Kind::Null;
  default: {
    std::string text;
    form_detail::scalar_text(want, dialect, text);
    return got.kind == Kind::String && got.text == text;
  }
  }
}

void json_round_trip(const Node& root, Dialect dialect) {
  for (bool pretty : {false, true}) {
    std::string text;
    write_json(root, JsonStyle{pretty}, text);
    Tree again = read_json(text, tree_depth(root) + 1); // an Error here is a bug: let it escape
    if (!identical(root, *again.root))
      fail("JSON text does not read back as the same tree", dialect);
  }
}

// convert's form output: written, then (without --lossy) read back as promised.
void write_and_check(const Node& json, Dialect dialect, const FormWriteOptions& opts) {
  std::vector<std::string> notes;
  std::string form;
  try {
    form = write_form(json, dialect, opts, &notes);
  } catch (const Error&) {
    return;
  }
  if (opts.lossy) return;
  std::string flat;
  for (char c : form)
    if (!opts.newline || c != '\n') flat.push_back(c);
  FormReadOptions reread;
  reread.max_depth = 1000;
  Tree back = read_form(flat, dialect, reread); // an Error here is a bug: let it escape
  if (!reads_back(json, *back.root, dialect))
    fail("write_form wrote what does not read back", dialect);
  if (opts.arrays != ArrayStyle::Dialect) return;
  FormWriteOptions plain;
  plain.newline = opts.newline;
  if (write_form(*back.root, dialect, plain) != form)
    fail("form -> JSON -> form is not the same form", dialect);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const int kDepths[] = {32, 1, 2, 3, 5, 8, 100, 1000};
  static const ArrayStyle kArrays[] = {ArrayStyle::Dialect, ArrayStyle::Brackets,
                                       ArrayStyle::Indices, ArrayStyle::Repeat};
  FormReadOptions read;
  read.types = (data[0] & 0x10) != 0;
  read.max_depth = kDepths[data[0] >> 5];
  FormWriteOptions write;
  write.arrays = kArrays[data[0] & 3];
  write.newline = (data[0] & 0x04) != 0;
  write.lossy = (data[0] & 0x08) != 0;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1); // its own allocation

  // form -> JSON and form -> form, as convert and --dialect all do; listen's decode_form.
  for (Dialect dialect : all_dialects()) {
    std::vector<std::string> notes;
    Tree tree;
    try {
      tree = read_form(body, dialect, read, &notes);
    } catch (const Error&) {
      continue;
    }
    if (!well_formed(*tree.root))
      fail("read_form: a hole, a repeated key or invalid UTF-8", dialect);
    if (tree_depth(*tree.root) > read.max_depth) fail("read_form: deeper than max_depth", dialect);
    json_round_trip(*tree.root, dialect);
    if (!read.types) to_ordered_json(*tree.root).dump();
    write_and_check(*tree.root, dialect, write);
  }

  // JSON -> form and JSON -> JSON.
  Tree json;
  try {
    json = read_json(body, read.max_depth);
  } catch (const Error&) {
    return 0;
  }
  json_round_trip(*json.root, Dialect::Rack);
  for (Dialect dialect : all_dialects())
    write_and_check(*json.root, dialect, write);
  return 0;
}
