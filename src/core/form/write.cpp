// Writing JSON as a form (see form_dialect.hpp): the three escapes, how each language prints a
// number, and the round-trip check that refuses (or, with --lossy, notes) what would not read back.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/form/detail.hpp"
#include "core/form/json_reader.hpp"
#include "core/util/error.hpp"

namespace hooktool {

using namespace form_detail;

namespace {

const char kHex[] = "0123456789ABCDEF";

void percent(unsigned char c, std::string& out) {
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_integer_literal(std::string_view literal) {
  return literal.find_first_of(".eE") == std::string_view::npos;
}

// The shortest digits that read back as d (d > 0), and the decimal point's position: d is
// 0.DIGITS times 10^decpt.
void shortest_digits(double d, std::string& digits, int& decpt) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(result.ptr - buf));
  size_t e = text.find('e');
  digits.clear();
  for (char c : text.substr(0, e))
    if (c != '.') digits.push_back(c);
  decpt = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;
}

std::string zeros(int n) { return std::string(static_cast<size_t>(n > 0 ? n : 0), '0'); }

// Ruby's Float#to_s.
std::string ruby_float(double d) {
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  std::string sign = std::signbit(d) ? "-" : "";
  if (d == 0) return sign + "0.0";
  std::string digits;
  int decpt = 0;
  shortest_digits(std::fabs(d), digits, decpt);
  const int k = static_cast<int>(digits.size());
  if (decpt > 0 && decpt < k)
    return sign + digits.substr(0, static_cast<size_t>(decpt)) + "." +
           digits.substr(static_cast<size_t>(decpt));
  if (decpt > 0 && decpt <= 15) return sign + digits + zeros(decpt - k) + ".0";
  if (decpt <= 0 && decpt > -4) return sign + "0." + zeros(-decpt) + digits;
  char exp[16];
  std::snprintf(exp, sizeof exp, "e%+03d", decpt - 1);
  return sign + digits.substr(0, 1) + "." + (k > 1 ? digits.substr(1) : "0") + exp;
}

// JavaScript's Number.prototype.toString.
std::string js_number(double d) {
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  std::string sign = d < 0 ? "-" : "";
  std::string digits;
  int n = 0;
  shortest_digits(std::fabs(d), digits, n);
  const int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) return sign + digits + zeros(n - k);
  if (0 < n && n <= 21)
    return sign + digits.substr(0, static_cast<size_t>(n)) + "." +
           digits.substr(static_cast<size_t>(n));
  if (-6 < n && n <= 0) return sign + "0." + zeros(-n) + digits;
  const int e = n - 1;
  return sign + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + "e" +
         (e >= 0 ? "+" : "-") + std::to_string(e >= 0 ? e : -e);
}

// PHP's "%.14G" (http_build_query on a float).
std::string php_float(double d) {
  if (std::isinf(d)) return d > 0 ? "INF" : "-INF";
  std::string sign = std::signbit(d) ? "-" : "";
  if (d == 0) return sign + "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.13e", std::fabs(d));
  std::string_view text(buf);
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e))
    if (c != '.') digits.push_back(c);
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  int decpt = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;
  const int k = static_cast<int>(digits.size());
  if (decpt < 0 ? decpt < -3 : decpt > 14) {
    int x = decpt - 1;
    return sign + digits.substr(0, 1) + "." + (k > 1 ? digits.substr(1) : "0") + "E" +
           (x < 0 ? "-" : "+") + std::to_string(x < 0 ? -x : x);
  }
  if (decpt < 0) return sign + "0." + zeros(-decpt) + digits;
  if (k <= decpt) return sign + digits + zeros(decpt - k);
  return sign + (decpt == 0 ? "0" : digits.substr(0, static_cast<size_t>(decpt))) + "." +
         digits.substr(static_cast<size_t>(decpt));
}

// An integer literal's digits, with "-0" as "0".
std::string canonical_integer(std::string_view literal) {
  if (literal.find_first_not_of("-0") == std::string_view::npos) return "0";
  return std::string(literal);
}

bool fits_int64(std::string_view literal) {
  std::int64_t v = 0;
  auto r = std::from_chars(literal.data(), literal.data() + literal.size(), v);
  return r.ec == std::errc() && r.ptr == literal.data() + literal.size();
}

double to_double(std::string_view literal) {
  return std::strtod(std::string(literal).c_str(), nullptr);
}

} // namespace

std::string format_number(std::string_view literal, Dialect dialect) {
  const bool integer = is_integer_literal(literal);
  switch (dialect) {
  case Dialect::Rack: return integer ? canonical_integer(literal) : ruby_float(to_double(literal));
  case Dialect::Qs: return js_number(to_double(literal));
  case Dialect::Php:
    return integer && fits_int64(literal) ? canonical_integer(literal)
                                          : php_float(to_double(literal));
  }
  return std::string(literal);
}

namespace form_detail {

namespace {

// Bytes kept as they are: 1; a space written as '+': 2; anything else is %XX.
struct EscapeTable {
  unsigned char kind[256] = {};
  EscapeTable(const char* extra, bool plus) {
    for (int c = 0; c < 256; ++c)
      kind[c] = is_alnum(static_cast<unsigned char>(c)) ? 1 : 0;
    for (const char* p = extra; *p; ++p)
      kind[static_cast<unsigned char>(*p)] = 1;
    if (plus) kind[static_cast<unsigned char>(' ')] = 2;
  }
};

void escape_with(const EscapeTable& table, std::string_view text, std::string& out) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (table.kind[c] == 1) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    if (table.kind[c] == 2) {
      out.push_back('+');
    } else {
      percent(c, out);
    }
  }
  out.append(text.data() + run, text.size() - run);
}

} // namespace

void escape_rack(std::string_view text, std::string& out) {
  static const EscapeTable table("*-._", true); // URI.encode_www_form_component
  escape_with(table, text, out);
}

void escape_php(std::string_view text, std::string& out) {
  static const EscapeTable table("-._", true); // urlencode
  escape_with(table, text, out);
}

void escape_qs(std::string_view text, std::string& out) {
  static const EscapeTable table("-._~", false); // qs's RFC 3986 encoder
  escape_with(table, text, out);
}

void append_array_key(std::string& prefix, size_t i, ArrayStyle style, ArrayStyle own_style,
                      bool encoded) {
  const char* open = encoded ? "%5B" : "[";
  const char* close = encoded ? "%5D" : "]";
  switch (style == ArrayStyle::Dialect ? own_style : style) {
  case ArrayStyle::Indices: prefix.append(open).append(std::to_string(i)).append(close); break;
  case ArrayStyle::Brackets: prefix.append(open).append(close); break;
  default: break; // repeat: the array's own name
  }
}

void write_elements(const Node& array, WriteContext& ctx, ArrayStyle own_style, bool encoded,
                    void (*write)(const Node&, WriteContext&)) {
  for (size_t i = 0; i < array.members.size(); ++i) {
    const size_t mark = ctx.prefix.size();
    append_array_key(ctx.prefix, i, ctx.opts.arrays, own_style, encoded);
    write(*array.members[i].value, ctx);
    ctx.prefix.resize(mark);
  }
}

bool scalar_text(const Node& value, Dialect dialect, std::string& out) {
  switch (value.kind) {
  case Kind::String: out.assign(value.text); return true;
  case Kind::True: out = dialect == Dialect::Php ? "1" : "true"; return true;
  case Kind::False: out = dialect == Dialect::Php ? "0" : "false"; return true;
  case Kind::Number: out = format_number(value.text, dialect); return true;
  default: out.clear(); return false;
  }
}

namespace {

bool plain_key(std::string_view key, Dialect dialect, bool nested) {
  if (key.empty()) return false;
  for (char c : key)
    if (c == '[' || c == ']') return false;
  if (dialect == Dialect::Qs) {
    if (is_prototype_name(key)) return false;
    std::uint32_t index = 0;
    if (nested && is_js_index(key, &index) && index <= 20) return false; // a[5] makes an array
  }
  return true;
}

// segments: how many names the form key of value has (the top-level name is 1).
bool plain_value(const Node& value, Dialect dialect, int segments, bool in_array) {
  switch (value.kind) {
  case Kind::Null: return dialect == Dialect::Rack;
  case Kind::True:
  case Kind::False:
  case Kind::String: return true;
  case Kind::Number: {
    std::string written = format_number(value.text, dialect);
    return is_json_number(written) &&
           (is_integer_literal(value.text) && is_integer_literal(written)
                ? canonical_integer(value.text) == canonical_integer(written)
                : std::isfinite(to_double(value.text)) &&
                      to_double(value.text) == to_double(written));
  }
  case Kind::Object:
    // Rack merges hashes in arrays; qs splits keys 5 levels deep at most.
    if (value.members.empty() || (dialect == Dialect::Rack && in_array)) return false;
    if (dialect == Dialect::Qs ? segments >= 6 : segments >= 90) return false;
    for (const auto& m : value.members)
      if (!plain_key(m.key, dialect, true) || !plain_value(*m.value, dialect, segments + 1, false))
        return false;
    return true;
  case Kind::Array:
    if (value.members.empty() || (dialect == Dialect::Rack && in_array)) return false;
    if (dialect == Dialect::Qs && (value.members.size() > 21 || segments >= 6)) return false;
    for (const auto& m : value.members)
      if (!plain_value(*m.value, dialect, segments + 1, true)) return false;
    return true;
  }
  return false;
}

} // namespace

bool plainly_round_trips(const Node& json, Dialect dialect, ArrayStyle arrays) {
  if (json.kind != Kind::Object || dialect == Dialect::Php) return false;
  const ArrayStyle own = dialect == Dialect::Rack ? ArrayStyle::Brackets : ArrayStyle::Indices;
  if (arrays != ArrayStyle::Dialect && arrays != own) return false;
  for (const auto& m : json.members)
    if (!plain_key(m.key, dialect, false) || !plain_value(*m.value, dialect, 1, false))
      return false;
  return true;
}

} // namespace form_detail

namespace {

struct Loss {
  std::string path;
  std::string why;
};

std::string path_key(const std::string& path, std::string_view key) {
  bool plain = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
  for (char c : key)
    if (!is_alnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  if (plain) return path + "." + std::string(key);
  std::string quoted;
  write_json_string(key, quoted);
  return path + "[" + quoted + "]";
}

std::string snippet(const Node* node) {
  if (!node) return "nothing";
  std::string text;
  write_json(*node, JsonStyle{false}, text);
  return printable(text, 60);
}

bool number_survives(std::string_view literal, const std::string& written) {
  if (!is_json_number(written)) return false;
  if (is_integer_literal(literal) && is_integer_literal(written))
    return canonical_integer(literal) == canonical_integer(written);
  double a = to_double(literal), b = to_double(written);
  return std::isfinite(a) && a == b;
}

class RoundTrip {
public:
  RoundTrip(Dialect dialect, std::vector<Loss>& losses) : m_dialect(dialect), m_losses(losses) {}

  void compare(const Node& want, const Node* got, const std::string& path) {
    if (m_losses.size() >= kMaxLosses) return;
    const char* name = dialect_name(m_dialect);
    if (path == "$" && want.kind != Kind::Object && !same_shape(want, got)) {
      lose(path, "a form is name=value pairs: the top level must be an object (" +
                     std::string(name) + " reads this back as " + snippet(got) + ")");
      return;
    }
    if (intrinsic(want, path)) return;
    if (!got) {
      if (has_intrinsic(want)) {
        descend_missing(want, path);
      } else {
        lose(path, std::string(name) + " does not read it back");
      }
      return;
    }
    switch (want.kind) {
    case Kind::Object: {
      if (got->kind != Kind::Object) break;
      const bool same_size = got->members.size() == want.members.size();
      for (size_t i = 0; i < want.members.size(); ++i) {
        const Member& m = want.members[i];
        // Mostly the keys come back in the same order: no need to look them up.
        const Node* back =
            same_size && got->members[i].key == m.key ? got->members[i].value : got->find(m.key);
        if (!back || !quick_same(*m.value, *back)) compare(*m.value, back, path_key(path, m.key));
        if (m_losses.size() >= kMaxLosses) return;
      }
      if (same_size) return; // every key of want was found, keys are unique: no extra ones
      for (const auto& m : got->members) {
        if (!want.find(m.key))
          lose(path_key(path, m.key),
               std::string(name) + " reads back a key that is not in the JSON");
        if (m_losses.size() >= kMaxLosses) return;
      }
      return;
    }
    case Kind::Array: {
      if (got->kind != Kind::Array || got->members.size() != want.members.size()) break;
      for (size_t i = 0; i < want.members.size(); ++i) {
        if (quick_same(*want.members[i].value, *got->members[i].value)) continue;
        compare(*want.members[i].value, got->members[i].value,
                path + "[" + std::to_string(i) + "]");
        if (m_losses.size() >= kMaxLosses) return;
      }
      return;
    }
    case Kind::Null:
      if (got->kind == Kind::Null) return;
      break;
    default: {
      std::string text;
      scalar_text(want, m_dialect, text);
      if (got->kind == Kind::String && got->text == text) return;
    }
    }
    lose(path, std::string(name) + " reads it back as " + snippet(got));
  }

  static constexpr size_t kMaxLosses = 5;

private:
  // What the dialect cannot write for this value itself, whatever surrounds it.
  std::string intrinsic_reason(const Node& want) const {
    if (want.is_container() && want.members.empty())
      return std::string("an empty ") + (want.kind == Kind::Array ? "array" : "object") +
             " writes nothing in a form";
    if (want.kind == Kind::Null && m_dialect != Dialect::Rack)
      return m_dialect == Dialect::Qs ? "qs writes null as an empty string"
                                      : "PHP leaves null values out";
    if ((want.kind == Kind::True || want.kind == Kind::False) && m_dialect == Dialect::Php)
      return "PHP writes true as 1 and false as 0";
    if (want.kind == Kind::Number) {
      std::string written = format_number(want.text, m_dialect);
      if (!number_survives(want.text, written))
        return std::string(dialect_name(m_dialect)) + " writes " + printable(want.text) + " as " +
               printable(written);
    }
    return "";
  }
  bool intrinsic(const Node& want, const std::string& path) {
    std::string why = intrinsic_reason(want);
    if (why.empty()) return false;
    lose(path, why);
    return true;
  }
  bool has_intrinsic(const Node& want) const {
    if (!intrinsic_reason(want).empty()) return true;
    for (const auto& m : want.members)
      if (has_intrinsic(*m.value)) return true;
    return false;
  }
  // A missing container whose parts are lost for their own reasons: report those parts.
  void descend_missing(const Node& want, const std::string& path) {
    for (size_t i = 0; i < want.members.size() && m_losses.size() < kMaxLosses; ++i) {
      const Member& m = want.members[i];
      std::string sub =
          want.kind == Kind::Array ? path + "[" + std::to_string(i) + "]" : path_key(path, m.key);
      if (!intrinsic(*m.value, sub) && has_intrinsic(*m.value)) descend_missing(*m.value, sub);
    }
  }
  // A string that came back as the same string: the common case, settled without building paths.
  static bool quick_same(const Node& want, const Node& got) {
    return want.kind == Kind::String && got.kind == Kind::String && want.text == got.text;
  }
  static bool same_shape(const Node& want, const Node* got) {
    return got && want.kind == Kind::Array && got->kind == Kind::Array;
  }
  void lose(const std::string& path, const std::string& why) { m_losses.push_back({path, why}); }

  Dialect m_dialect;
  std::vector<Loss>& m_losses;
};

} // namespace

std::string write_form(const Node& json, Dialect dialect, const FormWriteOptions& opts,
                       std::vector<std::string>* notes) {
  WriteContext ctx{opts, {}, {}};
  switch (dialect) {
  case Dialect::Rack: write_rack(json, ctx); break;
  case Dialect::Qs: write_qs(json, ctx); break;
  case Dialect::Php: write_php(json, ctx); break;
  }

  // Read the form back the same way; what differs is what the form cannot carry.
  std::vector<Loss> losses;
  std::string flat;
  if (opts.newline) {
    flat.reserve(ctx.out.size());
    for (char c : ctx.out)
      if (c != '\n') flat.push_back(c);
  }
  FormReadOptions reread;
  reread.max_depth = 1000;
  if (plainly_round_trips(json, dialect, opts.arrays)) return std::move(ctx.out);
  try {
    Tree back = read_form(opts.newline ? std::string_view(flat) : std::string_view(ctx.out),
                          dialect, reread);
    RoundTrip(dialect, losses).compare(json, back.root, "$");
  } catch (const Error& e) {
    losses.push_back(
        {"$", std::string(dialect_name(dialect)) + " cannot read the form back: " + e.what()});
  }
  if (!losses.empty() && !opts.lossy)
    throw Error("cannot write this JSON as a " + std::string(dialect_name(dialect)) + " form: " +
                losses.front().why + "; --lossy writes it anyway (" + losses.front().path + ")");
  if (notes) {
    for (const auto& loss : losses)
      notes->push_back("lossy: " + loss.why + " (" + loss.path + ")");
    if (losses.size() >= RoundTrip::kMaxLosses) notes->push_back("lossy: and perhaps more");
  }
  return std::move(ctx.out);
}

} // namespace hooktool
