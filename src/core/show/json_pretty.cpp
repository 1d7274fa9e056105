// JSON pretty-printed for reading (see json_pretty.hpp).
#include "core/show/json_pretty.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/show/capture.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

namespace {

// The layout both JSON pretty-printers write, that of dump(2): two-space indent, "key": value, an
// empty object or array as {} or [], colours optional. Each token is appended in place: the
// listener renders every request it gets, so no token makes a string of its own.
class PrettyLayout {
public:
  PrettyLayout(bool color, std::size_t size_hint) : m_color(color) { out.reserve(size_hint); }

  bool in_array() const { return !m_levels.empty() && m_levels.back().array; }
  bool nested() const { return !m_levels.empty(); }
  // Before a member of an object (at its key) or an element of an array.
  void separate() {
    if (m_levels.empty()) return;
    out += m_levels.back().empty ? "\n" : ",\n";
    m_levels.back().empty = false;
    out.append(m_levels.size() * 2, ' ');
  }
  void before_value() {
    if (in_array()) separate();
  }
  void open(char bracket) {
    out += bracket;
    m_levels.push_back({bracket == '[', true});
  }
  void close(char bracket) {
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty) {
      out += "\n";
      out.append(m_levels.size() * 2, ' ');
    }
    out += bracket;
  }
  void begin_paint(const char* sgr) {
    if (!m_color) return;
    out += "\033[";
    out += sgr;
    out += 'm';
  }
  void end_paint() {
    if (m_color) out += "\033[0m";
  }
  void token(std::string_view text, const char* sgr) {
    begin_paint(sgr);
    out += text;
    end_paint();
  }

  std::string out;

private:
  struct Level {
    bool array;
    bool empty;
  };
  bool m_color;
  std::vector<Level> m_levels;
};

// Pretty-prints JSON as it is parsed, without building a tree: numbers keep the digits they were
// sent with (1.50 stays 1.50, integers beyond 64 bits are not rounded), and there is one pass.
class PrettySax : public nlohmann::json_sax<nlohmann::ordered_json> {
public:
  PrettySax(bool color, std::size_t size_hint) : m_layout(color, size_hint) {}
  std::string take() { return std::move(m_layout.out); }

  bool null() override { return scalar("null", "35"); }
  bool boolean(bool value) override { return scalar(value ? "true" : "false", "35"); }
  bool number_integer(number_integer_t value) override { return number(value); }
  bool number_unsigned(number_unsigned_t value) override { return number(value); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text, "36"); }
  bool string(string_t& value) override {
    m_layout.before_value();
    quoted(value, "32");
    return true;
  }
  bool binary(binary_t&) override { return false; } // not in JSON text
  bool start_object(std::size_t) override { return open('{'); }
  bool key(string_t& name) override {
    m_layout.separate();
    quoted(name, "34");
    m_layout.out += ": ";
    return true;
  }
  bool end_object() override { return close('}'); }
  bool start_array(std::size_t) override { return open('['); }
  bool end_array() override { return close(']'); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

private:
  void quoted(const std::string& text, const char* sgr) {
    m_layout.begin_paint(sgr);
    append_json_string(m_layout.out, text);
    m_layout.end_paint();
  }
  bool scalar(std::string_view text, const char* sgr) {
    m_layout.before_value();
    m_layout.token(text, sgr);
    return true;
  }
  template <typename Integer> bool number(Integer value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return scalar(std::string_view(digits, static_cast<std::size_t>(end - digits)), "36");
  }
  bool open(char bracket) {
    m_layout.before_value();
    m_layout.open(bracket);
    return true;
  }
  bool close(char bracket) {
    m_layout.close(bracket);
    return true;
  }

  PrettyLayout m_layout;
};

// The pretty-printer of pretty_json_bytes (see render.hpp): one pass over the bytes, in the layout
// PrettySax writes.
class JsonBytesPrinter {
public:
  JsonBytesPrinter(std::string_view in, bool color) : m_in(in), m_layout(color, in.size() * 2) {}

  std::optional<std::string> run() {
    enum class Expect { Value, Key, AfterValue } expect = Expect::Value;
    skip_space();
    for (;;) {
      if (expect == Expect::AfterValue) {
        skip_space();
        if (!m_layout.nested()) {
          if (m_at != m_in.size()) return std::nullopt;
          return std::move(m_layout.out);
        }
        if (m_at >= m_in.size()) return std::nullopt;
        const char c = m_in[m_at++];
        if (c == ',') {
          skip_space();
          expect = m_layout.in_array() ? Expect::Value : Expect::Key;
        } else if (c == (m_layout.in_array() ? ']' : '}')) {
          m_layout.close(c);
        } else {
          return std::nullopt;
        }
        continue;
      }
      if (m_at >= m_in.size()) return std::nullopt;
      if (expect == Expect::Key) {
        m_layout.separate();
        if (m_in[m_at] != '"' || !string("34")) return std::nullopt;
        skip_space();
        if (m_at >= m_in.size() || m_in[m_at] != ':') return std::nullopt;
        ++m_at;
        m_layout.out += ": ";
        skip_space();
        expect = Expect::Value;
        continue;
      }
      m_layout.before_value();
      const char c = m_in[m_at];
      if (c == '{' || c == '[') {
        ++m_at;
        m_layout.open(c);
        skip_space();
        const char closing = c == '[' ? ']' : '}';
        if (m_at < m_in.size() && m_in[m_at] == closing) {
          ++m_at;
          m_layout.close(closing);
          expect = Expect::AfterValue;
        } else {
          expect = c == '[' ? Expect::Value : Expect::Key;
        }
        continue;
      }
      const bool ok = c == '"'                  ? string("32")
                      : c == '-' || is_digit(c) ? number()
                      : c == 't'                ? literal("true")
                      : c == 'f'                ? literal("false")
                      : c == 'n'                ? literal("null")
                                                : false;
      if (!ok) return std::nullopt;
      expect = Expect::AfterValue;
    }
  }

private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  void skip_space() {
    while (m_at < m_in.size() &&
           (m_in[m_at] == ' ' || m_in[m_at] == '\n' || m_in[m_at] == '\r' || m_in[m_at] == '\t'))
      ++m_at;
  }
  void emit(std::size_t from, const char* sgr) {
    m_layout.token(m_in.substr(from, m_at - from), sgr);
  }
  // A string without escapes (one with them goes to the full parser: nlohmann writes them
  // decoded), control characters or bytes that are not UTF-8.
  bool string(const char* sgr) {
    const std::size_t from = m_at++;
    while (m_at < m_in.size()) {
      const auto c = static_cast<unsigned char>(m_in[m_at]);
      if (c == '"') {
        ++m_at;
        emit(from, sgr);
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      if (c < 0x80) {
        ++m_at;
      } else {
        const std::size_t len = utf8_sequence(m_in, m_at);
        if (len == 0) return false;
        m_at += len;
      }
    }
    return false;
  }
  // RFC 8259's number. -0 goes to the full parser (it writes 0), and so does a number beyond a
  // double (it rejects it).
  bool number() {
    const std::size_t from = m_at;
    if (m_in[m_at] == '-') ++m_at;
    if (m_at >= m_in.size() || !is_digit(m_in[m_at])) return false;
    const bool zero = m_in[m_at] == '0';
    ++m_at;
    if (!zero)
      while (m_at < m_in.size() && is_digit(m_in[m_at]))
        ++m_at;
    bool integer = true;
    if (m_at < m_in.size() && m_in[m_at] == '.') {
      integer = false;
      if (++m_at >= m_in.size() || !is_digit(m_in[m_at])) return false;
      while (m_at < m_in.size() && is_digit(m_in[m_at]))
        ++m_at;
    }
    if (m_at < m_in.size() && (m_in[m_at] == 'e' || m_in[m_at] == 'E')) {
      integer = false;
      if (++m_at < m_in.size() && (m_in[m_at] == '+' || m_in[m_at] == '-')) ++m_at;
      if (m_at >= m_in.size() || !is_digit(m_in[m_at])) return false;
      while (m_at < m_in.size() && is_digit(m_in[m_at]))
        ++m_at;
    }
    const std::string_view token = m_in.substr(from, m_at - from);
    if (integer && token == "-0") return false;
    if (!integer && !std::isfinite(std::strtod(std::string(token).c_str(), nullptr))) return false;
    emit(from, "36");
    return true;
  }
  bool literal(std::string_view word) {
    if (m_in.substr(m_at, word.size()) != word) return false;
    const std::size_t from = m_at;
    m_at += word.size();
    emit(from, "35");
    return true;
  }

  std::string_view m_in;
  PrettyLayout m_layout;
  std::size_t m_at = 0;
};

} // namespace

std::optional<std::string> pretty_json_bytes(std::string_view json, bool color) {
  return JsonBytesPrinter(json, color).run();
}

std::optional<std::string> pretty_json_parsed(std::string_view json, bool color) {
  PrettySax sax(color, json.size() * 2);
  if (!nlohmann::ordered_json::sax_parse(json.begin(), json.end(), &sax)) return std::nullopt;
  return sax.take();
}

} // namespace hooktool
