// Internals shared by the form dialects (form_rack.cpp, form_qs.cpp, form_php.cpp):
// percent-decoding the three ways, deferred UTF-8 errors, and the per-dialect entry points. Not for
// other modules.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/form/dialect.hpp"
#include "core/form/tree.hpp"

namespace hooktool::form_detail {

// The message text for a piece of user input: control bytes escaped, long text cut.
std::string printable(std::string_view text, size_t max = 60);
[[noreturn]] void fail_at_byte(const std::string& what, size_t offset);

// What the readers share: the body, the tree being built, where decoded strings came from.
class ReadContext {
public:
  ReadContext(std::string_view body, Tree& tree, const FormReadOptions& opts,
              std::vector<std::string>* notes)
      : body(body), tree(tree), opts(opts), notes(notes) {}

  std::string_view body;
  Tree& tree;
  const FormReadOptions& opts;
  std::vector<std::string>* notes;

  void note(const std::string& text) const {
    if (notes) notes->push_back(text);
  }
  // Throws when depth passes --max-depth; offset is where the parameter starts.
  void check_depth(int depth, size_t offset) const;

  // Decoders return the bytes the dialect reads for raw (the component at offset in body). When
  // the result is not valid UTF-8, where it came from is remembered: that is an error only if the
  // string reaches the result (a later value may replace it).
  // Rack: '+' and %XX; throws "invalid %-encoding (raw)" for a '%' without two hex digits.
  std::string_view rack_unescape(std::string_view raw, size_t offset);
  // PHP: '+' and %XX; a '%' without two hex digits stays as it is.
  std::string_view php_unescape(std::string_view raw, size_t offset);
  // qs: '+' and %XX, all or nothing: when any escape is malformed or the bytes are not UTF-8,
  // the text stays as written (with '+' as a space), like decodeURIComponent failing.
  std::string_view qs_unescape(std::string_view raw);
  // A copy that is remembered as invalid if from is (PHP's renamed keys).
  std::string_view derive(std::string_view from, std::string_view bytes);

  // Throws for the first string of the result (key or value) that is not valid UTF-8.
  void check_result_utf8(const Node& root) const;

private:
  // Where a decoded string that is not UTF-8 came from, to name the byte of an error in it.
  struct Origin {
    size_t length;
    std::string_view raw; // the component as written
    size_t raw_offset;    // its offset in the body
    size_t base;          // position of this copy's first byte in the decoding of raw
  };
  void remember_if_invalid(std::string_view decoded, std::string_view raw, size_t offset);
  std::map<const char*, Origin> m_origins; // by the decoded string's first byte
};

// Splits a key the way Rack's %r(\A[\[\]]*([^\[\]]+)\]*) does.
struct RackName {
  bool matched = false;
  std::string_view key;   // $1
  std::string_view after; // $'
};
RackName rack_split_name(std::string_view name);

Node* read_rack(ReadContext& ctx);
Node* read_qs(ReadContext& ctx);
Node* read_php(ReadContext& ctx);

// Writers: append the form for a JSON value to out. Each throws hooktool::Error for what the
// dialect itself refuses (a top-level value that is not an object, where it raises).
struct WriteContext {
  const FormWriteOptions& opts;
  std::string out;
  std::string prefix;
  std::string_view separator() const { return opts.newline ? "&\n" : "&"; }
};
void write_rack(const Node& json, WriteContext& ctx);
void write_qs(const Node& json, WriteContext& ctx);
void write_php(const Node& json, WriteContext& ctx);

// Appends what names element i of an array: style, or the dialect's own (own_style) for
// ArrayStyle::Dialect; encoded writes the brackets as %5B %5D.
void append_array_key(std::string& prefix, size_t i, ArrayStyle style, ArrayStyle own_style,
                      bool encoded);
// Writes each element of array with write, under its name from append_array_key.
void write_elements(const Node& array, WriteContext& ctx, ArrayStyle own_style, bool encoded,
                    void (*write)(const Node&, WriteContext&));

// Escapes: Rack's URI.encode_www_form_component, PHP's urlencode, qs's RFC 3986 encoder.
void escape_rack(std::string_view text, std::string& out);
void escape_php(std::string_view text, std::string& out);
void escape_qs(std::string_view text, std::string& out);

// A sufficient condition for JSON to come back unchanged from its form, checked without writing
// or reading it: plain keys (no brackets, none the reader drops or turns into an index), short
// arrays of what the dialect nests safely, no null/empty/lossy scalar, shallow enough. When false,
// write_form reads the form back to find out. Rack and qs only (false for PHP).
bool plainly_round_trips(const Node& json, Dialect dialect, ArrayStyle arrays);

// A JSON value's text as the dialect writes it (numbers, true/false), or false for null.
bool scalar_text(const Node& value, Dialect dialect, std::string& out);

// Is key a canonical array index for JavaScript (0 .. 2^32-2)? PHP's integer keys (int64)?
bool is_js_index(std::string_view key, std::uint32_t* value = nullptr);
bool is_php_int_key(std::string_view key, std::int64_t* value = nullptr);

// Is name one of Object.prototype's (qs drops such keys)?
bool is_prototype_name(std::string_view name);

// JavaScript's property order: array indexes ascending, then the other keys in insertion order.
void sort_js_keys(Node& object);

} // namespace hooktool::form_detail
