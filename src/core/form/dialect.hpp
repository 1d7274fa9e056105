// application/x-www-form-urlencoded with bracket nesting, read and written the way each of three
// server stacks does it with its default options, quirks and errors included:
//   rack  Ruby's Rack 2.2  Rack::Utils.parse_nested_query / build_nested_query (Rails, Sinatra)
//   qs    node's qs 6      qs.parse / qs.stringify (Express)
//   php   PHP 8.2          parse_str + json_encode / json_decode + http_build_query
// Resource limits that only refuse or truncate big bodies (Rack's 4 MiB and 4096 parameters, qs's
// 1000 parameters, PHP's max_input_vars) are not applied; a note says when a body passes one.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/form/tree.hpp"

namespace hooktool {

enum class Dialect { Rack, Qs, Php };

std::optional<Dialect> parse_dialect(std::string_view name);
const char* dialect_name(Dialect dialect);
const std::vector<Dialect>& all_dialects();

struct FormReadOptions {
  int max_depth = 32; // deeper nesting is an error
  bool types = false; // values that read as JSON numbers, true, false or null become those
};

// Reads body the way dialect does. The tree's strings may point into body, which must outlive it.
// Throws hooktool::Error "<what> (byte N)" for what the dialect rejects, invalid UTF-8 (in the
// body, or in what a %-escape decodes to, where that reaches the result) and nesting past
// max_depth. notes (optional) collects things worth telling: limits passed, unbalanced brackets.
Tree read_form(std::string_view body, Dialect dialect, const FormReadOptions& opts,
               std::vector<std::string>* notes = nullptr);

// The decoder for other commands (listen renders form bodies with it): default options.
nlohmann::ordered_json decode_form(std::string_view body, Dialect dialect);

enum class ArrayStyle { Dialect, Brackets, Indices, Repeat };
std::optional<ArrayStyle> parse_array_style(std::string_view name);

struct FormWriteOptions {
  ArrayStyle arrays = ArrayStyle::Dialect; // the dialect's own: rack brackets, qs and php indices
  bool newline = false;                    // "&\n" between pairs, for reading
  bool lossy = false;                      // write what does not read back, with a note per path
};

// Writes a JSON tree as dialect writes it. Unless opts.lossy, refuses (hooktool::Error naming the
// JSON path) what would not read back as the same JSON through the same dialect: empty arrays and
// objects, null where the dialect drops or blanks it, keys the reader would split or rename...
// With opts.lossy it writes it anyway and adds a note per path to notes.
std::string write_form(const Node& json, Dialect dialect, const FormWriteOptions& opts,
                       std::vector<std::string>* notes = nullptr);

// Values that read as JSON numbers, true, false or null become those (strings only, not keys).
void apply_types(Node& node);

// How dialect writes a JSON number literal as a form value (Ruby's Integer/Float#to_s, JavaScript's
// Number#toString, PHP's json_decode then "%.14G").
std::string format_number(std::string_view literal, Dialect dialect);

} // namespace hooktool
