// The built-in scheme table is data: schemes/builtin.json, compiled in by
// cmake/EmbedSchemes.cmake and parsed here on first use. The facts are the providers' own
// documentation and official SDKs; the published vectors that pin each row (SW-1, ST-1, GH-1, ...
// by the reference's IDs) are checked in tests/unit/signature/ (test_signature.cpp,
// test_twilio.cpp, test_scheme.cpp).
#include "core/signature/scheme.hpp"

#include <cctype>
#include <mutex>
#include <utility>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool {

// Generated (schemes_embedded.cpp): each row of schemes/builtin.json, by name, as JSON text.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_scheme_rows();

using Kind = TemplatePart::Kind;

bool SignedTemplate::uses(Kind kind) const {
  for (const auto& p : parts)
    if (p.kind == kind) return true;
  return false;
}

bool SignedTemplate::streams_body() const {
  int bodies = 0;
  for (const auto& p : parts) {
    if (p.kind == Kind::FormSorted || p.kind == Kind::BodyToken) return false;
    bodies += p.kind == Kind::Body;
  }
  return bodies <= 1;
}

SignedTemplate parse_template(std::string_view text, std::string_view where) {
  SignedTemplate t;
  t.source = std::string(text);
  auto fail = [&](const std::string& what) {
    throw Error(what + " in the signed template '" + std::string(text.substr(0, 80)) + "' (" +
                std::string(where) + ")");
  };
  auto literal = [&](std::string_view piece) {
    if (!t.parts.empty() && t.parts.back().kind == Kind::Literal)
      t.parts.back().text += piece;
    else
      t.parts.push_back({Kind::Literal, std::string(piece)});
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal(text.substr(i, 1));
      i += 2;
      continue;
    }
    if (c == '}') fail("a '}' without its '{' (write '}}' for a brace)");
    if (c != '{') {
      const auto next = std::min(text.find_first_of("{}", i), text.size());
      literal(text.substr(i, next - i));
      i = next;
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) fail("a '{' without its '}' (write '{{' for a brace)");
    const auto inner = text.substr(i + 1, close - i - 1);
    const auto colon = inner.find(':');
    const auto name = inner.substr(0, colon);
    const std::string arg =
        colon == std::string_view::npos ? std::string() : std::string(inner.substr(colon + 1));
    static const std::pair<const char*, Kind> kNames[] = {{"body", Kind::Body},
                                                          {"timestamp", Kind::Timestamp},
                                                          {"timestamp_ms", Kind::TimestampMs},
                                                          {"id", Kind::Id},
                                                          {"method", Kind::Method},
                                                          {"url", Kind::Url},
                                                          {"form_sorted", Kind::FormSorted},
                                                          {"header", Kind::Header}};
    std::optional<Kind> kind;
    for (const auto& [n, k] : kNames)
      if (name == n) kind = k;
    if (!kind)
      fail("unknown placeholder {" + std::string(inner) +
           "}: use {body}, {timestamp}, {timestamp_ms}, {id}, {method}, {url}, {form_sorted}, "
           "{header:NAME} or {body:PATH}");
    if (*kind == Kind::Body && colon != std::string_view::npos) kind = Kind::BodyToken;
    if ((*kind == Kind::Header || *kind == Kind::BodyToken) && arg.empty())
      fail("{" + std::string(name) + ":...} needs a name after its ':'");
    if (*kind != Kind::Header && *kind != Kind::BodyToken && colon != std::string_view::npos)
      fail("{" + std::string(name) + "} takes no ':'");
    t.parts.push_back({*kind, arg});
    i = close + 1;
  }
  return t;
}

bool Scheme::needs_timestamp() const {
  return content.uses(Kind::Timestamp) || content.uses(Kind::TimestampMs);
}

namespace {

using json = nlohmann::json;

std::vector<std::string> names_of(const json& row, const char* key, const std::string& where) {
  std::vector<std::string> out;
  if (!row.contains(key) || row[key].is_null()) return out;
  const json& v = row[key];
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_string())
        throw Error("\"" + std::string(key) + "\" lists strings (" + where + ")");
      out.push_back(item.get<std::string>());
    }
  } else {
    throw Error("\"" + std::string(key) + "\" is a header name or a list of them (" + where + ")");
  }
  for (const auto& n : out)
    if (n.empty() || n.find_first_of(" \t:\r\n") != std::string::npos)
      throw Error("\"" + std::string(key) + "\": '" + n + "' is no header name (" + where + ")");
  return out;
}

std::string text_of(const json& row, const char* key, const std::string& where,
                    const std::string& fallback) {
  if (!row.contains(key) || row[key].is_null()) return fallback;
  if (!row[key].is_string())
    throw Error("\"" + std::string(key) + "\" must be a string (" + where + ")");
  return row[key].get<std::string>();
}

// The fields a declaration may have, each between spaces.
constexpr std::string_view kFields = " name title algorithm encoding signs prefix key format "
                                     "list_separator list_timestamp header timestamp_header "
                                     "id_header timestamp_field timestamp_unit window note source ";

} // namespace

Scheme parse_scheme(const json& row, const std::string& where) {
  if (!row.is_object()) throw Error("a scheme is a JSON object (" + where + ")");
  for (const auto& item : row.items()) {
    const bool known = kFields.find(" " + item.key() + " ") != std::string_view::npos;
    if (!known) throw Error("unknown scheme field \"" + item.key() + "\" (" + where + ")");
  }
  Scheme s;
  s.name = text_of(row, "name", where, "");
  if (s.name.empty() || s.name.find_first_of(" \t/") != std::string::npos)
    throw Error("a scheme's \"name\" is one word, like \"acme\" (" + where + ")");
  const std::string at = where + ": " + s.name;
  s.title = text_of(row, "title", at, s.name);
  const auto algo = text_of(row, "algorithm", at, "sha256");
  if (algo == "ed25519") // a public-key scheme (public_key.hpp): the key signs, no HMAC
    s.signer = Signer::Ed25519;
  else if (auto a = parse_algo(algo))
    s.algo = *a;
  else
    throw Error("unknown algorithm '" + algo + "': use sha1, sha256, sha512 or ed25519 (" + at +
                ")");
  const auto enc = text_of(row, "encoding", at, "hex");
  if (auto e = parse_encoding(enc))
    s.encoding = *e;
  else
    throw Error("unknown encoding '" + enc + "': use hex or base64 (" + at + ")");
  if (!row.contains("signs"))
    throw Error("\"signs\" says what is signed, e.g. \"{body}\" (" + at + ")");
  s.content = parse_template(text_of(row, "signs", at, ""), at + ": signs");
  s.prefix = text_of(row, "prefix", at, "");
  const auto key = text_of(row, "key", at, "raw");
  if (auto k = parse_key_format(key))
    s.key_format = *k;
  else
    throw Error("unknown key format '" + key + "': use raw, whsec, base64 or hex (" + at + ")");
  const auto format = text_of(row, "format", at, "plain");
  if (format == "plain")
    s.header_format = HeaderFormat::Plain;
  else if (format == "list")
    s.header_format = HeaderFormat::KeyList;
  else if (format == "space-list")
    s.header_format = HeaderFormat::SpaceList;
  else
    throw Error("unknown header format '" + format + "': use plain, list or space-list (" + at +
                ")");
  const auto sep = text_of(row, "list_separator", at, ",");
  if (sep.size() != 1 || (sep != "," && sep != ";"))
    throw Error("\"list_separator\" is \",\" or \";\" (" + at + ")");
  s.list_separator = sep[0];
  s.list_timestamp_key = text_of(row, "list_timestamp", at, "t");
  s.signature_headers = names_of(row, "header", at);
  if (s.signature_headers.empty())
    throw Error("\"header\" names the signature's header (" + at + ")");
  s.timestamp_headers = names_of(row, "timestamp_header", at);
  s.id_headers = names_of(row, "id_header", at);
  s.timestamp_field = text_of(row, "timestamp_field", at, "");
  const auto unit = text_of(row, "timestamp_unit", at, "s");
  if (unit != "s" && unit != "ms")
    throw Error("\"timestamp_unit\" is \"s\" or \"ms\" (" + at + ")");
  s.timestamp_ms = unit == "ms";
  if (row.contains("window") && !row["window"].is_null()) {
    const json& w = row["window"];
    if (!w.is_object() || !w.contains("seconds") || !w["seconds"].is_number_integer() ||
        w["seconds"].get<std::int64_t>() <= 0)
      throw Error("\"window\" is {\"seconds\": N, \"direction\": \"past\" or \"both\"} (" + at +
                  ")");
    s.tolerance_s = w["seconds"].get<std::int64_t>();
    const auto dir = text_of(w, "direction", at + ": window", "both");
    if (dir == "both")
      s.freshness = Freshness::BothWays;
    else if (dir == "past")
      s.freshness = Freshness::PastOnly;
    else
      throw Error("a window's \"direction\" is \"past\" or \"both\" (" + at + ")");
  }
  s.note = text_of(row, "note", at, "");
  text_of(row, "source", at, ""); // where the facts come from, for the reader of the data
  // What the template signs has to travel somewhere.
  const bool lists = s.header_format != HeaderFormat::Plain;
  if (s.needs_timestamp() && s.timestamp_headers.empty() &&
      s.header_format != HeaderFormat::KeyList)
    throw Error("it signs a timestamp: give \"timestamp_header\" or use \"format\": \"list\" (" +
                at + ")");
  if (s.needs_id() && s.id_headers.empty())
    throw Error("it signs an id: give \"id_header\" (" + at + ")");
  if (s.header_format == HeaderFormat::SpaceList &&
      (s.timestamp_headers.empty() || s.id_headers.empty()))
    throw Error("a space-list scheme sends its id and timestamp in \"id_header\" and "
                "\"timestamp_header\" (" +
                at + ")");
  if (lists && s.prefix.empty())
    throw Error("a list's signatures carry a version tag: give \"prefix\", like \"v1\" (" + at +
                ")");
  if (s.freshness != Freshness::None && !s.needs_timestamp() && s.timestamp_field.empty() &&
      s.timestamp_headers.empty())
    throw Error("a window needs a timestamp: sign {timestamp} or give \"timestamp_field\" (" + at +
                ")");
  return s;
}

nlohmann::ordered_json scheme_to_json(const Scheme& s) {
  nlohmann::ordered_json row;
  row["name"] = s.name;
  row["title"] = s.title;
  row["algorithm"] = s.signer == Signer::Ed25519 ? "ed25519" : algo_name(s.algo);
  row["encoding"] = encoding_name(s.encoding);
  row["signs"] = s.content.source;
  row["prefix"] = s.prefix;
  row["key"] = key_format_name(s.key_format);
  row["format"] = s.header_format == HeaderFormat::Plain     ? "plain"
                  : s.header_format == HeaderFormat::KeyList ? "list"
                                                             : "space-list";
  if (s.header_format == HeaderFormat::KeyList) {
    row["list_separator"] = std::string(1, s.list_separator);
    row["list_timestamp"] = s.list_timestamp_key;
  }
  row["header"] = s.signature_headers;
  row["timestamp_header"] = s.timestamp_headers;
  row["id_header"] = s.id_headers;
  if (!s.timestamp_field.empty()) row["timestamp_field"] = s.timestamp_field;
  row["timestamp_unit"] = s.timestamp_ms ? "ms" : "s";
  if (s.freshness == Freshness::None)
    row["window"] = nullptr;
  else
    row["window"] = {{"seconds", s.tolerance_s},
                     {"direction", s.freshness == Freshness::PastOnly ? "past" : "both"}};
  row["note"] = s.note;
  return row;
}

namespace {

// The table is parsed a row at a time, on first use: `sign --scheme github` parses one row, the
// diagnosis and `schemes` all of them. Slots are made once and never move, so pointers stay valid.
struct Table {
  std::vector<Scheme> rows;
  std::vector<std::once_flag> parsed;
  Table() : rows(embedded_scheme_rows().size()), parsed(rows.size()) {}

  const Scheme& at(std::size_t i) {
    std::call_once(parsed[i], [&] {
      const auto text = embedded_scheme_rows()[i].second;
      rows[i] = parse_scheme(json::parse(text.begin(), text.end()), "schemes/builtin.json");
    });
    return rows[i];
  }
};

Table& table() {
  static Table t;
  return t;
}

} // namespace

const std::vector<Scheme>& builtin_schemes() {
  Table& t = table();
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    t.at(i);
  return t.rows;
}

const Scheme* find_scheme(std::string_view name) {
  const auto& names = embedded_scheme_rows();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i].first == name) return &table().at(i);
  return nullptr;
}

Scheme make_hmac_scheme(Algo algo, Encoding encoding, std::string prefix, std::string header) {
  Scheme s;
  s.name = "hmac";
  s.title = "Generic HMAC";
  s.algo = algo;
  s.encoding = encoding;
  s.prefix = std::move(prefix);
  s.signature_headers = {std::move(header)};
  s.note = "--algo, --encoding, --prefix, --header";
  return s;
}

std::string describe_signed_content(const SignedTemplate& content) { return content.source; }

std::string_view encoding_name(Encoding encoding) {
  return encoding == Encoding::Hex ? "hex" : "base64";
}

std::optional<Encoding> parse_encoding(std::string_view name) {
  if (name == "hex") return Encoding::Hex;
  if (name == "base64") return Encoding::Base64;
  return std::nullopt;
}

std::string_view key_format_name(KeyFormat format) {
  switch (format) {
  case KeyFormat::Raw: return "raw";
  case KeyFormat::WhsecBase64: return "whsec";
  case KeyFormat::Base64: return "base64";
  case KeyFormat::Hex: return "hex";
  case KeyFormat::Ed25519: return "ed25519";
  }
  return "raw";
}

std::optional<KeyFormat> parse_key_format(std::string_view name) {
  if (name == "raw") return KeyFormat::Raw;
  if (name == "whsec") return KeyFormat::WhsecBase64;
  if (name == "base64") return KeyFormat::Base64;
  if (name == "hex") return KeyFormat::Hex;
  if (name == "ed25519") return KeyFormat::Ed25519;
  return std::nullopt;
}

std::string describe_scheme(const Scheme& s) {
  if (s.signer == Signer::Ed25519)
    return "Ed25519 of " + describe_signed_content(s.content) + ", " +
           std::string(encoding_name(s.encoding)) + ", public key to verify";
  std::string algo(algo_name(s.algo));
  for (auto& c : algo)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = "HMAC-" + algo + " of " + describe_signed_content(s.content) + ", " +
                    std::string(encoding_name(s.encoding));
  if (s.header_format == HeaderFormat::Plain && !s.prefix.empty()) out += ", prefix " + s.prefix;
  if (s.key_format != KeyFormat::Raw) out += ", key " + std::string(key_format_name(s.key_format));
  return out;
}

} // namespace hooktool
