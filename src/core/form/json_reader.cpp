// JSON reader (see json_reader.hpp): recursive descent over the bytes, depth bounded by max_depth.
#include "core/form/json_reader.hpp"

#include <string>

#include "core/util/error.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int json_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the number literal at the start of text, or 0 if there is none.
size_t number_length(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  if (i < n && text[i] == '-') ++i;
  if (i >= n || !is_digit(text[i])) return 0;
  if (text[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(text[i]))
      ++i;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (i >= n || !is_digit(text[i])) return 0;
    while (i < n && is_digit(text[i]))
      ++i;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (i >= n || !is_digit(text[i])) return 0;
    while (i < n && is_digit(text[i]))
      ++i;
  }
  return i;
}

class Reader {
public:
  Reader(std::string_view text, int max_depth, Tree& tree)
      : m_text(text), m_max_depth(max_depth), m_tree(tree) {}

  Node* document() {
    skip_space();
    if (m_at >= m_text.size()) fail("the document is empty");
    Node* root = value(0);
    skip_space();
    if (m_at < m_text.size()) fail("unexpected text after the JSON value");
    return root;
  }

private:
  [[noreturn]] void fail(const std::string& what) { fail_at(what, m_at); }
  [[noreturn]] void fail_at(const std::string& what, size_t at) {
    const bool utf8 = what.rfind("invalid UTF-8", 0) == 0;
    const bool depth = what.rfind("nesting", 0) == 0;
    throw Error((utf8 || depth ? "" : "JSON syntax error: ") + what + " (" +
                line_column(m_text, at) + ")");
  }

  void skip_space() {
    while (m_at < m_text.size()) {
      char c = m_text[m_at];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++m_at;
    }
  }

  std::string describe_here() const {
    if (m_at >= m_text.size()) return "the end of the input";
    char c = m_text[m_at];
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return "a byte that is not JSON";
    return std::string("'") + c + "'";
  }

  Node* value(int depth) {
    if (m_at >= m_text.size()) fail("expected a value, found the end of the input");
    char c = m_text[m_at];
    switch (c) {
    case '{': return object(depth + 1);
    case '[': return array(depth + 1);
    case '"': return m_tree.make(Kind::String, string());
    case 't': return literal("true", Kind::True);
    case 'f': return literal("false", Kind::False);
    case 'n': return literal("null", Kind::Null);
    default: break;
    }
    if (c == '-' || is_digit(c)) {
      size_t len = number_length(m_text.substr(m_at));
      if (len == 0) fail("malformed number");
      Node* n = m_tree.make(Kind::Number, m_text.substr(m_at, len));
      m_at += len;
      return n;
    }
    fail("expected a value, found " + describe_here());
  }

  Node* literal(std::string_view word, Kind kind) {
    if (m_text.substr(m_at, word.size()) != word)
      fail("invalid literal (expected " + std::string(word) + ")");
    m_at += word.size();
    return m_tree.make(kind);
  }

  void enter(int depth) {
    if (depth > m_max_depth) fail("nesting deeper than --max-depth " + std::to_string(m_max_depth));
  }

  Node* object(int depth) {
    enter(depth);
    Node* obj = m_tree.make(Kind::Object);
    ++m_at; // {
    skip_space();
    if (m_at < m_text.size() && m_text[m_at] == '}') {
      ++m_at;
      return obj;
    }
    while (true) {
      skip_space();
      if (m_at >= m_text.size() || m_text[m_at] != '"')
        fail("expected a member name in double quotes, found " + describe_here());
      std::string_view key = string();
      skip_space();
      if (m_at >= m_text.size() || m_text[m_at] != ':')
        fail("expected ':' after a member name, found " + describe_here());
      ++m_at;
      skip_space();
      obj->set(key, value(depth));
      skip_space();
      if (m_at < m_text.size() && m_text[m_at] == ',') {
        ++m_at;
        continue;
      }
      if (m_at < m_text.size() && m_text[m_at] == '}') {
        ++m_at;
        return obj;
      }
      fail("expected ',' or '}' after an object member, found " + describe_here());
    }
  }

  Node* array(int depth) {
    enter(depth);
    Node* arr = m_tree.make(Kind::Array);
    ++m_at; // [
    skip_space();
    if (m_at < m_text.size() && m_text[m_at] == ']') {
      ++m_at;
      return arr;
    }
    while (true) {
      skip_space();
      arr->members.push_back({{}, value(depth)});
      skip_space();
      if (m_at < m_text.size() && m_text[m_at] == ',') {
        ++m_at;
        continue;
      }
      if (m_at < m_text.size() && m_text[m_at] == ']') {
        ++m_at;
        return arr;
      }
      fail("expected ',' or ']' after an array element, found " + describe_here());
    }
  }

  // At the opening quote; returns the unescaped bytes.
  std::string_view string() {
    const size_t open = m_at++;
    const size_t start = m_at;
    // Fast path: no escapes, so the bytes can stay where they are.
    while (m_at < m_text.size()) {
      auto c = static_cast<unsigned char>(m_text[m_at]);
      if (c == '"') {
        ++m_at;
        return m_text.substr(start, m_at - 1 - start);
      }
      if (c == '\\') break;
      if (c < 0x20) fail("control character in a string (escape it as \\u00XX)");
      if (c < 0x80) {
        ++m_at;
      } else {
        size_t len = utf8_sequence(m_text, m_at);
        if (len == 0) fail("invalid UTF-8 in a string");
        m_at += len;
      }
    }
    if (m_at >= m_text.size()) fail_at("unterminated string", open);
    std::string out(m_text.substr(start, m_at - start));
    while (m_at < m_text.size()) {
      auto c = static_cast<unsigned char>(m_text[m_at]);
      if (c == '"') {
        ++m_at;
        return m_tree.store(out);
      }
      if (c == '\\') {
        escape(out);
        continue;
      }
      if (c < 0x20) fail("control character in a string (escape it as \\u00XX)");
      size_t len = c < 0x80 ? 1 : utf8_sequence(m_text, m_at);
      if (len == 0) fail("invalid UTF-8 in a string");
      out.append(m_text.substr(m_at, len));
      m_at += len;
    }
    fail_at("unterminated string", open);
  }

  void escape(std::string& out) {
    const size_t at = m_at++;
    if (m_at >= m_text.size()) fail_at("unterminated string", at);
    char e = m_text[m_at++];
    switch (e) {
    case '"': out.push_back('"'); return;
    case '\\': out.push_back('\\'); return;
    case '/': out.push_back('/'); return;
    case 'b': out.push_back('\b'); return;
    case 'f': out.push_back('\f'); return;
    case 'n': out.push_back('\n'); return;
    case 'r': out.push_back('\r'); return;
    case 't': out.push_back('\t'); return;
    case 'u': break;
    default:
      fail_at(std::string("invalid escape \\") +
                  (static_cast<unsigned char>(e) < 0x80 ? std::string(1, e) : "…"),
              at);
    }
    char32_t cp = hex4(at);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (m_text.substr(m_at, 2) != "\\u") fail_at("lone surrogate \\u" + hex_text(at), at);
      m_at += 2;
      char32_t low = hex4(at);
      if (low < 0xDC00 || low > 0xDFFF) fail_at("lone surrogate \\u" + hex_text(at), at);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fail_at("lone surrogate \\u" + hex_text(at), at);
    }
    append_utf8(out, cp);
  }

  std::string hex_text(size_t escape_at) const {
    return std::string(m_text.substr(escape_at + 2, 4));
  }

  char32_t hex4(size_t escape_at) {
    if (m_at + 4 > m_text.size()) fail_at("truncated \\u escape", escape_at);
    char32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = json_hex_value(m_text[m_at + static_cast<size_t>(i)]);
      if (h < 0) fail_at("invalid \\u escape (four hex digits expected)", escape_at);
      v = v * 16 + static_cast<char32_t>(h);
    }
    m_at += 4;
    return v;
  }

  std::string_view m_text;
  int m_max_depth;
  Tree& m_tree;
  size_t m_at = 0;
};

} // namespace

bool is_json_number(std::string_view text) {
  return !text.empty() && number_length(text) == text.size();
}

Tree read_json(std::string_view text, int max_depth) {
  Tree tree;
  Reader reader(text, max_depth, tree);
  tree.root = reader.document();
  return tree;
}

} // namespace hooktool
