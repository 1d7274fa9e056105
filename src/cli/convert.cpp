// hooktool convert: a JSON document as a URL-encoded form and back, the way Rack, qs or PHP reads
// and writes it; --dialect all shows the three readings of a form side by side.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/form/detect.hpp"
#include "core/form/dialect.hpp"
#include "core/form/json_reader.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli {

namespace {

struct ConvertOptions {
  std::string input;
  std::string to;   // json or form; empty: the other one
  std::string from; // json or form; empty: detected
  std::string output;
  std::string dialect = "rack";
  std::string arrays;
  bool types = false;
  bool pretty = false;
  bool compact = false;
  bool newline = false;
  bool lossy = false;
  int max_depth = 32;
};

constexpr int kDepthCeiling = 1000;

enum class Format { Json, Form };

Format parse_format(const std::string& text, const char* flag) {
  if (text == "json") return Format::Json;
  if (text == "form") return Format::Form;
  throw Error("unknown format '" + text + "': use json or form (" + flag + ")");
}

// JSON when it looks like JSON; anything else is read as a form.
Format detect(std::string_view body) { return looks_like_json(body) ? Format::Json : Format::Form; }

struct Resolved {
  Format from = Format::Form;
  Format to = Format::Json;
  bool all = false;
  Dialect dialect = Dialect::Rack;
  bool pretty = false;
  FormReadOptions read;
  FormWriteOptions write;
};

Resolved resolve(const ConvertOptions& opts, std::string_view body) {
  Resolved r;
  if (opts.dialect == "all") {
    r.all = true;
  } else if (auto d = parse_dialect(opts.dialect)) {
    r.dialect = *d;
  } else {
    auto hint = did_you_mean(opts.dialect, {"rack", "qs", "php", "all"});
    throw Error("unknown dialect '" + opts.dialect + "': use rack, qs, php or all" +
                (hint.empty() ? "" : "; " + hint) + " (--dialect)");
  }
  if (!opts.arrays.empty()) {
    auto style = parse_array_style(opts.arrays);
    if (!style)
      throw Error("unknown array style '" + opts.arrays +
                  "': use brackets, indices or repeat (--arrays)");
    r.write.arrays = *style;
  }
  if (opts.max_depth < 1 || opts.max_depth > kDepthCeiling)
    throw Error("--max-depth must be from 1 to " + std::to_string(kDepthCeiling) +
                " (--max-depth)");
  if (opts.pretty && opts.compact) throw Error("give --pretty or --compact, not both (--compact)");
  r.from = opts.from.empty() ? detect(body) : parse_format(opts.from, "--from");
  if (opts.to.empty()) {
    r.to = r.from == Format::Json ? Format::Form : Format::Json;
  } else {
    r.to = parse_format(opts.to, "--to");
  }
  if (r.all && r.to == Format::Form)
    throw Error("--dialect all shows how the three read a form; to write one, pick rack, qs or php "
                "(--dialect)");
  r.pretty = opts.pretty || (!opts.compact && opts.output.empty() && ::isatty(STDOUT_FILENO) == 1);
  r.read.max_depth = opts.max_depth;
  r.read.types = opts.types;
  r.write.newline = opts.newline;
  r.write.lossy = opts.lossy;
  return r;
}

// --dialect all: each dialect's reading, or the error it stops with.
struct Reading {
  Dialect dialect;
  Tree tree;
  std::string error;
};

// The top-level entries of a reading, as (name, value); an array's names are its indexes.
std::vector<std::pair<std::string, const Node*>> entries(const Reading& r) {
  std::vector<std::pair<std::string, const Node*>> out;
  if (!r.error.empty()) return out;
  const Node& root = *r.tree.root;
  for (size_t i = 0; i < root.members.size(); ++i)
    out.emplace_back(root.kind == Kind::Array ? std::to_string(i)
                                              : std::string(root.members[i].key),
                     root.members[i].value);
  return out;
}

std::string compact_json(const Node* node) {
  std::string text;
  if (node) write_json(*node, JsonStyle{false}, text);
  return text;
}

size_t display_width(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string fit(std::string text, size_t width) {
  constexpr size_t kMax = 48;
  if (display_width(text) > kMax) {
    size_t keep = 0, chars = 0;
    while (keep < text.size() && chars < kMax - 1) {
      ++keep;
      while (keep < text.size() && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
        ++keep;
      ++chars;
    }
    text = text.substr(0, keep) + "…";
  }
  size_t w = display_width(text);
  if (w < width) text.append(width - w, ' ');
  return text;
}

// --dialect all for machines: one JSON object through the one JSON writer (print_json's).
std::string all_json(const std::vector<Reading>& readings, const std::vector<std::string>& names,
                     const std::vector<bool>& differs, bool any_error) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  nlohmann::ordered_json errors = nlohmann::ordered_json::object();
  for (const auto& r : readings) {
    doc[dialect_name(r.dialect)] = r.error.empty() ? to_ordered_json(*r.tree.root) : nullptr;
    if (!r.error.empty()) errors[dialect_name(r.dialect)] = r.error;
  }
  if (any_error) doc["errors"] = errors;
  nlohmann::ordered_json differ = nlohmann::ordered_json::array();
  for (size_t row = 0; row < names.size(); ++row)
    if (differs[row]) differ.push_back(names[row]);
  doc["differ"] = differ;
  return json_text(doc, -1);
}

std::string render_all(const std::vector<Reading>& readings, bool pretty, const Style& style) {
  // The names in order of first appearance, each with its value in every reading.
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells; // per name, per reading: compact JSON or ""
  for (size_t r = 0; r < readings.size(); ++r) {
    for (const auto& [name, value] : entries(readings[r])) {
      size_t row = std::find(names.begin(), names.end(), name) - names.begin();
      if (row == names.size()) {
        names.push_back(name);
        cells.emplace_back(readings.size());
      }
      cells[row][r] = compact_json(value);
    }
  }
  std::vector<bool> differs(names.size(), false);
  bool any_error = false;
  for (const auto& r : readings)
    any_error = any_error || !r.error.empty();
  for (size_t row = 0; row < names.size(); ++row)
    for (size_t r = 1; r < readings.size(); ++r)
      if (cells[row][r] != cells[row][0] || !readings[r].error.empty() ||
          !readings[0].error.empty())
        differs[row] = true;

  if (!pretty) return all_json(readings, names, differs, any_error);

  std::string out;

  std::vector<size_t> width(readings.size() + 1, 0);
  width[0] = display_width("name");
  for (const auto& n : names)
    width[0] = std::max(width[0], std::min<size_t>(display_width(n), 48));
  for (size_t r = 0; r < readings.size(); ++r) {
    width[r + 1] = display_width(dialect_name(readings[r].dialect));
    if (!readings[r].error.empty()) width[r + 1] = std::max<size_t>(width[r + 1], 7); // "(error)"
    for (const auto& row : cells)
      width[r + 1] = std::max(width[r + 1], std::min<size_t>(display_width(row[r]), 48));
  }
  std::string header = fit("name", width[0]);
  for (size_t r = 0; r < readings.size(); ++r)
    header += "  " + fit(dialect_name(readings[r].dialect), width[r + 1]);
  while (!header.empty() && header.back() == ' ')
    header.pop_back();
  out += style.bold(header) + "\n";
  size_t differing = 0;
  for (size_t row = 0; row < names.size(); ++row) {
    std::string line = fit(names[row], width[0]);
    for (size_t r = 0; r < readings.size(); ++r) {
      std::string cell = !readings[r].error.empty() ? "(error)"
                         : cells[row][r].empty()    ? "-"
                                                    : cells[row][r];
      line += "  " + fit(cell, width[r + 1]);
    }
    if (differs[row]) {
      ++differing;
      line += "  " + style.warn("≠");
    } else {
      while (!line.empty() && line.back() == ' ')
        line.pop_back();
    }
    out += line + "\n";
  }
  for (const auto& r : readings)
    if (!r.error.empty())
      out += style.bad(std::string(dialect_name(r.dialect)) + ": error: ") + r.error + "\n";
  if (names.empty() && !any_error) {
    out += "(no parameters)\n";
  } else if (differing == 0 && !any_error) {
    out += style.good("rack, qs and php read it the same way") + "\n";
  } else {
    out += style.warn("they differ on " + std::to_string(differing) + " of " +
                      std::to_string(names.size()) + (names.size() == 1 ? " name" : " names")) +
           (any_error ? " (and not all of them read it)" : "") + "\n";
  }
  return out;
}

std::string convert_all(std::string_view body, const Resolved& r, const Global& global) {
  std::vector<Reading> readings;
  for (Dialect d : all_dialects()) {
    Reading reading{d, Tree(), ""};
    try {
      reading.tree = read_form(body, d, r.read);
    } catch (const Error& e) {
      reading.error = e.what();
    }
    readings.push_back(std::move(reading));
  }
  bool any_read = false;
  for (const auto& reading : readings)
    any_read = any_read || reading.error.empty();
  if (!any_read) throw Error(readings.front().error + "");
  return render_all(readings, r.pretty, Style{global.use_color && r.pretty});
}

void write_output(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw Error("cannot write " + path + ": " + std::strerror(errno) + " (--output)");
  file.write(text.data(), static_cast<std::streamsize>(text.size()));
  file.close();
  if (!file) throw Error("cannot write " + path + ": " + std::strerror(errno) + " (--output)");
}

int run_convert(const ConvertOptions& opts, const Global& global) {
  Payload payload = open_payload(opts.input);
  const std::string& body = payload.read_all();
  const Resolved r = resolve(opts, body);
  std::vector<std::string> notes;
  std::string out;

  if (r.from == Format::Form && r.to == Format::Json) {
    if (!body.empty() && body.back() == '\n')
      notes.push_back("the form ends with a newline, which is read as part of the last value");
    if (r.all) {
      out = convert_all(body, r, global);
    } else {
      Tree tree = read_form(body, r.dialect, r.read, &notes);
      write_json(*tree.root, JsonStyle{r.pretty}, out);
      out.push_back('\n');
    }
  } else if (r.from == Format::Json) {
    Tree tree = read_json(body, r.read.max_depth);
    if (r.to == Format::Form) {
      out = write_form(*tree.root, r.dialect, r.write, &notes);
      if (::isatty(STDOUT_FILENO) == 1 && opts.output.empty()) out.push_back('\n');
    } else {
      write_json(*tree.root, JsonStyle{r.pretty}, out);
      out.push_back('\n');
    }
  } else {
    if (r.all)
      throw Error("--dialect all shows how the three read a form; to write one, pick rack, qs or "
                  "php (--dialect)");
    Tree tree = read_form(body, r.dialect, r.read, &notes);
    out = write_form(*tree.root, r.dialect, r.write, &notes);
    if (::isatty(STDOUT_FILENO) == 1 && opts.output.empty()) out.push_back('\n');
  }
  for (const auto& n : notes)
    note(n);
  if (global.verbose)
    note("read " + std::to_string(body.size()) + " bytes of " + payload.label() + ", wrote " +
         std::to_string(out.size()));
  write_output(out, opts.output);
  return kExitOk;
}

} // namespace

void setup_convert(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<ConvertOptions>();
  app.add_option("input", opts->input, "Form or JSON file, or - for stdin (default stdin)")
      ->option_text("FILE");
  app.add_option("--to", opts->to, "Write json or form (default: the other one)")
      ->option_text("FORMAT");
  app.add_option("--from", opts->from, "Read json or form (default: detected from the content)")
      ->option_text("FORMAT");
  app.add_option("--output,-o", opts->output, "Write to FILE instead of stdout")
      ->option_text("FILE");
  app.add_option("--dialect", opts->dialect,
                 "Whose rules: rack (default), qs, php, or all to compare the three readings")
      ->option_text("NAME");
  app.add_flag("--types", opts->types,
               "Read numbers, true, false and null as JSON values, not strings");
  app.add_flag("--pretty", opts->pretty, "Indented JSON (the default on a terminal)");
  app.add_flag("--compact", opts->compact, "JSON on one line (the default when piped)");
  app.add_option("--arrays", opts->arrays,
                 "Write arrays as brackets a[]=, indices a[0]= or repeat a=")
      ->option_text("STYLE");
  app.add_flag("--newline", opts->newline, "Put each pair of a form on its own line, for reading");
  app.add_flag("--lossy", opts->lossy,
               "Write JSON a form cannot carry anyway, with a note for each loss");
  app.add_option("--max-depth", opts->max_depth, "Refuse nesting deeper than N (default 32)")
      ->option_text("N");
  app.callback([opts, &global, &action] {
    action = [opts, &global] { return run_convert(*opts, global); };
  });
}

} // namespace hooktool::cli
